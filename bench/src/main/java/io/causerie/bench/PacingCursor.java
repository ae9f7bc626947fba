package io.causerie.bench;

/**
 * Walks a {@link PacingSchedule} in due order (packet 0 of every stream, then packet 1, ...) for a generator that
 * wakes once per slot and sends, in one batch, every packet due before the slot ends: at most the slot's length
 * early, never late by design, and each stream still exactly one period apart. Pure arithmetic: the caller passes
 * the time.
 */
final class PacingCursor {
  private final PacingSchedule schedule;
  private final long earlyNanos;
  private long packet;
  private int stream;

  /** {@code earlyNanos}: how long before its due time a packet may go out (the slot length). */
  PacingCursor(PacingSchedule schedule, long earlyNanos) {
    if (earlyNanos < 0) {
      throw new IllegalArgumentException("early must be >= 0, got " + earlyNanos);
    }
    this.schedule = schedule;
    this.earlyNanos = earlyNanos;
  }

  /** When the next packet is due. */
  long dueNanos() {
    return schedule.dueNanos(packet, stream);
  }

  /** The stream (index into the active clients) the next packet belongs to. */
  int stream() {
    return stream;
  }

  /** The next packet's number within its stream (0-based). */
  long packet() {
    return packet;
  }

  /** True if the next packet may be sent at {@code nowNanos}: it is due within the slot that starts now. */
  boolean sendable(long nowNanos) {
    return dueNanos() - nowNanos <= earlyNanos;
  }

  /**
   * When to wake up for the next slot: when the next packet is due. That wake-up sends it and everything due
   * within the slot after it, so consecutive wake-ups are about one slot apart.
   */
  long wakeNanos() {
    return dueNanos();
  }

  /** True if the next packet is sent at all: its stream has joined the ramp by its due time. */
  boolean joined() {
    return schedule.joined(packet, stream);
  }

  /** Moves to the next packet in due order. */
  void advance() {
    if (++stream == schedule.streams()) {
      stream = 0;
      packet++;
    }
  }
}
