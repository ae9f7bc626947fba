package io.causerie.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.causerie.media.audio.PipelineFormat;
import io.causerie.media.audio.ToneGenerator;
import io.causerie.media.codec.OpusCodec;
import io.causerie.media.jitter.JitterBufferConfig;
import io.causerie.media.jitter.JitterStats;
import io.causerie.media.rtp.PayloadTypes;
import io.causerie.media.rtp.RedPayload;
import io.causerie.media.rtp.RtpPacket;
import io.causerie.media.testing.Signals;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RFC 2198 redundancy end to end on a fake clock: tone → {@link VoiceSender} with copies → a path that loses
 * two packets in a row every half second → {@link VoiceReceiver} → 48 kHz.
 */
class RedundancyPipelineTest {
  private static final long FRAME_NANOS = 20_000_000L;
  private static final long TRANSIT_NANOS = 30_000_000L;
  private static final int FRAMES = 600;
  /** Losses start after this frame, once the receiver had time to grow its buffer to the redundancy floor. */
  private static final int FIRST_LOSS = 100;

  private record Run(JitterStats stats, VoiceReceiver receiver, VoiceSender sender, short[] audio, int lost,
      long payloadBytes) {}

  private static boolean lostOnTheWay(int frame) {
    return frame >= FIRST_LOSS && frame < FRAMES - 10 && (frame % 25 == 10 || frame % 25 == 11);
  }

  private static Run run(int[] distances) throws Exception {
    OpusCodec enc = new OpusCodec();
    enc.setFecEnabled(true);
    enc.setExpectedLossPercent(10);
    VoiceSender sender = new VoiceSender(enc, 0x5EED, 65_400, 4_294_000_000L);
    sender.setRedundancy(distances);
    ToneGenerator tone = new ToneGenerator(440, 0.3, PipelineFormat.SAMPLE_RATE_HZ);
    JitterBufferConfig config = JitterBufferConfig.DEFAULTS.withInitialDelayMillis(40);
    config = new JitterBufferConfig(200, 40, 40, config.delayQuantile(), config.delayHistoryPackets(),
        config.baselineWindowPackets(), config.warmupPackets(), config.jitterToleranceMillis(),
        config.quietWaitFrames(), config.forceDropExcessFrames(), config.maxConcealFrames(),
        config.maxPayloadBytes());
    VoiceReceiver receiver = new VoiceReceiver(new OpusCodec(), config);
    short[] pcm = new short[PipelineFormat.FRAME_SAMPLES];
    short[] out = new short[(FRAMES + 10) * PipelineFormat.FRAME_SAMPLES];
    byte[] packet = new byte[sender.maxPacketBytes()];
    Deque<byte[]> inFlight = new ArrayDeque<>();
    Deque<Long> arrivals = new ArrayDeque<>();
    int lost = 0;
    long payloadBytes = 0;
    for (int k = 0; k < FRAMES + 10; k++) {
      long now = k * FRAME_NANOS;
      if (k < FRAMES) {
        tone.readFrame(pcm, 0);
        int len = sender.packetize(pcm, 0, packet, 0);
        payloadBytes += len - RtpPacket.FIXED_HEADER_BYTES;
        if (lostOnTheWay(k)) {
          lost++;
        } else {
          inFlight.add(Arrays.copyOf(packet, len));
          arrivals.add(now + TRANSIT_NANOS + (k % 3) * 1_000_000L);
        }
      }
      while (!arrivals.isEmpty() && arrivals.peek() <= now) {
        byte[] p = inFlight.poll();
        receiver.receive(p, 0, p.length, arrivals.poll());
      }
      receiver.playout(now, out, k * PipelineFormat.FRAME_SAMPLES);
    }
    return new Run(receiver.jitterBuffer().stats(), receiver, sender, out, lost, payloadBytes);
  }

  @ParameterizedTest(name = "copies of n-{0}")
  @CsvSource({"2", "'1,2'"})
  void twoLossesInARowPlayFromTheCopies(String spec) throws Exception {
    int[] distances = Arrays.stream(spec.split(",")).mapToInt(Integer::parseInt).toArray();
    Run r = run(distances);
    JitterStats st = r.stats();
    assertThat(r.receiver().redPackets()).isEqualTo(FRAMES - r.lost());
    assertThat(r.receiver().malformedRedPackets()).isZero();
    assertThat(r.receiver().decodeErrors()).isZero();
    // Every lost frame played at full quality from a copy: none needed in-band FEC or concealment.
    assertThat(st.recoveredByRedundancy()).isEqualTo(r.lost());
    assertThat(st.recoveredByFec()).isZero();
    assertThat(st.lost()).isZero();
    // The buffer grew once to three frames (one stretch), and the sender's end left a few underruns.
    assertThat(st.stretched()).isEqualTo(1);
    assertThat(st.targetDelayMillis()).isEqualTo(60);
    assertThat(st.concealed()).isBetween(1L, 1L + 3);
    int from = FIRST_LOSS * PipelineFormat.FRAME_SAMPLES;
    int n = (FRAMES - FIRST_LOSS - 20) * PipelineFormat.FRAME_SAMPLES;
    double ratioSum = 0;
    int frames = n / PipelineFormat.FRAME_SAMPLES;
    for (int f = 0; f < frames; f++) {
      int at = from + f * PipelineFormat.FRAME_SAMPLES;
      double ms = Math.pow(Signals.rms(r.audio(), at, PipelineFormat.FRAME_SAMPLES), 2);
      ratioSum += Signals.tonePower(r.audio(), at, PipelineFormat.FRAME_SAMPLES, 440, 48000) / ms;
    }
    assertThat(ratioSum / frames).isGreaterThan(0.95);
    // Each packet carries its own frame plus one copy per distance: about that many times the bytes.
    long redundant = r.sender().redundantBytesSent();
    assertThat(redundant).isGreaterThan((long) ((distances.length - 0.1) * (r.payloadBytes() - redundant)));
  }

  @Test
  void withoutCopiesTheFirstOfEachPairIsConcealed() throws Exception {
    Run r = run(new int[0]);
    JitterStats st = r.stats();
    int pairs = r.lost() / 2;
    assertThat(r.receiver().redPackets()).isZero();
    assertThat(st.recoveredByRedundancy()).isZero();
    assertThat(st.lost()).isEqualTo(r.lost());
    // In-band FEC in packet n rebuilds n-1 only: the second frame of each pair.
    assertThat(st.recoveredByFec()).isEqualTo(pairs);
    assertThat(st.stretched()).isZero();
  }

  @Test
  void aPacketStaysWithinItsSizeLimit() throws Exception {
    OpusCodec enc = new OpusCodec();
    enc.setBitrateBps(OpusCodec.MAX_BITRATE_BPS);
    VoiceSender sender = new VoiceSender(enc, 1, 0, 0);
    sender.setRedundancy(new int[] {1, 2, 3, 4});
    short[] noise = new short[PipelineFormat.FRAME_SAMPLES];
    java.util.Random rnd = new java.util.Random(1);
    byte[] packet = new byte[sender.maxPacketBytes()];
    RtpPacket view = new RtpPacket();
    RedPayload red = new RedPayload();
    for (int k = 0; k < 20; k++) {
      for (int i = 0; i < noise.length; i++) {
        noise[i] = (short) rnd.nextInt(-20000, 20000);
      }
      int len = sender.packetize(noise, 0, packet, 0);
      assertThat(len).isLessThanOrEqualTo(Math.max(VoiceSender.MAX_RED_PACKET_BYTES,
          RtpPacket.FIXED_HEADER_BYTES + 1 + OpusCodec.MAX_PAYLOAD_BYTES));
      view.read(packet, 0, len);
      assertThat(view.payloadType()).isEqualTo(PayloadTypes.RED_DEFAULT);
      assertThat(red.read(packet, view.payloadOffset(), view.payloadLength())).isTrue();
      for (int b = 0; b < red.primaryIndex(); b++) {
        assertThat(red.timestampOffset(b) % 960).isZero();
      }
    }
  }

  @Test
  void skippedFramesAreNotCopied() throws Exception {
    VoiceSender sender = new VoiceSender(new OpusCodec(), 1, 0, 0);
    sender.setRedundancy(new int[] {2});
    short[] pcm = new short[PipelineFormat.FRAME_SAMPLES];
    byte[] packet = new byte[sender.maxPacketBytes()];
    RtpPacket view = new RtpPacket();
    RedPayload red = new RedPayload();
    sender.packetize(pcm, 0, packet, 0); // 0
    sender.skip(); // 1
    int len = sender.packetize(pcm, 0, packet, 0); // 2: frame 0 was sent
    view.read(packet, 0, len);
    red.read(packet, view.payloadOffset(), view.payloadLength());
    assertThat(red.blockCount()).isEqualTo(2);
    assertThat(red.timestampOffset(0)).isEqualTo(1920);
    len = sender.packetize(pcm, 0, packet, 0); // 3: frame 1 was skipped, no copy
    view.read(packet, 0, len);
    red.read(packet, view.payloadOffset(), view.payloadLength());
    assertThat(red.blockCount()).isEqualTo(1);
  }
}
