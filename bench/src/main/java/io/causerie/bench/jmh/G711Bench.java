package io.causerie.bench.jmh;

import io.causerie.media.codec.G711Codec;
import io.causerie.media.codec.PcmuCodec;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * G.711 μ-law (PCMU) encode and decode of one 20 ms frame (160 samples at 8 kHz) through {@link PcmuCodec},
 * decode including the concealer's bookkeeping on good frames. Input: 10 s of {@link SpeechSignal} at 8 kHz.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class G711Bench {
  static final int FRAMES = 500;

  private short[] pcm;
  private PcmuCodec encoder;
  private PcmuCodec decoder;
  private byte[] encodeOut;
  private byte[][] packets;
  private short[] decodeOut;
  private int encodeFrame;
  private int decodeFrame;

  @Setup
  public void setUp() {
    pcm = SpeechSignal.generate(G711Codec.SAMPLE_RATE_HZ, FRAMES * 0.02);
    encoder = new PcmuCodec();
    encodeOut = new byte[G711Codec.FRAME_SAMPLES];
    packets = new byte[FRAMES][G711Codec.FRAME_SAMPLES];
    for (int i = 0; i < FRAMES; i++) {
      encoder.encode(pcm, i * G711Codec.FRAME_SAMPLES, packets[i], 0);
    }
    decoder = new PcmuCodec();
    decodeOut = new short[G711Codec.FRAME_SAMPLES];
  }

  @Benchmark
  public byte encode() {
    int f = encodeFrame;
    encodeFrame = f + 1 == FRAMES ? 0 : f + 1;
    encoder.encode(pcm, f * G711Codec.FRAME_SAMPLES, encodeOut, 0);
    return encodeOut[f & 127];
  }

  @Benchmark
  public short decode() {
    int f = decodeFrame;
    decodeFrame = f + 1 == FRAMES ? 0 : f + 1;
    decoder.decode(packets[f], 0, G711Codec.FRAME_SAMPLES, decodeOut, 0);
    return decodeOut[f & 127];
  }
}
