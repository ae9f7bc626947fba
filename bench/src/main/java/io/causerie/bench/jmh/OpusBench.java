package io.causerie.bench.jmh;

import io.causerie.media.codec.OpusCodec;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Opus (Concentus) encode and decode of one 20 ms frame (960 samples at 48 kHz, mono) through {@link OpusCodec},
 * with the product's settings (24 kbit/s, VOIP, wideband, no DTX) at complexity 0, 5 (the default) and 10, and
 * in-band FEC off (the default while no loss is reported) or on (FEC allowed and 10 % expected loss, which is
 * what makes the encoder emit LBRR). Input: 10 s of {@link SpeechSignal}, cycled frame by frame, so the encoder
 * sees speech, syllable onsets and pauses; decode plays back frames the same settings really encoded.
 *
 * <p>Warm-up is 15 s, not 3: Concentus reaches its steady speed only after many seconds of audio (C2 compiles its
 * large methods late), and 3 s left the encoder figures still falling between measurement iterations.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
@Warmup(iterations = 15, time = 1)
@Measurement(iterations = 5, time = 1)
public class OpusBench {
  /** Frames of input cycled through (10 s). */
  static final int FRAMES = 500;

  @Param({"0", "5", "10"})
  public int complexity;

  @Param({"false", "true"})
  public boolean fec;

  private short[] pcm;
  private OpusCodec encoder;
  private OpusCodec decoder;
  private byte[] encodeOut;
  private byte[][] packets;
  private short[] decodeOut;
  private int encodeFrame;
  private int decodeFrame;

  @Setup
  public void setUp() {
    pcm = SpeechSignal.generate(OpusCodec.SAMPLE_RATE_HZ, FRAMES * 0.02);
    encoder = new OpusCodec(config(complexity, fec));
    encodeOut = new byte[OpusCodec.MAX_PAYLOAD_BYTES];
    OpusCodec source = new OpusCodec(config(complexity, fec));
    packets = new byte[FRAMES][];
    for (int i = 0; i < FRAMES; i++) {
      int len = source.encode(pcm, i * OpusCodec.FRAME_SAMPLES, encodeOut, 0);
      packets[i] = java.util.Arrays.copyOf(encodeOut, len);
    }
    decoder = new OpusCodec(config(complexity, fec));
    decodeOut = new short[OpusCodec.FRAME_SAMPLES];
  }

  static OpusCodec.Config config(int complexity, boolean fec) {
    OpusCodec.Config d = OpusCodec.Config.DEFAULTS;
    return new OpusCodec.Config(d.payloadType(), d.bitrateBps(), fec, fec ? 10 : 0, false, complexity,
        d.maxAudioBandwidthHz());
  }

  @Benchmark
  public int encode() {
    int f = encodeFrame;
    encodeFrame = f + 1 == FRAMES ? 0 : f + 1;
    return encoder.encode(pcm, f * OpusCodec.FRAME_SAMPLES, encodeOut, 0);
  }

  @Benchmark
  public short decode() {
    int f = decodeFrame;
    decodeFrame = f + 1 == FRAMES ? 0 : f + 1;
    byte[] p = packets[f];
    decoder.decode(p, 0, p.length, decodeOut, 0);
    return decodeOut[f & 511];
  }
}
