package io.causerie.client;

import io.causerie.transport.RetransmitPolicy;

/**
 * How lossy the path to the server looks, from how many sends each answered request took, and from it how long the
 * client must hear nothing before it takes the association for dead (docs/PROTOCOL.md §2.0).
 *
 * <p>A re-handshake is the cure for an address change or a restarted server, and a cost on a path that is merely
 * lossy: the old association is dropped and every request waits for three more round trips. At 20 % loss each way
 * a round trip fails 36 % of the time, so the four sends a request makes in 4 s all fail for one request in 60;
 * with the server's traffic as sparse as presence coalescing made it, that re-handshook clients in the middle of
 * their call set-ups. So the silence needed grows with the measured loss: enough unanswered sends that a healthy
 * association looks dead with probability at most {@link #FALSE_ALARM}, never fewer than {@link #MIN_SENDS}
 * (the clean-path behaviour, about 4 s) nor more than {@link #MAX_SENDS}. Pure and not thread-safe.
 */
public final class PathLoss {
  /** Accepted chance that a healthy association is taken for dead when a request goes unanswered. */
  public static final double FALSE_ALARM = 0.001;
  /** Unanswered sends that always suffice on a clean path (with the default policy, the 4th send is at 2.8 s). */
  public static final int MIN_SENDS = 4;
  /** Unanswered sends that always suffice (with the default policy, the 7th send is at 14 s). */
  public static final int MAX_SENDS = 7;
  /** Silence after the last of the sends needed, for its answer to come back. */
  public static final long ANSWER_WAIT_MILLIS = 1_200;
  /** Weight of the past in the estimate at each answered request (a memory of roughly ten requests). */
  public static final double DECAY = 0.9;

  private double failedSends;
  private double allSends;

  /** A request was answered after {@code sends} sends: all but one of them are counted as lost round trips. */
  public void answered(int sends) {
    int n = Math.max(1, sends);
    failedSends = failedSends * DECAY + (n - 1);
    allSends = allSends * DECAY + n;
  }

  /** The estimated chance that one send's round trip fails, 0 before anything was measured. */
  public double roundTripLoss() {
    return allSends == 0 ? 0 : failedSends / allSends;
  }

  /** Unanswered sends after which the association is taken for dead. */
  public int sendsNeeded() {
    double p = roundTripLoss();
    if (p <= 0) {
      return MIN_SENDS;
    }
    if (p >= 1) {
      return MAX_SENDS;
    }
    int k = (int) Math.ceil(Math.log(FALSE_ALARM) / Math.log(p));
    return Math.max(MIN_SENDS, Math.min(MAX_SENDS, k));
  }

  /** Silence, from the first send of a request, after which the association is taken for dead. */
  public long silenceMillis(RetransmitPolicy policy) {
    return policy.sendTimeMillis(sendsNeeded()) + ANSWER_WAIT_MILLIS;
  }
}
