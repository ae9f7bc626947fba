package io.causerie.client.media;

import io.causerie.transport.impair.ImpairmentSpec;
import io.causerie.media.VoiceSender;
import java.time.Duration;
import java.util.List;
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
 * @param redundancy when to send redundant copies of earlier frames, where the call negotiated them
 * @param redundancyDistances which earlier frames each packet carries a copy of, in packets back (default
 *     {@code [2]}: packet n carries frame n − 2, since its in-band FEC already rebuilds n − 1)
 */
public record MediaConfig(
    AudioInput input,
    AudioOutput output,
    int jitterCapMillis,
    ImpairmentSpec impairment,
    ImpairDirection impairDirection,
    Duration reportInterval,
    RedundancyMode redundancy,
    List<Integer> redundancyDistances) {

  /** Default jitter-buffer cap: 200 ms, the mouth-to-ear budget's share for buffering. */
  public static final int DEFAULT_JITTER_CAP_MILLIS = 200;

  /** Smallest cap: two 20 ms frames (one more than Opus FEC needs buffered). */
  public static final int MIN_JITTER_CAP_MILLIS = 40;

  /** Largest cap accepted. */
  public static final int MAX_JITTER_CAP_MILLIS = 2_000;

  /** Default report interval: 2 s, RFC 3550's 5 s minimum scaled down for faster FEC reaction. */
  public static final Duration DEFAULT_REPORT_INTERVAL = Duration.ofSeconds(2);

  /** Default redundancy distances: frame n − 2 in packet n, so two losses in a row are recovered. */
  public static final List<Integer> DEFAULT_REDUNDANCY_DISTANCES = List.of(2, 3);

  public MediaConfig {
    Objects.requireNonNull(redundancy, "redundancy");
    redundancyDistances = List.copyOf(redundancyDistances);
    if (redundancyDistances.isEmpty() || redundancyDistances.stream().distinct().count()
        != redundancyDistances.size() || redundancyDistances.stream().anyMatch(
            d -> d < 1 || d > VoiceSender.MAX_REDUNDANCY_DISTANCE)) {
      throw new IllegalArgumentException("redundancy distances must be distinct, 1.."
          + VoiceSender.MAX_REDUNDANCY_DISTANCE + ": " + redundancyDistances);
    }
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
        ImpairmentSpec.NONE, ImpairDirection.IN, DEFAULT_REPORT_INTERVAL, RedundancyMode.AUTO,
        DEFAULT_REDUNDANCY_DISTANCES);
  }

  public MediaConfig withInput(AudioInput in) {
    return new MediaConfig(in, output, jitterCapMillis, impairment, impairDirection,
        reportInterval, redundancy, redundancyDistances);
  }

  public MediaConfig withOutput(AudioOutput out) {
    return new MediaConfig(input, out, jitterCapMillis, impairment, impairDirection,
        reportInterval, redundancy, redundancyDistances);
  }

  public MediaConfig withJitterCapMillis(int millis) {
    return new MediaConfig(input, output, millis, impairment, impairDirection,
        reportInterval, redundancy, redundancyDistances);
  }

  public MediaConfig withImpairment(ImpairmentSpec spec, ImpairDirection direction) {
    return new MediaConfig(input, output, jitterCapMillis, spec, direction,
        reportInterval, redundancy, redundancyDistances);
  }

  public MediaConfig withReportInterval(Duration interval) {
    return new MediaConfig(input, output, jitterCapMillis, impairment, impairDirection,
        interval, redundancy, redundancyDistances);
  }

  /** When to send redundant copies, and which. */
  public MediaConfig withRedundancy(RedundancyMode mode, List<Integer> distances) {
    return new MediaConfig(input, output, jitterCapMillis, impairment, impairDirection, reportInterval, mode,
        distances);
  }

  /** The distances as an array, for {@link VoiceSender#setRedundancy}. */
  public int[] redundancyDistanceArray() {
    return redundancyDistances.stream().mapToInt(Integer::intValue).toArray();
  }
}
