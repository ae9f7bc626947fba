package io.causerie.client.media;

/**
 * When to send the next quality report: the first {@code firstDelay} after the call starts (early,
 * so that a lossy path turns FEC on within the first second), then every {@code interval}. Missed
 * deadlines are not made up: after a stall the next report is one interval from now. Pure.
 */
public final class ReportScheduler {
  private final long intervalNanos;
  private long nextNanos;
  private long reports;

  /** A schedule whose first report is due at {@code startNanos + firstDelayNanos}. */
  public ReportScheduler(long startNanos, long firstDelayNanos, long intervalNanos) {
    if (intervalNanos <= 0 || firstDelayNanos < 0) {
      throw new IllegalArgumentException("interval must be positive, first delay not negative");
    }
    this.intervalNanos = intervalNanos;
    this.nextNanos = startNanos + firstDelayNanos;
  }

  /** Whether a report is due at {@code nowNanos}; if so it counts as sent and the next is planned. */
  public boolean due(long nowNanos) {
    if (nowNanos - nextNanos < 0) {
      return false;
    }
    nextNanos += intervalNanos;
    if (nextNanos - nowNanos <= 0) {
      nextNanos = nowNanos + intervalNanos;
    }
    reports++;
    return true;
  }

  /** When the next report is due. */
  public long nextDeadlineNanos() {
    return nextNanos;
  }

  /** Reports due so far. */
  public long reports() {
    return reports;
  }
}
