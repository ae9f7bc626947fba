package io.causerie.server;

import io.causerie.protocol.EndReason;
import java.util.Arrays;

/** Counters the signalling core keeps, for logs, tests and (later) metrics. Signalling thread only. */
public final class ServerStats {
  /** How many recent call set-up times are kept for percentiles. */
  public static final int SETUP_SAMPLES = 4096;

  long malformed;
  long duplicates;
  long retransmissions;
  long logins;
  long authFailures;
  long expiredSessions;
  long callAttempts;
  long silentlyDropped;
  private final long[] outcomes = new long[EndReason.values().length];
  final Samples setupNanos = new Samples(SETUP_SAMPLES);

  void count(EndReason reason) {
    outcomes[reason.ordinal()]++;
  }

  public long malformed() {
    return malformed;
  }

  public long duplicates() {
    return duplicates;
  }

  public long retransmissions() {
    return retransmissions;
  }

  public long logins() {
    return logins;
  }

  public long authFailures() {
    return authFailures;
  }

  public long expiredSessions() {
    return expiredSessions;
  }

  public long callAttempts() {
    return callAttempts;
  }

  public long silentlyDropped() {
    return silentlyDropped;
  }

  public long outcome(EndReason reason) {
    return outcomes[reason.ordinal()];
  }

  /** A ring of the most recent samples. */
  static final class Samples {
    private final long[] ring;
    private int next;
    private int size;

    Samples(int capacity) {
      ring = new long[capacity];
    }

    void add(long v) {
      ring[next] = v;
      next = (next + 1) % ring.length;
      size = Math.min(size + 1, ring.length);
    }

    /** The q-quantile (0..1) of the kept samples, or 0 if there are none. */
    long quantile(double q) {
      if (size == 0) {
        return 0;
      }
      long[] copy = Arrays.copyOf(ring, size);
      Arrays.sort(copy);
      return copy[(int) Math.min(size - 1, Math.floor(q * size))];
    }
  }

  public long setupNanosQuantile(double q) {
    return setupNanos.quantile(q);
  }
}
