package io.causerie.media.rtp;

/**
 * Wrap-around arithmetic on 16-bit RTP sequence numbers and 32-bit RTP timestamps (serial number
 * arithmetic in the sense of RFC 1982, as RFC 3550 Appendix A.1 uses it).
 */
public final class SequenceNumbers {
  private SequenceNumbers() {}

  /** Number of distinct 16-bit sequence numbers. */
  public static final int SEQ_MOD = 1 << 16;

  /** Mask of a 16-bit sequence number. */
  public static final int SEQ_MASK = 0xFFFF;

  /** Number of distinct 32-bit timestamps. */
  public static final long TIMESTAMP_MOD = 1L << 32;

  /** Mask of a 32-bit timestamp. */
  public static final long TIMESTAMP_MASK = 0xFFFF_FFFFL;

  /**
   * Signed distance from {@code from} to {@code to} on the 16-bit circle, in [-32768, 32767]:
   * positive when {@code to} is newer.
   */
  public static int delta(int from, int to) {
    return (short) ((to - from) & SEQ_MASK);
  }

  /**
   * Compares two 16-bit sequence numbers on the circle: negative when {@code a} is older than
   * {@code b}, zero when equal, positive when newer. Half the circle apart (32768) counts as older.
   */
  public static int compare(int a, int b) {
    return Integer.signum(delta(b, a));
  }

  /** Whether {@code a} is strictly newer than {@code b} on the 16-bit circle. */
  public static boolean isNewer(int a, int b) {
    return delta(b, a) > 0;
  }

  /** The sequence number after {@code seq}, wrapping 65535 to 0. */
  public static int next(int seq) {
    return (seq + 1) & SEQ_MASK;
  }

  /** The sequence number {@code n} steps after {@code seq} (n may be negative). */
  public static int add(int seq, int n) {
    return (seq + n) & SEQ_MASK;
  }

  /**
   * Extends a 16-bit sequence number to 64 bits, choosing the value nearest to {@code
   * referenceExtended} (the extended number of a recently seen packet).
   */
  public static long extend(long referenceExtended, int seq) {
    return referenceExtended + delta((int) (referenceExtended & SEQ_MASK), seq & SEQ_MASK);
  }

  /**
   * Signed distance from {@code from} to {@code to} on the 32-bit timestamp circle, in
   * [-2^31, 2^31 - 1].
   */
  public static long timestampDelta(long from, long to) {
    return (int) ((to - from) & TIMESTAMP_MASK);
  }

  /**
   * Extends a 32-bit timestamp to 64 bits, choosing the value nearest to {@code
   * referenceExtended}.
   */
  public static long extendTimestamp(long referenceExtended, long timestamp) {
    return referenceExtended
        + timestampDelta(referenceExtended & TIMESTAMP_MASK, timestamp & TIMESTAMP_MASK);
  }
}
