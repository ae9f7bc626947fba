package io.causerie.media.quality;

import io.causerie.media.rtp.SequenceNumbers;
import io.causerie.media.rtp.SequenceTracker;

/**
 * Receiver-side statistics of one RTP source: RFC 3550 Appendix A.1 sequence validation, A.3
 * cumulative and interval loss, A.8 interarrival jitter, plus a loss burst ratio for the E-model.
 *
 * <p>Arrival times come in as {@code arrivalNanos} from any monotonic clock. The burst ratio is
 * the G.107 {@code BurstR}: mean observed loss-run length divided by the mean run length random
 * loss of the same rate would give, {@code 1 / (1 - p)}; runs are measured from forward sequence
 * gaps, so late reordered packets make it approximate. Not thread-safe; no allocation per packet.
 */
public final class ReceptionStats {
  private final int clockRateHz;
  private final SequenceTracker tracker;
  private boolean haveTransit;
  private long firstArrivalNanos;
  private double lastTransit;
  private double jitter;
  private long highestForRuns = Long.MIN_VALUE;
  private long runsBase;
  private long lossRuns;
  private long lostInRuns;
  private long lastExtTimestamp;
  private boolean haveTimestamp;

  /** Statistics for a source with RTP clock {@code clockRateHz}. */
  public ReceptionStats(int clockRateHz) {
    this(clockRateHz, new SequenceTracker());
  }

  /** Statistics with a given sequence tracker (e.g. probation of 1 for tests). */
  public ReceptionStats(int clockRateHz, SequenceTracker tracker) {
    if (clockRateHz <= 0) {
      throw new IllegalArgumentException("clock rate must be positive: " + clockRateHz);
    }
    this.clockRateHz = clockRateHz;
    this.tracker = tracker;
  }

  /**
   * Accounts for one arriving packet; returns whether it was valid per RFC 3550 A.1 (false while
   * the source is on probation or for an unconfirmed jump).
   */
  public boolean onPacket(int sequenceNumber, long timestamp, long arrivalNanos) {
    if (!tracker.update(sequenceNumber)) {
      return false;
    }
    long ext = tracker.extend(sequenceNumber);
    if (highestForRuns == Long.MIN_VALUE || tracker.baseSeq() != runsBase) {
      runsBase = tracker.baseSeq(); // first packet, or the tracker restarted the source
      highestForRuns = ext;
    } else if (ext > highestForRuns) {
      long gap = ext - highestForRuns - 1;
      if (gap > 0) {
        lossRuns++;
        lostInRuns += gap;
      }
      highestForRuns = ext;
    }
    updateJitter(timestamp, arrivalNanos);
    return true;
  }

  /** RFC 3550 A.8: J += (|D| - J) / 16 with D the transit difference of consecutive packets. */
  private void updateJitter(long timestamp, long arrivalNanos) {
    long extTs = haveTimestamp
        ? SequenceNumbers.extendTimestamp(lastExtTimestamp, timestamp)
        : timestamp & SequenceNumbers.TIMESTAMP_MASK;
    lastExtTimestamp = extTs;
    haveTimestamp = true;
    if (!haveTransit) {
      firstArrivalNanos = arrivalNanos;
    }
    double arrivalTicks = (arrivalNanos - firstArrivalNanos) * (clockRateHz / 1e9);
    double transit = arrivalTicks - extTs;
    if (haveTransit) {
      double d = Math.abs(transit - lastTransit);
      jitter += (d - jitter) / 16.0;
    }
    lastTransit = transit;
    haveTransit = true;
  }

  /** Interarrival jitter in RTP timestamp units (fractional). */
  public double jitterTimestampUnits() {
    return jitter;
  }

  /** Interarrival jitter in milliseconds. */
  public double jitterMillis() {
    return jitter * 1000.0 / clockRateHz;
  }

  /** Packets received (valid ones, duplicates included, as RFC 3550 A.3 counts). */
  public long received() {
    return tracker.received();
  }

  /** Packets expected: extended highest - base + 1. */
  public long expected() {
    return tracker.expected();
  }

  /** Cumulative packets lost (expected - received; may be negative with duplicates). */
  public long cumulativeLost() {
    return tracker.cumulativeLost();
  }

  /** Cumulative loss in percent of expected packets, 0 when nothing is expected. */
  public double cumulativeLossPercent() {
    long expected = expected();
    return expected <= 0 ? 0 : Math.max(0, cumulativeLost()) * 100.0 / expected;
  }

  /** Extended highest sequence number received (64-bit). */
  public long extendedHighestSeq() {
    return tracker.extendedHighest();
  }

  /** G.107 burst ratio; 1.0 for random loss or no loss, above 1 for bursty loss. */
  public double burstRatio() {
    long expected = expected();
    if (lossRuns == 0 || expected <= 0) {
      return 1.0;
    }
    double p = Math.min(0.999, Math.max(0, cumulativeLost()) / (double) expected);
    double meanRun = lostInRuns / (double) lossRuns;
    return Math.max(1e-3, meanRun * (1 - p));
  }

  /**
   * Fraction lost since the previous call (RFC 3550 A.3), 8-bit fixed point; starts a new
   * interval.
   */
  public int takeIntervalFractionLost() {
    return tracker.takeIntervalFractionLost();
  }

  /**
   * Builds a report on this source (rolling the loss interval).
   *
   * @param lastSrTimestamp compact NTP timestamp of the last SR from the source, 0 if none
   * @param delaySinceLastSr compact NTP units since that SR arrived, 0 if none
   */
  public QualityReport report(
      int reporterSsrc, int sourceSsrc, long lastSrTimestamp, long delaySinceLastSr) {
    return new QualityReport(reporterSsrc, sourceSsrc, takeIntervalFractionLost(),
        QualityReport.clampCumulativeLost(cumulativeLost()), tracker.extendedHighest32(),
        Math.min(0xFFFF_FFFFL, Math.round(jitter)), lastSrTimestamp, delaySinceLastSr);
  }
}
