package io.causerie.transport.impair;

/**
 * A snapshot of what an {@link Impairment} has done so far.
 *
 * <p>Once everything pending has been delivered, {@code submitted + duplicated == dropped +
 * overflowed + delivered}.
 *
 * @param submitted datagrams handed to {@link Impairment#submit}
 * @param dropped datagrams lost by the loss model
 * @param overflowed datagrams (originals or copies) discarded because the schedule was full
 * @param duplicated extra copies made (a copy that finds the schedule full counts as overflowed
 *     too)
 * @param reordered datagrams held back behind their successor
 * @param delivered datagrams (originals and copies) returned by {@link Impairment#pollDue}
 */
public record ImpairmentCounters(
    long submitted,
    long dropped,
    long overflowed,
    long duplicated,
    long reordered,
    long delivered) {

  /** Counters of an impairment that has seen nothing yet. */
  public static final ImpairmentCounters ZERO = new ImpairmentCounters(0, 0, 0, 0, 0, 0);
}
