package io.causerie.media.quality;

/**
 * The "middle 32 bits" NTP format RTCP uses for LSR/DLSR and round-trip computation (RFC 3550
 * §4, §6.4.1): 16 bits of seconds and 16 bits of fraction, modulo 2^32.
 *
 * <p>Round-trip time only subtracts values taken on one host's clock, so any monotonic
 * nanosecond clock (the injected {@code nowNanos}) can stand in for wall-clock NTP.
 */
public final class CompactNtp {
  private CompactNtp() {}

  /** Units per second (2^16). */
  public static final long UNITS_PER_SECOND = 1L << 16;

  /** Mask of the 32-bit value. */
  public static final long MASK = 0xFFFF_FFFFL;

  /** Converts a nanosecond clock reading to compact NTP units modulo 2^32. */
  public static long fromNanos(long nanos) {
    long seconds = Math.floorDiv(nanos, 1_000_000_000L);
    long rest = Math.floorMod(nanos, 1_000_000_000L);
    return (seconds * UNITS_PER_SECOND + rest * UNITS_PER_SECOND / 1_000_000_000L) & MASK;
  }

  /** Converts a duration in nanoseconds to compact NTP units (for DLSR), saturating at 2^32-1. */
  public static long durationFromNanos(long nanos) {
    if (nanos <= 0) {
      return 0;
    }
    long seconds = nanos / 1_000_000_000L;
    if (seconds >= UNITS_PER_SECOND) {
      return MASK;
    }
    return seconds * UNITS_PER_SECOND + (nanos % 1_000_000_000L) * UNITS_PER_SECOND / 1_000_000_000L;
  }

  /** Converts a duration in compact NTP units to milliseconds. */
  public static double toMillis(long units) {
    return units * 1000.0 / UNITS_PER_SECOND;
  }
}
