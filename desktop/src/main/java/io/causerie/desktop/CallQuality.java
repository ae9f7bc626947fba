package io.causerie.desktop;

/**
 * One quality report about the voice we receive, as the voice path will produce it about once a second.
 * A figure that is not known is {@link Double#NaN}.
 *
 * @param mos estimated mean opinion score, 1.0 to 4.5 (E-model, ITU-T G.107)
 * @param lossPct packets lost since the previous report, in percent
 * @param jitterMs interarrival jitter (RFC 3550 §6.4.1), in milliseconds
 * @param rttMs round-trip time to the server, in milliseconds
 * @param jbDelayMs current jitter-buffer (playout) delay, in milliseconds
 */
public record CallQuality(double mos, double lossPct, double jitterMs, double rttMs, double jbDelayMs) {

  /** A report with nothing known. */
  public static final CallQuality UNKNOWN = new CallQuality(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

  static boolean known(double v) {
    return !Double.isNaN(v) && v >= 0;
  }
}
