package io.causerie.bench;

/**
 * When each of {@code streams} media streams sends: one packet per {@code periodNanos} each, with the
 * streams' start times spread evenly across the period so the relay sees a smooth packet rate rather than
 * one burst every 20 ms. Pure arithmetic.
 *
 * <pre>
 *   stream i, packet k:  due = start + k * period + i * period / streams
 * </pre>
 */
public final class PacingSchedule {
  /** Voice frame interval: 20 ms, so 50 packets per second per direction. */
  public static final long DEFAULT_PERIOD_NANOS = 20_000_000L;

  private final int streams;
  private final long periodNanos;
  private final long startNanos;
  private final long rampNanos;

  public PacingSchedule(int streams, long periodNanos, long startNanos) {
    this(streams, periodNanos, startNanos, 0);
  }

  /**
   * With a ramp: stream {@code i} joins at {@code start + i * ramp / streams} and sends nothing due before that,
   * so the load grows evenly from one stream to all of them over {@code rampNanos}, as calls arriving over time
   * do, instead of starting all at once on a server whose JIT has not compiled the forwarding path yet.
   */
  public PacingSchedule(int streams, long periodNanos, long startNanos, long rampNanos) {
    if (rampNanos < 0) {
      throw new IllegalArgumentException("ramp must be >= 0, got " + rampNanos);
    }
    this.rampNanos = rampNanos;
    if (streams < 1) {
      throw new IllegalArgumentException("need at least one stream, got " + streams);
    }
    if (periodNanos < 1) {
      throw new IllegalArgumentException("period must be positive, got " + periodNanos);
    }
    this.streams = streams;
    this.periodNanos = periodNanos;
    this.startNanos = startNanos;
  }

  public int streams() {
    return streams;
  }

  public long periodNanos() {
    return periodNanos;
  }

  public long startNanos() {
    return startNanos;
  }

  /** Offset of stream {@code i} inside each period. */
  public long offsetNanos(int stream) {
    return stream * periodNanos / streams;
  }

  /** When stream {@code stream} joins the load (the start without a ramp). */
  public long joinNanos(int stream) {
    return startNanos + (long) ((double) rampNanos * stream / streams);
  }

  /** True if packet {@code k} of {@code stream} is sent: it is not due before the stream joins. */
  public boolean joined(long k, int stream) {
    return dueNanos(k, stream) >= joinNanos(stream);
  }

  /** When stream {@code stream} sends its packet number {@code k} (0-based). */
  public long dueNanos(long k, int stream) {
    return startNanos + k * periodNanos + offsetNanos(stream);
  }

  /** Packets per second of each stream. */
  public double packetsPerSecondPerStream() {
    return 1e9 / periodNanos;
  }

  /** Packets per second of all streams together. */
  public double packetsPerSecond() {
    return streams * packetsPerSecondPerStream();
  }

  /** How many packets stream {@code stream} has due strictly before {@code atNanos}. */
  public long packetsDueBefore(int stream, long atNanos) {
    long first = dueNanos(0, stream);
    if (atNanos <= first) {
      return 0;
    }
    return (atNanos - first - 1) / periodNanos + 1;
  }
}
