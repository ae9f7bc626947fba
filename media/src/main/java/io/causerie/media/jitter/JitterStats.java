package io.causerie.media.jitter;

/**
 * Snapshot of jitter-buffer counters.
 *
 * @param received packets handed to {@code insert}
 * @param duplicates packets already received, dropped
 * @param late packets that arrived after their playout time, dropped (they were also counted in
 *     {@code lost} when their turn passed)
 * @param lost sequence numbers missing when their turn came (concealed or skipped)
 * @param concealed frames played as concealment (lost frames and underruns)
 * @param recoveredByFec concealed frames the decoder rebuilt from FEC (reported by the caller)
 * @param dropped buffered frames thrown away to shrink the delay (cap or target)
 * @param discarded packets rejected outright (oversized, unconfirmed sequence jump)
 * @param underruns polls that found the buffer empty after playout had started
 * @param resyncs restarts on a new SSRC or a confirmed sequence jump
 * @param targetDelayMillis current target delay
 * @param bufferedDelayMillis current buffered delay (frames from the next one to play up to the
 *     newest buffered, holes included)
 * @param recoveredByRedundancy frames whose own packet was lost but which played at full quality from a
 *     redundant copy (RFC 2198) carried by a later packet
 * @param stretched frames of concealment inserted, without anything lost, to grow the buffer to the floor
 *     that redundancy needs
 */
public record JitterStats(
    long received,
    long duplicates,
    long late,
    long lost,
    long concealed,
    long recoveredByFec,
    long dropped,
    long discarded,
    long underruns,
    long resyncs,
    int targetDelayMillis,
    int bufferedDelayMillis,
    long recoveredByRedundancy,
    long stretched) {}
