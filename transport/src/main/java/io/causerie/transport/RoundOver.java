package io.causerie.transport;

/**
 * What a sender does with a request or notification whose round of resends ran out unanswered (docs/PROTOCOL.md
 * §6.2): the one rule both the server (its notifications, {@code SignallingCore}) and the client (its requests,
 * {@code SignallingClient}) follow. Pure. The server has no handshake to wait for and passes {@code handshaking}
 * false.
 *
 * <p>On the client, a request that gives up tells it its session is lost, and the client signs in again, ending any
 * call: right when the server is gone, wrong when the path was merely unlucky. Through 20 % loss each way a round trip
 * fails 36 % of the time: the seven sends that make the client handshake DTLS again all fail for one request in
 * ~1,300, and the new association can take the rest of the round to set up, so the request ran out while the
 * server was about to answer. The same reasoning as the server's for its notifications: a request gets another
 * round if the server was heard from since the round began, and waits for the outcome of a re-handshake begun
 * since then (the new association decides: another round if it is set up, the session lost if it fails); never
 * more than {@code maxRounds} rounds in all.
 */
public enum RoundOver {
  /** Give the request up: its give-up action runs (usually: the session is lost). */
  GIVE_UP,
  /** Send it again (same transaction id, same bytes) for another round. */
  NEXT_ROUND,
  /** Keep it until the DTLS handshake under way ends: another round if it succeeds, give up if it fails. */
  AWAIT_ASSOCIATION;

  /**
   * @param round the round that ran out, 0 for the first
   * @param maxRounds rounds a request gets in all
   * @param roundStartNanos when the round began (its first send)
   * @param lastHeardNanos when the other side was last heard from (a message, or an association set up)
   * @param handshaking whether a DTLS handshake with the other side is under way
   * @param handshakeStartNanos when that handshake began (ignored if none is)
   */
  public static RoundOver decide(int round, int maxRounds, long roundStartNanos, long lastHeardNanos,
      boolean handshaking, long handshakeStartNanos) {
    if (round + 1 >= maxRounds) {
      return GIVE_UP;
    }
    if (lastHeardNanos - roundStartNanos > 0) {
      return NEXT_ROUND;
    }
    if (handshaking && handshakeStartNanos - roundStartNanos >= 0) {
      return AWAIT_ASSOCIATION;
    }
    return GIVE_UP;
  }
}
