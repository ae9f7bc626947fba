package io.causerie.bench;

/**
 * What a load generator's receiver counts of the measured packets that reached it: how each one arrived (from its
 * stream's {@link ReceptionTracker}) and, for those counted as received, the latency. One per receiving thread.
 */
final class MeasuredArrivals {
  final LatencyHistogram latency = new LatencyHistogram();
  long received;
  long duplicates;
  long reordered;
  long tooOld;

  /** Counts one measured packet that arrived as {@code arrival}, {@code latencyNanos} after it was sent. */
  void count(ReceptionTracker.Arrival arrival, long latencyNanos) {
    switch (arrival) {
      case NEW -> {
        received++;
        latency.record(latencyNanos);
      }
      case REORDERED -> {
        received++;
        reordered++;
        latency.record(latencyNanos);
      }
      case DUPLICATE -> duplicates++;
      case TOO_OLD -> tooOld++;
    }
  }
}
