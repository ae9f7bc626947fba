package io.causerie.media.rtp;

/**
 * Per-source sequence validation and extended (cycle-counting) sequence numbers, a faithful port of
 * RFC 3550 Appendix A.1 {@code init_seq}/{@code update_seq} with 64-bit cycle counting.
 *
 * <p>A new source is on probation until {@code minSequential} packets arrive in sequence; a jump of
 * more than {@link #MAX_DROPOUT} ahead or {@link #MAX_MISORDER} behind is only accepted (as a
 * restart of the source) when the very next packet continues from it. Not thread-safe.
 */
public final class SequenceTracker {
  /** Largest forward jump still treated as loss rather than a restart (RFC 3550 A.1). */
  public static final int MAX_DROPOUT = 3000;

  /** Largest backward jump still treated as reordering rather than a restart (RFC 3550 A.1). */
  public static final int MAX_MISORDER = 100;

  /** Packets in sequence needed before a new source is valid (RFC 3550 A.1). */
  public static final int DEFAULT_MIN_SEQUENTIAL = 2;

  private static final int NO_BAD_SEQ = SequenceNumbers.SEQ_MOD + 1;

  private final int minSequential;
  private boolean initialized;
  private int maxSeq;
  private long cycles;
  private int baseSeq;
  private int badSeq;
  private int probation;
  private long received;
  private long expectedPrior;
  private long receivedPrior;

  /** A tracker with the RFC's default probation of {@value #DEFAULT_MIN_SEQUENTIAL} packets. */
  public SequenceTracker() {
    this(DEFAULT_MIN_SEQUENTIAL);
  }

  /** A tracker that validates a new source after {@code minSequential} in-sequence packets. */
  public SequenceTracker(int minSequential) {
    if (minSequential < 1) {
      throw new IllegalArgumentException("minSequential must be >= 1: " + minSequential);
    }
    this.minSequential = minSequential;
  }

  private void initSeq(int seq) {
    baseSeq = seq;
    maxSeq = seq;
    badSeq = NO_BAD_SEQ;
    cycles = 0;
    received = 0;
    receivedPrior = 0;
    expectedPrior = 0;
  }

  /**
   * Accounts for one arriving packet; returns true when the packet is valid (counted) and false
   * while the source is on probation or the packet is an unconfirmed jump.
   */
  public boolean update(int seq) {
    seq &= SequenceNumbers.SEQ_MASK;
    if (!initialized) {
      initialized = true;
      initSeq(seq);
      maxSeq = (seq - 1) & SequenceNumbers.SEQ_MASK;
      probation = minSequential;
    }
    int udelta = (seq - maxSeq) & SequenceNumbers.SEQ_MASK;
    if (probation > 0) {
      if (seq == ((maxSeq + 1) & SequenceNumbers.SEQ_MASK)) {
        probation--;
        maxSeq = seq;
        if (probation == 0) {
          initSeq(seq);
          received++;
          return true;
        }
      } else {
        probation = minSequential - 1;
        maxSeq = seq;
      }
      return false;
    } else if (udelta < MAX_DROPOUT) {
      if (seq < maxSeq) {
        cycles += SequenceNumbers.SEQ_MOD;
      }
      maxSeq = seq;
    } else if (udelta <= SequenceNumbers.SEQ_MOD - MAX_MISORDER) {
      if (seq == badSeq) {
        initSeq(seq);
      } else {
        badSeq = (seq + 1) & SequenceNumbers.SEQ_MASK;
        return false;
      }
    } // else: duplicate or reordered packet, counted but not moving maxSeq
    received++;
    return true;
  }

  /** Whether the source has passed probation. */
  public boolean isValid() {
    return initialized && probation == 0;
  }

  /** The highest sequence number seen, extended with the 64-bit cycle count. */
  public long extendedHighest() {
    return cycles + maxSeq;
  }

  /** The extended highest sequence number truncated to 32 bits as carried in RTCP (§6.4.1). */
  public long extendedHighest32() {
    return extendedHighest() & SequenceNumbers.TIMESTAMP_MASK;
  }

  /** The extended sequence number the source started from after the last (re)initialisation. */
  public long baseSeq() {
    return baseSeq;
  }

  /** Extends {@code seq} to the 64-bit value nearest to the current extended highest. */
  public long extend(int seq) {
    return SequenceNumbers.extend(extendedHighest(), seq);
  }

  /** Packets counted as received (duplicates included, as in RFC 3550 A.3). */
  public long received() {
    return received;
  }

  /** Packets expected since the base: extended highest - base + 1 (RFC 3550 A.3). */
  public long expected() {
    return isValid() ? extendedHighest() - baseSeq + 1 : 0;
  }

  /** Cumulative packets lost: expected - received; negative when duplicates outnumber losses. */
  public long cumulativeLost() {
    return expected() - received;
  }

  /**
   * Fraction lost since the previous call, as an 8-bit fixed-point number (RFC 3550 A.3); starts a
   * new reporting interval.
   */
  public int takeIntervalFractionLost() {
    long expected = expected();
    long expectedInterval = expected - expectedPrior;
    expectedPrior = expected;
    long receivedInterval = received - receivedPrior;
    receivedPrior = received;
    long lostInterval = expectedInterval - receivedInterval;
    if (expectedInterval == 0 || lostInterval <= 0) {
      return 0;
    }
    return (int) Math.min(255, (lostInterval << 8) / expectedInterval);
  }
}
