package io.causerie.media.jitter;

/** What {@link JitterBuffer#insert} did with a packet. */
public enum InsertResult {
  /** Buffered for playout. */
  ACCEPTED,
  /** Buffered as the first packet of a new source or after a sequence restart. */
  RESYNCED,
  /** Already received: dropped. */
  DUPLICATE,
  /** Arrived after its playout time: dropped. */
  LATE,
  /** Dropped as unusable: oversized payload or an unconfirmed sequence jump. */
  DISCARDED
}
