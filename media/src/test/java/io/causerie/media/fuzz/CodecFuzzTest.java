package io.causerie.media.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.causerie.media.codec.AudioCodec;
import io.causerie.media.codec.CodecException;
import io.causerie.media.codec.G711;
import io.causerie.media.codec.G711Codec;
import io.causerie.media.codec.OpusCodec;
import io.causerie.media.codec.PcmaCodec;
import io.causerie.media.codec.PcmuCodec;
import java.util.Arrays;

/**
 * Fuzz targets for the decoders behind our codec wrappers ({@link OpusCodec} over Concentus, {@link PcmuCodec}
 * and {@link PcmaCodec}) fed with arbitrary payloads, as a peer can send them.
 *
 * <p>Invariants: only {@link CodecException} escapes; decode and concealment write nothing outside
 * one frame (guard samples around the frame stay intact) and return at most one frame
 * ({@link AudioCodec#frameSamples()}; concealment exactly one); after {@link AudioCodec#reset()} decoding is
 * deterministic and independent of the payload's offset; G.711 expands every byte bit-exactly and {@code isQuiet}
 * agrees with the decoded level; every successful decode returns exactly one frame. The inputs directories keep
 * the reproducers of the three bugs these targets found (docs/FUZZING.md): an {@link AssertionError} escaping
 * Concentus, Opus packets shorter than 20 ms played with a stale remainder, and G.711 payloads longer than a frame
 * overrunning it.
 */
class CodecFuzzTest {
  private static final int GUARD = 32;
  private static final short CANARY = 0x7A7A;

  private static final OpusCodec OPUS = new OpusCodec();
  private static final PcmuCodec PCMU = new PcmuCodec();
  private static final PcmaCodec PCMA = new PcmaCodec();

  private static short[] guarded(int frame) {
    short[] pcm = new short[GUARD + frame + GUARD];
    Arrays.fill(pcm, CANARY);
    return pcm;
  }

  private static void assertGuardsIntact(short[] pcm, int frame, String what) {
    for (int i = 0; i < GUARD; i++) {
      if (pcm[i] != CANARY || pcm[GUARD + frame + i] != CANARY) {
        throw new AssertionError(what + " wrote outside its frame");
      }
    }
  }

  /**
   * Opus decode, FEC recovery and concealment on an arbitrary payload. Found: Concentus throws {@link
   * AssertionError} (an Error, thrown unconditionally, not only under {@code -ea}) from its internal checks on
   * hostile payloads, which OpusCodec now turns into CodecException. Reproducers in
   * CodecFuzzTestInputs/opus/: crash-50e015e7… (plain decode after reset; one such RTP packet makes
   * VoiceReceiver.playout throw) and crash-7cd2a0a9… (FEC decode after decoding the same payload).
   */
  @FuzzTest
  void opus(byte[] payload) {
    int frame = OpusCodec.FRAME_SAMPLES;
    OPUS.reset();
    short[] first = guarded(frame);
    boolean decoded = decodeOrConceal(OPUS, payload, 0, payload.length, first, "Opus decode");

    // Same payload at an offset, after a reset: the same samples (or the same failure).
    byte[] shifted = new byte[payload.length + 11];
    System.arraycopy(payload, 0, shifted, 7, payload.length);
    OPUS.reset();
    short[] second = guarded(frame);
    boolean again = decodeOrConceal(OPUS, shifted, 7, payload.length, second, "Opus decode at offset");
    assertEquals(decoded, again, "decoding depends on the payload's offset");
    assertArrayEquals(first, second, "decoding after reset is not deterministic");

    // In-band FEC on the payload just decoded (a peer sending the same payload as packets N and N+2, N+1 lost).
    short[] fec = guarded(frame);
    int n = frame;
    try {
      n = OPUS.recoverFromNext(payload, 0, payload.length, fec, GUARD);
    } catch (CodecException e) {
      // declared: a corrupt next packet
    } catch (RuntimeException | Error e) {
      throw new AssertionError("recoverFromNext threw " + e + " instead of CodecException", e);
    }
    assertTrue(n > 0 && n <= frame, "FEC returned " + n + " samples");
    assertGuardsIntact(fec, frame, "Opus FEC");
    short[] plc = guarded(frame);
    assertEquals(frame, OPUS.conceal(plc, GUARD), "Opus PLC frame size");
    assertGuardsIntact(plc, frame, "Opus PLC");
    OPUS.isQuiet(payload, 0, payload.length);
  }

  /**
   * Opus as the receive path uses it: VoiceReceiver ignores decode's return value and plays {@code frameSamples()}
   * samples, so every successful decode must fill exactly one 20 ms frame; valid shorter packets (2.5/5/10 ms)
   * are now refused: see CodecFuzzTestInputs/opusFrameSize/ and docs/FUZZING.md.
   */
  @FuzzTest
  void opusFrameSize(byte[] payload) {
    OPUS.reset();
    short[] pcm = new short[OpusCodec.FRAME_SAMPLES];
    int n;
    try {
      n = OPUS.decode(payload, 0, payload.length, pcm, 0);
    } catch (CodecException e) {
      return;
    } catch (RuntimeException e) {
      throw new AssertionError("Opus decode threw " + e, e);
    }
    assertEquals(OpusCodec.FRAME_SAMPLES, n, "Opus decode of a " + payload.length + "-byte packet");
  }

  /** Decodes; on CodecException conceals instead, as VoiceReceiver does. Returns whether decode succeeded. */
  private static boolean decodeOrConceal(AudioCodec codec, byte[] in, int off, int len, short[] pcm, String what) {
    int frame = codec.frameSamples();
    int n;
    try {
      n = codec.decode(in, off, len, pcm, GUARD);
    } catch (CodecException e) {
      n = -1;
    } catch (RuntimeException | Error e) {
      throw new AssertionError(what + " threw " + e + " instead of CodecException", e);
    }
    boolean ok = n >= 0;
    if (ok) {
      assertTrue(n > 0 && n <= frame, what + " returned " + n + " samples");
    } else {
      assertEquals(frame, codec.conceal(pcm, GUARD), "concealment frame size");
    }
    assertGuardsIntact(pcm, frame, what);
    return ok;
  }

  /**
   * G.711 with payloads that fit one 20 ms frame (at most 160 bytes; the first input byte picks μ-law or
   * A-law): bit-exact expansion, nothing written past the payload's samples, quietness consistent.
   */
  @FuzzTest
  void g711(byte[] data) {
    if (data.length == 0) {
      return;
    }
    boolean ulaw = (data[0] & 1) == 0;
    G711Codec codec = ulaw ? PCMU : PCMA;
    byte[] payload = Arrays.copyOfRange(data, 1, Math.min(data.length, 1 + G711Codec.FRAME_SAMPLES));
    int n = payload.length;
    codec.reset();
    short[] pcm = guarded(G711Codec.FRAME_SAMPLES);
    int got;
    try {
      got = codec.decode(payload, 0, n, pcm, GUARD);
    } catch (CodecException e) {
      // Only a payload of other than one frame may be refused, and then nothing is written.
      assertTrue(n != G711Codec.FRAME_SAMPLES, "a one-frame payload was refused: " + e.getMessage());
      for (int i = 0; i < G711Codec.FRAME_SAMPLES; i++) {
        assertEquals(CANARY, pcm[GUARD + i], "a refused payload wrote samples");
      }
      return;
    } catch (RuntimeException e) {
      throw new AssertionError("G.711 decode threw " + e, e);
    }
    assertEquals(G711Codec.FRAME_SAMPLES, n, "only a one-frame payload decodes");
    assertEquals(n, got, "G.711 decodes one sample per byte");
    long sum = 0;
    for (int i = 0; i < n; i++) {
      short expected = ulaw ? G711.ulawToLinear(payload[i] & 0xFF) : G711.alawToLinear(payload[i] & 0xFF);
      assertEquals(expected, pcm[GUARD + i], "sample " + i);
      sum += Math.abs(expected);
    }
    assertGuardsIntact(pcm, G711Codec.FRAME_SAMPLES, "G.711 decode");
    assertEquals(sum < (long) G711Codec.QUIET_MEAN_ABS_LEVEL * n || n == 0, codec.isQuiet(payload, 0, n),
        "isQuiet disagrees with the decoded level");

    short[] plc = guarded(G711Codec.FRAME_SAMPLES);
    assertEquals(G711Codec.FRAME_SAMPLES, codec.conceal(plc, GUARD));
    assertGuardsIntact(plc, G711Codec.FRAME_SAMPLES, "G.711 concealment");
    short[] after = guarded(G711Codec.FRAME_SAMPLES);
    assertEquals(n, codec.decode(payload, 0, n, after, GUARD), "decode after concealment");
    assertGuardsIntact(after, G711Codec.FRAME_SAMPLES, "G.711 decode after concealment");
  }


  /**
   * G.711 as the receive path uses it: any payload length a jitter buffer accepts (up to 1500 bytes), into a
   * buffer of exactly one frame, must give exactly one frame or be refused: see the reproducers in
   * CodecFuzzTestInputs/g711FrameSize/ and docs/FUZZING.md.
   */
  @FuzzTest
  void g711FrameSize(byte[] data) {
    if (data.length == 0) {
      return;
    }
    G711Codec codec = (data[0] & 1) == 0 ? PCMU : PCMA;
    codec.reset();
    short[] frame = new short[G711Codec.FRAME_SAMPLES];
    int n;
    try {
      n = codec.decode(data, 1, data.length - 1, frame, 0);
    } catch (CodecException e) {
      return;
    } catch (RuntimeException e) {
      throw new AssertionError("G.711 decode of a " + (data.length - 1) + "-byte payload threw " + e, e);
    }
    assertEquals(G711Codec.FRAME_SAMPLES, n, "G.711 decode of a " + (data.length - 1) + "-byte payload");
  }
}
