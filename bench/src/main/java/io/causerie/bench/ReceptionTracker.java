package io.causerie.bench;

/**
 * What arrived of one media stream, by sequence number: unique packets, duplicates and late (reordered)
 * ones, over a sliding window of the last {@link #WINDOW} sequence numbers (as an SRTP replay window).
 * Loss is what the sender sent minus {@link #unique()}. Pure; allocates only at construction.
 */
public final class ReceptionTracker {
  /** Sequence numbers remembered behind the highest one seen. */
  public static final int WINDOW = 1024;

  /** What one arrival was. */
  public enum Arrival {
    /** The highest sequence number so far (in order, possibly after a gap). */
    NEW,
    /** Not seen before, but below the highest seen: it arrived out of order. */
    REORDERED,
    /** Seen before. */
    DUPLICATE,
    /** Older than the window: cannot tell, so it is not counted as received. */
    TOO_OLD
  }

  private final long[] seen = new long[WINDOW / 64];
  private boolean any;
  private long highest;
  private long unique;
  private long duplicates;
  private long reordered;
  private long tooOld;

  public Arrival onPacket(long seq) {
    if (!any) {
      any = true;
      highest = seq;
      mark(seq);
      unique++;
      return Arrival.NEW;
    }
    if (seq > highest) {
      long advance = seq - highest;
      if (advance >= WINDOW) {
        java.util.Arrays.fill(seen, 0);
      } else {
        for (long s = highest + 1; s <= seq; s++) {
          clear(s);
        }
      }
      highest = seq;
      mark(seq);
      unique++;
      return Arrival.NEW;
    }
    if (highest - seq >= WINDOW) {
      tooOld++;
      return Arrival.TOO_OLD;
    }
    if (isMarked(seq)) {
      duplicates++;
      return Arrival.DUPLICATE;
    }
    mark(seq);
    unique++;
    reordered++;
    return Arrival.REORDERED;
  }

  private void mark(long seq) {
    int bit = (int) Math.floorMod(seq, (long) WINDOW);
    seen[bit >>> 6] |= 1L << (bit & 63);
  }

  private void clear(long seq) {
    int bit = (int) Math.floorMod(seq, (long) WINDOW);
    seen[bit >>> 6] &= ~(1L << (bit & 63));
  }

  private boolean isMarked(long seq) {
    int bit = (int) Math.floorMod(seq, (long) WINDOW);
    return (seen[bit >>> 6] & (1L << (bit & 63))) != 0;
  }

  /** Distinct packets received. */
  public long unique() {
    return unique;
  }

  public long duplicates() {
    return duplicates;
  }

  public long reordered() {
    return reordered;
  }

  public long tooOld() {
    return tooOld;
  }

  /** Packets the sender sent that never arrived (never negative). */
  public long lost(long sent) {
    return Math.max(0, sent - unique);
  }
}
