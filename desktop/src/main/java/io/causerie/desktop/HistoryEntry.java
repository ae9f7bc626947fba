package io.causerie.desktop;

/**
 * One call of this session, for the call history.
 *
 * @param outgoing we placed the call
 * @param peer the other party
 * @param outcome how it ended
 * @param atMillis when it was placed or arrived, epoch milliseconds
 * @param durationMillis how long it was connected, or -1 if it never was
 */
public record HistoryEntry(boolean outgoing, String peer, CallOutcome outcome, long atMillis, long durationMillis) {

  /** An incoming call nobody answered: the history marks it. */
  public boolean missed() {
    return outcome == CallOutcome.MISSED;
  }

  public boolean connected() {
    return durationMillis >= 0;
  }
}
