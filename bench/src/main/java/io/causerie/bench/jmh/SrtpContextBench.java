package io.causerie.bench.jmh;

import io.causerie.media.crypto.SrtpContext;
import io.causerie.media.crypto.SrtpKeys;
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
 * A new {@link SrtpContext} (RFC 3711 session-key derivation and four AES-GCM {@code Cipher} instances): paid once
 * per call direction, and once per {@value SrtpBench#RING} packets inside {@link SrtpBench#unprotect}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SrtpContextBench {
  private SrtpKeys keys;

  @Setup
  public void setUp() {
    keys = new SrtpKeys(new byte[SrtpKeys.MASTER_KEY_BYTES], new byte[SrtpKeys.MASTER_SALT_BYTES]);
  }

  @Benchmark
  public SrtpContext newContext() {
    return new SrtpContext(keys);
  }
}
