package io.causerie.media.crypto;

/**
 * The sliding replay window of RFC 3711 §3.3.2 over packet indices (48-bit SRTP or 31-bit SRTCP):
 * remembers the highest authenticated index and which of the {@value #SIZE} indices at and below
 * it were seen. {@link #check} before decrypting, {@link #update} only after authentication
 * succeeded, so forged packets cannot move the window. Not thread-safe.
 */
public final class ReplayWindow {
  /** Number of indices, ending at the highest one seen, the window remembers. */
  public static final int SIZE = 128;

  /** {@link #highest()} before any update. */
  public static final long NONE = -1;

  /** Bit {@code i} set: index {@code highest - i} was seen, for i in [0, 64). */
  private long recent;

  /** Bit {@code i} set: index {@code highest - 64 - i} was seen, for i in [0, 64). */
  private long older;

  private long highest = NONE;

  /** An empty window: every non-negative index is fresh. */
  public ReplayWindow() {}

  /** Whether {@code index} is new: ahead of the window, or inside it and not yet seen. */
  public boolean check(long index) {
    if (index < 0) {
      return false;
    }
    if (index > highest) {
      return true;
    }
    long delta = highest - index;
    if (delta >= SIZE) {
      return false;
    }
    return !isSet(delta);
  }

  /** Whether {@code index} lies left of the window, so its freshness can no longer be told. */
  public boolean isTooOld(long index) {
    return index < 0 || (index <= highest && highest - index >= SIZE);
  }

  /**
   * Records {@code index} as seen, sliding the window forward if it is the new highest. Indices
   * left of the window are ignored.
   */
  public void update(long index) {
    if (index < 0) {
      return;
    }
    if (index > highest) {
      shift(highest == NONE ? SIZE : index - highest);
      highest = index;
      recent |= 1L;
      return;
    }
    long delta = highest - index;
    if (delta < SIZE) {
      if (delta < Long.SIZE) {
        recent |= 1L << delta;
      } else {
        older |= 1L << (delta - Long.SIZE);
      }
    }
  }

  /** The highest index recorded so far, or {@link #NONE}. */
  public long highest() {
    return highest;
  }

  private boolean isSet(long delta) {
    return delta < Long.SIZE
        ? (recent & (1L << delta)) != 0
        : (older & (1L << (delta - Long.SIZE))) != 0;
  }

  /** Moves every remembered index {@code by} positions further from the top. */
  private void shift(long by) {
    if (by >= SIZE) {
      recent = 0;
      older = 0;
    } else if (by >= Long.SIZE) {
      older = recent << (by - Long.SIZE);
      recent = 0;
    } else {
      older = (older << by) | (recent >>> (Long.SIZE - by));
      recent <<= by;
    }
  }

  @Override
  public String toString() {
    return "ReplayWindow[highest=" + highest + "]";
  }
}
