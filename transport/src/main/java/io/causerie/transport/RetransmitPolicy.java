package io.causerie.transport;

import java.util.concurrent.TimeUnit;

/**
 * How a request is retransmitted until answered (docs/PROTOCOL.md §6): first resend after
 * {@code initialMillis}, each later interval doubled up to {@code maxIntervalMillis}, giving up
 * {@code giveUpMillis} after the first send.
 */
public record RetransmitPolicy(long initialMillis, long maxIntervalMillis, long giveUpMillis) {
  /** Default first resend: above a loaded path's round trip, inside the 250–500 ms the protocol names. */
  public static final long DEFAULT_INITIAL_MILLIS = 400;
  /** Default cap on the interval between resends. */
  public static final long DEFAULT_MAX_INTERVAL_MILLIS = 4_000;
  /** Default time after which a request is abandoned. */
  public static final long DEFAULT_GIVE_UP_MILLIS = 30_000;
  /**
   * How many give-up periods a request or notification may get in all, when its sender has reason to think the
   * other side is there and merely unlucky (heard from it since, or a new association set up meanwhile): the
   * server for its notifications, the client for its requests (docs/PROTOCOL.md §6). Through 20 % loss each way
   * a round trip fails 36 % of the time, and one exchange in tens of thousands loses all the sends of a round.
   */
  public static final int DEFAULT_ROUNDS = 3;
  /**
   * The longest a retransmitted copy of one request can still arrive after the first, with the defaults: every
   * round, plus a DTLS handshake's worth (at most 10 s by default) between rounds, plus margin. Duplicate caches
   * keep answers at least this long, so that no late copy is taken for a new request.
   */
  public static final long DEFAULT_MAX_LIFETIME_MILLIS = DEFAULT_ROUNDS * DEFAULT_GIVE_UP_MILLIS + 30_000;

  public static final RetransmitPolicy DEFAULT =
      new RetransmitPolicy(DEFAULT_INITIAL_MILLIS, DEFAULT_MAX_INTERVAL_MILLIS, DEFAULT_GIVE_UP_MILLIS);

  public RetransmitPolicy {
    if (initialMillis <= 0 || maxIntervalMillis < initialMillis || giveUpMillis < initialMillis) {
      throw new IllegalArgumentException("bad retransmit policy: initial " + initialMillis + " ms, max "
          + maxIntervalMillis + " ms, give up " + giveUpMillis + " ms");
    }
  }

  /** The same policy with a different give-up time. */
  public RetransmitPolicy withGiveUpMillis(long millis) {
    return new RetransmitPolicy(initialMillis, Math.min(maxIntervalMillis, millis), millis);
  }

  /**
   * When the {@code k}-th send (1-based) of a request goes out, in milliseconds after the first: the schedule
   * {@link TransactionTable} follows (before any give-up).
   */
  public long sendTimeMillis(int k) {
    long t = 0;
    long interval = initialMillis;
    for (int i = 1; i < k; i++) {
      t += interval;
      interval = Math.min(interval * 2, maxIntervalMillis);
    }
    return t;
  }

  long initialNanos() {
    return TimeUnit.MILLISECONDS.toNanos(initialMillis);
  }

  long maxIntervalNanos() {
    return TimeUnit.MILLISECONDS.toNanos(maxIntervalMillis);
  }

  long giveUpNanos() {
    return TimeUnit.MILLISECONDS.toNanos(giveUpMillis);
  }
}
