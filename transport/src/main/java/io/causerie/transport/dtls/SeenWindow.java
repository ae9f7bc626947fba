package io.causerie.transport.dtls;

/**
 * Mirrors the record layer's anti-replay window (RFC 6347 4.1.2.6) so that a dropped record can be
 * counted as a replay rather than a bad MAC. Loop thread only.
 */
final class SeenWindow {
  static final int WINDOW_BITS = 64;
  private long max = -1;
  private long bits;

  boolean seen(long seq) {
    if (max < 0 || seq > max) {
      return false;
    }
    long d = max - seq;
    return d >= WINDOW_BITS || (bits >>> d & 1L) != 0;
  }

  void mark(long seq) {
    if (seq > max) {
      long shift = seq - max;
      bits = shift >= WINDOW_BITS ? 1L : bits << shift | 1L;
      max = seq;
    } else {
      long d = max - seq;
      if (d < WINDOW_BITS) {
        bits |= 1L << d;
      }
    }
  }
}
