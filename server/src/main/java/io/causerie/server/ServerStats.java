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
  long rateLimited;
  long lockouts;
  long lockedOut;
  /** Quality reports received, and the sums and counts of their known figures (loss %, jitter ms, MOS). */
  long qualityReports;
  long notificationRounds;
  long unreachableSessions;
  final double[] qualitySums = new double[3];
  final long[] qualityCounts = new long[3];

  void quality(io.causerie.protocol.Message.CallQuality q) {
    qualityReports++;
    add(0, io.causerie.protocol.Message.CallQuality.value(q.lossPermille(), 10));
    add(1, io.causerie.protocol.Message.CallQuality.value(q.jitterTenthsMs(), 10));
    add(2, io.causerie.protocol.Message.CallQuality.value(q.mosHundredths(), 100));
  }

  private void add(int i, Double v) {
    if (v != null) {
      qualitySums[i] += v;
      qualityCounts[i]++;
    }
  }
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

  /** Unauthenticated datagrams dropped by the per-address rate limit. */
  public long rateLimited() {
    return rateLimited;
  }

  /** Times a user name or an address got locked out. */
  public long lockouts() {
    return lockouts;
  }

  /** Sign-ins refused because of a running lockout. */
  public long lockedOut() {
    return lockedOut;
  }

  /** A ring of the most recent samples. */
  static final class Samples {
    private final long[] ring;
    private int next;
    private int size;

    private long total;

    /** Samples ever added. */
    long total() {
      return total;
    }

    /** The newest {@code n} samples (at most the capacity), oldest first. */
    long[] newest(int n) {
      int k = Math.min(n, size);
      long[] out = new long[k];
      for (int i = 0; i < k; i++) {
        out[i] = ring[Math.floorMod(next - k + i, ring.length)];
      }
      return out;
    }

    Samples(int capacity) {
      ring = new long[capacity];
    }

    void add(long v) {
      total++;
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

  /** Figures copied at one instant, safe to read from any thread. */
  public record Snapshot(
      int sessions, int activeCalls, int pendingLogins, int pendingNotifications, long logins, long authFailures,
      long expiredSessions, long callAttempts, long malformed, long duplicates, long retransmissions,
      long silentlyDropped, long rateLimited, long lockouts, long lockedOut, long qualityReports,
      double[] qualitySums, long[] qualityCounts, long[] outcomes, long setupP50Nanos, long setupP95Nanos, long setupP99Nanos,
      long setupCount, long[] recentSetupNanos, long notificationRounds, long unreachableSessions) {

    public long outcome(EndReason reason) {
      return outcomes[reason.ordinal()];
    }
  }

  Snapshot snapshot(int sessions, int activeCalls, int pendingLogins, int pendingNotifications) {
    return new Snapshot(sessions, activeCalls, pendingLogins, pendingNotifications, logins, authFailures,
        expiredSessions, callAttempts, malformed, duplicates, retransmissions, silentlyDropped, rateLimited, lockouts, lockedOut, qualityReports,
        qualitySums.clone(), qualityCounts.clone(), outcomes.clone(),
        setupNanos.quantile(0.5), setupNanos.quantile(0.95), setupNanos.quantile(0.99), setupNanos.total(),
        setupNanos.newest(SETUP_SAMPLES), notificationRounds, unreachableSessions);
  }

}
