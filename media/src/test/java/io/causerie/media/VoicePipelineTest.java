package io.causerie.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.causerie.media.audio.PipelineFormat;
import io.causerie.media.audio.ToneGenerator;
import io.causerie.media.codec.Codecs;
import io.causerie.media.codec.OpusCodec;
import io.causerie.media.jitter.InsertResult;
import io.causerie.media.jitter.JitterBufferConfig;
import io.causerie.media.jitter.JitterStats;
import io.causerie.media.jitter.PlayoutAction;
import io.causerie.media.quality.CodecImpairment;
import io.causerie.media.quality.MosEstimator;
import io.causerie.media.quality.QualityReport;
import io.causerie.media.rtp.RtpPacket;
import io.causerie.media.testing.Signals;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** End to end on a fake clock: tone → sender → lossy, jittery "network" → receiver → 48 kHz. */
class VoicePipelineTest {
  private static final long FRAME_NANOS = 20_000_000L;
  private static final int FRAMES = 500;

  private record Datagram(byte[] bytes, long arrivalNanos) {}

  @ParameterizedTest
  @ValueSource(strings = {"opus", "pcmu", "pcma"})
  void toneSurvivesALossyJitteryPath(String codecName) throws Exception {
    var sendCodec = Codecs.byName(codecName);
    if (sendCodec instanceof OpusCodec opus) {
      opus.setExpectedLossPercent(10);
    }
    VoiceSender sender = new VoiceSender(sendCodec, 0x5EED, 65_000, 4_294_000_000L);
    ToneGenerator tone = new ToneGenerator(1000, 0.3, PipelineFormat.SAMPLE_RATE_HZ);
    Random r = new Random(42);
    List<Datagram> network = new ArrayList<>();
    short[] pcm = new short[PipelineFormat.FRAME_SAMPLES];
    byte[] packet = new byte[sender.maxPacketBytes()];
    int lost = 0;
    for (int f = 0; f < FRAMES; f++) {
      tone.readFrame(pcm, 0);
      int len = sender.packetize(pcm, 0, packet, 0);
      assertThat(len).isPositive();
      if (f % 20 == 10) {
        lost++;
        continue;
      }
      long arrival = f * FRAME_NANOS + 30_000_000L + (long) (r.nextDouble() * 15_000_000L);
      network.add(new Datagram(Arrays.copyOf(packet, len), arrival));
    }
    network.add(new Datagram(new byte[] {1, 2, 3}, 5_000_000L)); // garbage
    network.sort(Comparator.comparingLong(Datagram::arrivalNanos));

    // FEC needs the next packet buffered when a loss is played: keep a two-frame floor.
    JitterBufferConfig config = new JitterBufferConfig(200, 40, 40, 0.95, 250, 100, 50, 2, 25, 2,
        3, 1500);
    VoiceReceiver receiver = new VoiceReceiver(Codecs.byName(codecName), config);
    short[] out = new short[(FRAMES + 20) * PipelineFormat.FRAME_SAMPLES];
    int next = 0;
    for (int k = 0; k < FRAMES + 20; k++) {
      long now = k * FRAME_NANOS;
      while (next < network.size() && network.get(next).arrivalNanos() <= now) {
        Datagram d = network.get(next++);
        InsertResult res = receiver.receive(d.bytes(), 0, d.bytes().length, d.arrivalNanos());
        assertThat(res).isNotNull();
      }
      PlayoutAction a = receiver.playout(now, out, k * PipelineFormat.FRAME_SAMPLES);
      assertThat(a).isNotNull();
    }
    assertThat(receiver.malformedPackets()).isEqualTo(1);
    assertThat(receiver.decodeErrors()).isZero();

    JitterStats st = receiver.jitterBuffer().stats();
    assertThat(st.lost()).isEqualTo(lost);
    assertThat(st.late()).isZero();
    if (codecName.equals("opus")) {
      assertThat(st.recoveredByFec()).as("FEC rebuilt the isolated losses").isEqualTo(lost);
    } else {
      assertThat(st.recoveredByFec()).isZero();
      // Each loss is concealed; the tail (sender stopped) adds up to 3 underrun concealments.
      assertThat(st.concealed()).isBetween((long) lost, lost + 3L);
    }

    int from = 50 * PipelineFormat.FRAME_SAMPLES;
    int n = 400 * PipelineFormat.FRAME_SAMPLES;
    assertThat(Signals.zeroCrossingFrequencyHz(out, from, n, 48000)).isCloseTo(1000, within(5.0));
    // Per 20 ms frame (robust to the phase jumps a concealed frame may leave), most of the power
    // is at 1 kHz. (Opus scores lowest: its coarse LBRR copy of a pure tone and the few frames of
    // gain re-adaptation after it cost about 5 points.)
    double ratioSum = 0;
    for (int f = 50; f < 450; f++) {
      int at = f * PipelineFormat.FRAME_SAMPLES;
      double ms = Math.pow(Signals.rms(out, at, PipelineFormat.FRAME_SAMPLES), 2);
      ratioSum += Signals.tonePower(out, at, PipelineFormat.FRAME_SAMPLES, 1000, 48000) / ms;
    }
    assertThat(ratioSum / 400).isGreaterThan(0.88);

    QualityReport report = receiver.receptionStats().report(1, sender.ssrc(), 0, 0);
    assertThat(report.cumulativeLost()).isEqualTo(lost);
    assertThat(report.extendedHighestSeq()).isEqualTo(65_000L + FRAMES - 1);
    double lossPercent = receiver.receptionStats().cumulativeLossPercent();
    assertThat(lossPercent).isCloseTo(5.0, within(0.5));
    double mos = MosEstimator.mos(CodecImpairment.forCodec(codecName),
        st.bufferedDelayMillis() + 50, lossPercent, receiver.receptionStats().burstRatio());
    assertThat(mos).isBetween(3.0, 4.4);
  }

  @ParameterizedTest
  @ValueSource(strings = {"opus", "pcmu"})
  void wrongPayloadTypeIsDropped(String codecName) {
    VoiceReceiver receiver = new VoiceReceiver(Codecs.byName(codecName), JitterBufferConfig.DEFAULTS);
    byte[] p = new byte[20];
    RtpPacket.writeHeader(p, 0, false, 99, 1, 0, 1);
    assertThat(receiver.receive(p, 0, p.length, 0)).isEqualTo(InsertResult.DISCARDED);
    assertThat(receiver.wrongPayloadTypePackets()).isEqualTo(1);
  }
}
