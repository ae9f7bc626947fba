package io.causerie.bench;

/**
 * A fixed-bucket latency histogram in the manner of HdrHistogram: exact below 128 ns, then 128 linear
 * sub-buckets per power of two, so any recorded value is known to within 1/128 (0.8 %).
 *
 * <pre>
 *   value v            bucket
 *   0 .. 127           v                                     (exact)
 *   [2^e, 2^(e+1))     128 + (e - 7) * 128 + (v >> (e - 7)) - 128   for e = 7 .. 40
 *   &gt;= 2^41            the last bucket (counted as overflow; 2^41 ns is about 36 minutes)
 * </pre>
 *
 * <p>Recording allocates nothing. Not thread-safe: one writer, read after the writer is done (or
 * {@link #add} several writers' histograms together).
 */
public final class LatencyHistogram {
  /** log2 of the sub-buckets per power of two. */
  static final int SUB_BITS = 7;
  static final int SUB = 1 << SUB_BITS;
  /** Largest exponent kept: values up to 2^(MAX_EXP+1) - 1. */
  static final int MAX_EXP = 40;
  static final int BUCKETS = SUB + (MAX_EXP - SUB_BITS + 1) * SUB;

  private final long[] counts = new long[BUCKETS];
  private long total;
  private long overflow;
  private long min = Long.MAX_VALUE;
  private long max;
  private double sum;

  /** Records one value; negatives count as 0. */
  public void record(long value) {
    long v = Math.max(0, value);
    int i = index(v);
    if (i >= BUCKETS) {
      i = BUCKETS - 1;
      overflow++;
    }
    counts[i]++;
    total++;
    sum += v;
    if (v < min) {
      min = v;
    }
    if (v > max) {
      max = v;
    }
  }

  static int index(long v) {
    if (v < SUB) {
      return (int) v;
    }
    int e = 63 - Long.numberOfLeadingZeros(v);
    if (e > MAX_EXP) {
      return BUCKETS;
    }
    return SUB + (e - SUB_BITS) * SUB + (int) ((v >>> (e - SUB_BITS)) - SUB);
  }

  /** The largest value that lands in bucket {@code i}. */
  static long highestInBucket(int i) {
    if (i < SUB) {
      return i;
    }
    int e = (i - SUB) / SUB + SUB_BITS;
    long sub = (i - SUB) % SUB + SUB;
    long width = 1L << (e - SUB_BITS);
    return sub * width + width - 1;
  }

  /**
   * The value at quantile {@code q} (0..1): the smallest recorded bucket below which at least {@code q} of
   * the values lie, reported as that bucket's highest value (never above the recorded maximum). 0 if empty.
   */
  public long quantile(double q) {
    if (total == 0) {
      return 0;
    }
    if (q >= 1.0) {
      return max;
    }
    long target = Math.max(1, (long) Math.ceil(Math.max(0.0, q) * total));
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts[i];
      if (seen >= target) {
        return Math.min(max, Math.max(min, highestInBucket(i)));
      }
    }
    return max;
  }

  /** Adds another histogram's counts to this one. */
  public void add(LatencyHistogram other) {
    for (int i = 0; i < BUCKETS; i++) {
      counts[i] += other.counts[i];
    }
    total += other.total;
    overflow += other.overflow;
    sum += other.sum;
    min = Math.min(min, other.min);
    max = Math.max(max, other.max);
  }

  public void reset() {
    java.util.Arrays.fill(counts, 0);
    total = 0;
    overflow = 0;
    sum = 0;
    min = Long.MAX_VALUE;
    max = 0;
  }

  public long count() {
    return total;
  }

  /** Values beyond the histogram's range (kept in the last bucket). */
  public long overflow() {
    return overflow;
  }

  public long max() {
    return max;
  }

  public long min() {
    return total == 0 ? 0 : min;
  }

  public double mean() {
    return total == 0 ? 0 : sum / total;
  }
}
