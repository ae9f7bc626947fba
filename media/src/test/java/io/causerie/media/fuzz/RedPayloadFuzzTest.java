package io.causerie.media.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.causerie.media.VoiceReceiver;
import io.causerie.media.audio.PipelineFormat;
import io.causerie.media.codec.OpusCodec;
import io.causerie.media.jitter.JitterBufferConfig;
import io.causerie.media.rtp.PayloadTypes;
import io.causerie.media.rtp.RedPayload;
import io.causerie.media.rtp.RtpPacket;
import java.util.Arrays;

/**
 * Fuzz targets for the RFC 2198 redundancy payload: {@link RedPayload#read} alone, and RED packets built from the
 * input fed through a {@link VoiceReceiver} (jitter buffer, Opus decoding, concealment).
 *
 * <p>Invariants of {@code read}: it never throws; when it refuses, the view is empty; when it accepts, the blocks
 * lie in order after the headers, cover the rest of the payload exactly, and {@link RedPayload#write} with the
 * parsed fields reproduces the input byte for byte (the format is canonical); parsing at an offset gives the same
 * blocks. Invariants of {@code receive}: nothing throws, every playout is one 960-sample frame, and the
 * counters add up (RED packets accepted + malformed RED ≤ packets given).
 */
class RedPayloadFuzzTest {
  private final RedPayload reused = new RedPayload();

  @FuzzTest
  void read(byte[] data) {
    boolean ok;
    try {
      ok = reused.read(data, 0, data.length);
    } catch (RuntimeException e) {
      throw new AssertionError("RedPayload.read threw " + e, e);
    }
    if (!ok) {
      assertEquals(0, reused.blockCount());
      return;
    }
    int n = reused.blockCount();
    assertTrue(n >= 1 && n <= RedPayload.MAX_BLOCKS);
    int headers = (n - 1) * RedPayload.REDUNDANT_HEADER_BYTES + RedPayload.PRIMARY_HEADER_BYTES;
    int at = headers;
    int[] pts = new int[n - 1];
    int[] offsets = new int[n - 1];
    int[] lengths = new int[n - 1];
    byte[][] blocks = new byte[n - 1][];
    for (int i = 0; i < n; i++) {
      assertEquals(at, reused.offset(i), "block " + i + " is not where the previous one ended");
      at += reused.length(i);
      if (i < n - 1) {
        pts[i] = reused.payloadType(i);
        offsets[i] = reused.timestampOffset(i);
        lengths[i] = reused.length(i);
        blocks[i] = Arrays.copyOfRange(data, reused.offset(i), reused.offset(i) + lengths[i]);
      } else {
        assertEquals(0, reused.timestampOffset(i));
      }
    }
    assertEquals(data.length, at, "the blocks do not cover the payload");
    int p = reused.primaryIndex();
    byte[] rebuilt = new byte[data.length];
    int w = RedPayload.write(rebuilt, 0, n - 1, pts, offsets, blocks, lengths, reused.payloadType(p), data,
        reused.offset(p), reused.length(p));
    assertEquals(data.length, w);
    assertArrayEquals(data, rebuilt, "RED payload does not re-encode to the same bytes");

    byte[] shifted = new byte[data.length + 7];
    System.arraycopy(data, 0, shifted, 5, data.length);
    RedPayload other = new RedPayload();
    assertTrue(other.read(shifted, 5, data.length), "parsing at an offset rejected what the slice accepts");
    for (int i = 0; i < n; i++) {
      assertEquals(reused.offset(i) + 5, other.offset(i));
      assertEquals(reused.length(i), other.length(i));
    }
  }

  /**
   * The input is cut into packets: per packet one byte of sequence step (signed), one byte of length, then that
   * many payload bytes, sent as an RTP packet of payload type RED (63) with timestamps 960 apart per step.
   */
  @FuzzTest
  void receive(byte[] data) {
    VoiceReceiver rx = new VoiceReceiver(new OpusCodec(), JitterBufferConfig.DEFAULTS);
    short[] pcm = new short[PipelineFormat.FRAME_SAMPLES];
    byte[] packet = new byte[RtpPacket.FIXED_HEADER_BYTES + 256];
    int seq = 1000;
    long now = 0;
    int given = 0;
    int i = 0;
    while (i + 2 <= data.length && given < 200) {
      seq = (seq + data[i]) & 0xFFFF;
      int len = Math.min(data[i + 1] & 0xFF, data.length - i - 2);
      int h = RtpPacket.writeHeader(packet, 0, false, PayloadTypes.RED_DEFAULT, seq, seq * 960L & 0xFFFF_FFFFL,
          0x1234);
      System.arraycopy(data, i + 2, packet, h, len);
      i += 2 + len;
      try {
        rx.receive(packet, 0, h + len, now);
        rx.playout(now, pcm, 0);
      } catch (RuntimeException e) {
        throw new AssertionError("the receive path threw " + e, e);
      }
      given++;
      now += 20_000_000L;
    }
    assertTrue(rx.redPackets() + rx.malformedRedPackets() <= given);
    assertTrue(rx.redundantCopiesStored() <= rx.redPackets() * (RedPayload.MAX_BLOCKS - 1));
  }
}
