package io.causerie.server.store;

/**
 * One finished call as kept in the history. {@code id} is 0 until stored. {@code answeredAtMillis} is null for a call
 * that was never answered; the quality figures are null until measured. Non-finite figures are stored as null.
 *
 * @param outcome how the call ended, e.g. {@code remote-hangup}, {@code no-answer} (an {@code EndReason} JSON name)
 */
public record CallRecord(
    long id,
    String caller,
    String callee,
    long startedAtMillis,
    Long answeredAtMillis,
    long endedAtMillis,
    String outcome,
    long durationMillis,
    Double lossPercent,
    Double jitterMillis,
    Double rttMillis,
    Double mos) {

  /** Longest outcome text kept. */
  public static final int MAX_OUTCOME_CHARS = 32;

  public CallRecord {
    if (caller == null || callee == null) {
      throw new IllegalArgumentException("a call record needs both caller and callee");
    }
    if (outcome == null || outcome.isBlank() || outcome.length() > MAX_OUTCOME_CHARS) {
      throw new IllegalArgumentException("outcome must be 1.." + MAX_OUTCOME_CHARS + " characters");
    }
    lossPercent = finiteOrNull(lossPercent);
    jitterMillis = finiteOrNull(jitterMillis);
    rttMillis = finiteOrNull(rttMillis);
    mos = finiteOrNull(mos);
  }

  /** An unstored record without quality figures. */
  public static CallRecord of(String caller, String callee, long startedAtMillis, Long answeredAtMillis,
      long endedAtMillis, String outcome, long durationMillis) {
    return new CallRecord(0, caller, callee, startedAtMillis, answeredAtMillis, endedAtMillis, outcome,
        durationMillis, null, null, null, null);
  }

  // SQLite turns NaN into NULL while PostgreSQL keeps it; null on both sides keeps the stores alike.
  private static Double finiteOrNull(Double d) {
    return d == null || d.isNaN() || d.isInfinite() ? null : d;
  }
}
