package io.causerie.client.media;

import io.causerie.transport.impair.ImpairmentSpec;
import java.time.Duration;
import java.util.Objects;

/**
 * How a client handles the voice of its calls.
 *
 * @param input what to send
 * @param output where incoming voice goes
 * @param jitterCapMillis hard cap on the jitter buffer's delay
 * @param impairment network impairment applied to the client's own media path (testing)
 * @param impairDirection which way {@code impairment} acts
 * @param reportInterval time between quality reports to the peer
 */
public record MediaConfig(
    AudioInput input,
    AudioOutput output,
    int jitterCapMillis,
    ImpairmentSpec impairment,
    ImpairDirection impairDirection,
    Duration reportInterval) {

  /** Default jitter-buffer cap: 200 ms, the mouth-to-ear budget's share for buffering. */
  public static final int DEFAULT_JITTER_CAP_MILLIS = 200;

  /** Smallest cap: two 20 ms frames (one more than Opus FEC needs buffered). */
  public static final int MIN_JITTER_CAP_MILLIS = 40;

  /** Largest cap accepted. */
  public static final int MAX_JITTER_CAP_MILLIS = 2_000;

  /** Default report interval: 2 s, RFC 3550's 5 s minimum scaled down for faster FEC reaction. */
  public static final Duration DEFAULT_REPORT_INTERVAL = Duration.ofSeconds(2);

  public MediaConfig {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(impairment, "impairment");
    Objects.requireNonNull(impairDirection, "impairDirection");
    if (jitterCapMillis < MIN_JITTER_CAP_MILLIS || jitterCapMillis > MAX_JITTER_CAP_MILLIS) {
      throw new IllegalArgumentException("jitter cap must be " + MIN_JITTER_CAP_MILLIS + ".."
          + MAX_JITTER_CAP_MILLIS + " ms, not " + jitterCapMillis);
    }
    if (reportInterval.isNegative() || reportInterval.isZero()) {
      throw new IllegalArgumentException("report interval must be positive");
    }
  }

  /** Silence in, nothing out, no impairment: the headless default. */
  public static MediaConfig defaults() {
    return new MediaConfig(AudioInput.silence(), AudioOutput.none(), DEFAULT_JITTER_CAP_MILLIS,
        ImpairmentSpec.NONE, ImpairDirection.IN, DEFAULT_REPORT_INTERVAL);
  }

  public MediaConfig withInput(AudioInput in) {
    return new MediaConfig(in, output, jitterCapMillis, impairment, impairDirection, reportInterval);
  }

  public MediaConfig withOutput(AudioOutput out) {
    return new MediaConfig(input, out, jitterCapMillis, impairment, impairDirection, reportInterval);
  }

  public MediaConfig withJitterCapMillis(int millis) {
    return new MediaConfig(input, output, millis, impairment, impairDirection, reportInterval);
  }

  public MediaConfig withImpairment(ImpairmentSpec spec, ImpairDirection direction) {
    return new MediaConfig(input, output, jitterCapMillis, spec, direction, reportInterval);
  }

  public MediaConfig withReportInterval(Duration interval) {
    return new MediaConfig(input, output, jitterCapMillis, impairment, impairDirection, interval);
  }
}
