package io.causerie.media.jitter;

import io.causerie.media.codec.AudioCodec;
import io.causerie.media.rtp.RtpPacket;
import io.causerie.media.rtp.SequenceNumbers;
import io.causerie.media.rtp.SequenceTracker;
import java.util.Arrays;

/**
 * Adaptive jitter buffer for one incoming audio stream of fixed-duration frames, driven by a
 * playout clock that calls {@link #poll} once per frame; a pure state machine with injected time.
 *
 * <p><b>Target delay.</b> Like WebRTC NetEQ's delay manager, each packet's relative arrival delay
 * (its transit time minus the fastest transit in the last {@code baselineWindowPackets}) is
 * quantised to whole frames; the target is the {@code delayQuantile} (95 %) of that over the last
 * {@code delayHistoryPackets}, plus the frame being played, floored at {@code minDelayMillis} (one
 * frame on a clean path) and capped at {@code maxDelayMillis}. Before {@code warmupPackets} the
 * target is {@code initialDelayMillis}.
 *
 * <p><b>Buffer level</b> is counted in sequence numbers from the next frame to play to the newest
 * packet buffered, holes included, times the frame duration. It is independent of timestamps, so
 * DTX gaps (timestamp jumps with contiguous sequence numbers) do not inflate it.
 *
 * <p><b>Control.</b> Each poll:
 *
 * <ol>
 *   <li>before start, return {@code SILENCE} until the level reaches the target or the oldest
 *       packet has waited target − 1 frame;
 *   <li>the hard cap, twice: {@link #insert} drops the oldest frames as soon as a packet would
 *       make the level exceed {@code maxDelayMillis}, and each poll drops head frames until every
 *       buffered packet, played one per poll from now on, would leave at most {@code
 *       maxDelayMillis} after it arrived; so no played frame ever waited longer than the cap;
 *   <li>shrink: when the smoothed level (exponential filter, factor {@value #LEVEL_FILTER_FACTOR})
 *       is at least one frame above target, one frame per poll is dropped: a hole first (free), a
 *       quiet frame next (per the {@link QuietFrameDetector}), any frame once the wait exceeds
 *       {@code quietWaitFrames} or the excess reaches {@code forceDropExcessFrames};
 *   <li>play the next frame if present; if it is missing but later packets are buffered it is
 *       lost: {@code CONCEAL}, with the following packet attached for FEC when present; if the
 *       buffer is empty it is an underrun: {@code CONCEAL} for up to {@code maxConcealFrames}
 *       polls, then {@code SILENCE}, without giving the missing frame up (so a slow sender or a
 *       DTX pause only adds delay). Holes found after an underrun are skipped up to the number of
 *       underrun frames already played in their place.
 * </ol>
 *
 * <p><b>Redundancy</b> (RFC 2198). {@link #insertRedundant} stores an earlier frame's copy carried by a
 * later packet, if that frame is missing, still ahead of playout and not heard before; it then plays as
 * an ordinary frame (so before concealment, and instead of the next packet's in-band FEC). A copy made
 * {@code d} frames later can only arrive in time if {@code d + 1} frames are buffered, so while copies
 * arrive (for the last {@value #REDUNDANCY_FLOOR_HOLD_PACKETS} packets) the target is at least {@code
 * d + 1} frames, and the buffer grows to it by playing a concealment frame without consuming one
 * ({@code stretched}): on a quiet frame, or after {@code quietWaitFrames} polls.
 *
 * <p>Duplicates are detected over the last {@value #RECENT_SEQUENCES} sequence numbers. A new
 * SSRC, or a jump beyond RFC 3550's {@code MAX_DROPOUT}/{@code MAX_MISORDER} confirmed by the next
 * packet, flushes the buffer and restarts. Sequence numbers and timestamps are extended to 64 bits
 * so wrap-around is invisible. Payloads are copied into preallocated slots: no allocation after
 * construction except {@link #stats()}. Not thread-safe.
 */
public final class JitterBuffer {
  /** Weight of the previous smoothed level in the level filter. */
  public static final double LEVEL_FILTER_FACTOR = 0.9;

  /**
   * Slack when comparing the smoothed level with whole-frame thresholds: the filter only
   * approaches a new constant level asymptotically.
   */
  public static final double LEVEL_TOLERANCE_FRAMES = 0.1;

  /** Sequence numbers remembered for duplicate detection (power of two). */
  public static final int RECENT_SEQUENCES = 256;

  /**
   * Packets (5 s at 20 ms) for which the redundancy floor holds after the last redundant copy arrived; a
   * sender that stops sending copies (its path went clean) lets the target fall back to the usual floor.
   */
  public static final int REDUNDANCY_FLOOR_HOLD_PACKETS = 250;

  private static final long NONE = Long.MIN_VALUE;

  private final JitterBufferConfig config;
  private final int clockRateHz;
  private final int frameSamples;
  private final long frameNanos;
  private final int frameMillis;
  private final int capFrames;
  private final long capNanos;
  private final int minFrames;
  private final int initialFrames;
  private final QuietFrameDetector quietDetector;
  private final DelayEstimator estimator;

  private final int slotMask;
  private final long[] slotSeq;
  private final long[] slotTimestamp;
  private final long[] slotArrival;
  private final int[] slotLength;
  private final boolean[] slotQuiet;
  private final boolean[] slotRedundant;
  private final byte[][] slotData;
  private final long[] recent = new long[RECENT_SEQUENCES];

  private boolean haveStream;
  private int ssrc;
  private long highestSeq;
  private long highestTimestamp;
  private int badSeq = -1;
  private boolean started;
  private boolean pendingDiscontinuity;
  private long nextSeq;
  private long nextTimestamp;
  private int count;
  private double filteredLevel;
  private int quietWait;
  private int underrunRun;
  private int underrunFramesToCover;

  private long received;
  private long duplicates;
  private long late;
  private long lost;
  private long concealed;
  private long recoveredByFec;
  private long dropped;
  private long discarded;
  private long underruns;
  private long resyncs;
  private long recoveredByRedundancy;
  private long stretched;
  private int redundancyFloorFrames;
  private long redundancyFloorUntil;
  private int stretchWait;

  /** A buffer for {@code codec}'s clock, frame size and quietness test. */
  public JitterBuffer(JitterBufferConfig config, AudioCodec codec) {
    this(config, codec.sampleRateHz(), codec.frameSamples(), codec::isQuiet);
  }

  /**
   * A buffer for frames of {@code frameSamples} RTP clock ticks at {@code clockRateHz}.
   *
   * @param quietDetector decides which frames may be dropped first; {@link
   *     QuietFrameDetector#NEVER} if unknown
   */
  public JitterBuffer(
      JitterBufferConfig config, int clockRateHz, int frameSamples,
      QuietFrameDetector quietDetector) {
    if (clockRateHz <= 0 || frameSamples <= 0) {
      throw new IllegalArgumentException("clock rate and frame size must be positive");
    }
    this.config = config;
    this.clockRateHz = clockRateHz;
    this.frameSamples = frameSamples;
    this.frameNanos = frameSamples * 1_000_000_000L / clockRateHz;
    this.frameMillis = (int) Math.max(1, frameNanos / 1_000_000L);
    this.capFrames = Math.max(1, config.maxDelayMillis() / frameMillis);
    this.capNanos = config.maxDelayMillis() * 1_000_000L;
    this.minFrames = Math.min(capFrames,
        Math.max(1, (config.minDelayMillis() + frameMillis - 1) / frameMillis));
    this.initialFrames = Math.min(capFrames,
        Math.max(minFrames, (config.initialDelayMillis() + frameMillis - 1) / frameMillis));
    this.quietDetector = quietDetector;
    this.estimator = new DelayEstimator(config, clockRateHz, frameNanos / 1000L, capFrames);
    int capacity = Integer.highestOneBit(capFrames) << 1;
    this.slotMask = capacity - 1;
    this.slotSeq = new long[capacity];
    this.slotTimestamp = new long[capacity];
    this.slotArrival = new long[capacity];
    this.slotLength = new int[capacity];
    this.slotQuiet = new boolean[capacity];
    this.slotRedundant = new boolean[capacity];
    this.slotData = new byte[capacity][config.maxPayloadBytes()];
    Arrays.fill(slotSeq, NONE);
    Arrays.fill(recent, NONE);
  }

  /** The configuration. */
  public JitterBufferConfig config() {
    return config;
  }

  /** Frame duration in milliseconds. */
  public int frameMillis() {
    return frameMillis;
  }

  /** The hard cap in whole frames. */
  public int capFrames() {
    return capFrames;
  }

  /** Inserts a parsed RTP packet's payload. */
  public InsertResult insert(RtpPacket packet, long arrivalNanos) {
    return insert(packet.ssrc(), packet.sequenceNumber(), packet.timestamp(), packet.buffer(),
        packet.payloadOffset(), packet.payloadLength(), arrivalNanos);
  }

  /**
   * Inserts one packet (one frame) that arrived at {@code arrivalNanos}; the payload is copied.
   *
   * @param ssrc source identifier; a change restarts the buffer
   * @param sequenceNumber 16-bit RTP sequence number
   * @param timestamp 32-bit RTP timestamp
   */
  public InsertResult insert(
      int ssrc, int sequenceNumber, long timestamp, byte[] payload, int off, int len,
      long arrivalNanos) {
    received++;
    if (len < 0 || len > config.maxPayloadBytes()) {
      discarded++;
      return InsertResult.DISCARDED;
    }
    int seq = sequenceNumber & SequenceNumbers.SEQ_MASK;
    boolean resynced = false;
    if (!haveStream || ssrc != this.ssrc) {
      resync(ssrc, seq, timestamp);
      resynced = true;
    }
    long ext = SequenceNumbers.extend(highestSeq, seq);
    long delta = ext - highestSeq;
    if (!resynced
        && (delta > SequenceTracker.MAX_DROPOUT || delta < -SequenceTracker.MAX_MISORDER)) {
      if (seq == badSeq) {
        resync(ssrc, seq, timestamp);
        resynced = true;
        ext = highestSeq;
      } else {
        badSeq = (seq + 1) & SequenceNumbers.SEQ_MASK;
        discarded++;
        return InsertResult.DISCARDED;
      }
    }
    badSeq = -1;
    long extTs = SequenceNumbers.extendTimestamp(highestTimestamp, timestamp);
    if (ext > highestSeq) {
      highestSeq = ext;
      highestTimestamp = extTs;
    }
    int recentIndex = (int) (ext & (RECENT_SEQUENCES - 1));
    if (recent[recentIndex] == ext) {
      duplicates++;
      return InsertResult.DUPLICATE;
    }
    recent[recentIndex] = ext;
    estimator.update(arrivalNanos, extTs);
    if (!started && count == 0) {
      nextSeq = ext; // first packet of a (re)started stream
    } else if (ext < nextSeq) {
      boolean canRewind = !started && highestSeq - ext + 1 <= capFrames;
      if (!canRewind) {
        late++;
        return InsertResult.LATE;
      }
      nextSeq = ext; // reordered before playout started: start earlier
    }
    while (ext - nextSeq + 1 > capFrames) {
      dropFront();
    }
    int slot = (int) (ext & slotMask);
    slotSeq[slot] = ext;
    slotTimestamp[slot] = extTs;
    slotArrival[slot] = arrivalNanos;
    slotLength[slot] = len;
    slotQuiet[slot] = quietDetector.isQuiet(payload, off, len);
    slotRedundant[slot] = false;
    System.arraycopy(payload, off, slotData[slot], 0, len);
    count++;
    return resynced ? InsertResult.RESYNCED : InsertResult.ACCEPTED;
  }

  /**
   * Offers a redundant copy (RFC 2198) of an earlier frame, carried by a packet of the same stream that
   * was just inserted; the payload is copied. Stored only if that frame is missing, still ahead of
   * playout and was never heard; returns whether it was. Does not count as a received packet and does
   * not feed the delay estimate (the copy is late by design).
   *
   * @param sequenceNumber the frame's own 16-bit sequence number
   * @param timestamp the frame's own 32-bit RTP timestamp
   * @param distanceFrames how many frames after the copied one the carrying packet was sent
   */
  public boolean insertRedundant(
      int ssrc, int sequenceNumber, long timestamp, int distanceFrames, byte[] payload, int off, int len) {
    if (!haveStream || ssrc != this.ssrc || len <= 0 || len > config.maxPayloadBytes()
        || distanceFrames < 1 || distanceFrames >= capFrames) {
      return false;
    }
    redundancyFloorFrames = redundancyFloor() > 0
        ? Math.max(redundancyFloorFrames, distanceFrames + 1) : distanceFrames + 1;
    redundancyFloorUntil = received + REDUNDANCY_FLOOR_HOLD_PACKETS;
    long ext = SequenceNumbers.extend(highestSeq, sequenceNumber & SequenceNumbers.SEQ_MASK);
    if (ext >= highestSeq || ext < nextSeq || (!started && count == 0)) {
      return false;
    }
    int recentIndex = (int) (ext & (RECENT_SEQUENCES - 1));
    if (recent[recentIndex] == ext || has(ext)) {
      return false;
    }
    recent[recentIndex] = ext;
    int slot = (int) (ext & slotMask);
    slotSeq[slot] = ext;
    slotTimestamp[slot] = SequenceNumbers.extendTimestamp(highestTimestamp, timestamp);
    slotArrival[slot] = slotArrival[(int) (highestSeq & slotMask)];
    slotLength[slot] = len;
    slotQuiet[slot] = quietDetector.isQuiet(payload, off, len);
    slotRedundant[slot] = true;
    System.arraycopy(payload, off, slotData[slot], 0, len);
    count++;
    return true;
  }

  private void resync(int newSsrc, int seq, long timestamp) {
    if (haveStream) {
      resyncs++;
    }
    haveStream = true;
    ssrc = newSsrc;
    Arrays.fill(slotSeq, NONE);
    Arrays.fill(recent, NONE);
    count = 0;
    started = false;
    highestSeq = seq;
    highestTimestamp = timestamp;
    nextSeq = seq;
    nextTimestamp = timestamp;
    badSeq = -1;
    quietWait = 0;
    underrunRun = 0;
    underrunFramesToCover = 0;
    pendingDiscontinuity = true;
    estimator.resetBaseline();
  }

  private boolean has(long ext) {
    return slotSeq[(int) (ext & slotMask)] == ext;
  }

  private void remove(long ext) {
    int slot = (int) (ext & slotMask);
    if (slotSeq[slot] == ext) {
      slotSeq[slot] = NONE;
      count--;
    }
  }

  /** Gives up the frame at the head: a buffered packet is dropped, a hole counts as lost. */
  private void dropFront() {
    if (has(nextSeq)) {
      nextTimestamp = slotTimestamp[(int) (nextSeq & slotMask)] + frameSamples;
      remove(nextSeq);
      dropped++;
    } else {
      nextTimestamp += frameSamples;
      lost++;
    }
    nextSeq++;
  }

  private int levelFrames() {
    return (int) Math.max(0, highestSeq - nextSeq + 1);
  }

  /**
   * Decides what to play at {@code nowNanos} and fills {@code out}; call once per frame duration.
   *
   * @param out a holder built with at least {@code maxPayloadBytes}
   */
  public PlayoutAction poll(long nowNanos, PlayoutFrame out) {
    if (out.payload().length < config.maxPayloadBytes()) {
      throw new IllegalArgumentException("PlayoutFrame smaller than maxPayloadBytes");
    }
    out.nextPayloadLength = -1;
    out.payloadLength = 0;
    out.arrivalNanos = 0;
    out.discontinuity = false;
    int target = targetFrames();
    if (!started) {
      if (count == 0) {
        return silence(out);
      }
      while (!has(nextSeq)) {
        nextSeq++; // leading holes left by cap trimming before playout started: never expected
      }
      int level = levelFrames();
      long waitedNanos = nowNanos - slotArrival[(int) (nextSeq & slotMask)];
      if (level < target && waitedNanos < (target - 1) * frameNanos) {
        return silence(out);
      }
      started = true;
      filteredLevel = level;
      quietWait = 0;
    }
    if (underrunFramesToCover > 0 && count > 0) {
      // The underrun concealment already stood in for missing frames: do not conceal them twice.
      while (underrunFramesToCover > 0 && !has(nextSeq)) {
        lost++;
        nextSeq++;
        nextTimestamp += frameSamples;
        underrunFramesToCover--;
      }
      underrunFramesToCover = 0;
    }
    enforceAgeCap(nowNanos);
    int level = levelFrames();
    filteredLevel = LEVEL_FILTER_FACTOR * filteredLevel + (1 - LEVEL_FILTER_FACTOR) * level;
    shrinkIfAboveTarget(level, target);
    if (stretchToRedundancyFloor(level)) {
      return stretch(out);
    }
    if (has(nextSeq)) {
      return play(out);
    }
    if (count > 0) {
      return concealLost(out);
    }
    return underrun(out);
  }

  /**
   * Drops frames at the head until every buffered packet, played one frame per poll from now on,
   * would be played at most {@code maxDelayMillis} after it arrived.
   */
  private void enforceAgeCap(long nowNanos) {
    long drops = 0;
    for (long s = nextSeq; s <= highestSeq; s++) {
      int slot = (int) (s & slotMask);
      if (slotSeq[slot] != s) {
        continue;
      }
      long position = s - nextSeq;
      long excess = nowNanos + position * frameNanos - slotArrival[slot] - capNanos;
      if (excess > 0) {
        drops = Math.max(drops, Math.min(position + 1, (excess + frameNanos - 1) / frameNanos));
      }
    }
    for (long i = 0; i < drops; i++) {
      dropFront();
    }
  }

  private void shrinkIfAboveTarget(int level, int target) {
    double excess = filteredLevel - target + LEVEL_TOLERANCE_FRAMES;
    if (level < 2 || excess < 1) {
      quietWait = 0;
      return;
    }
    boolean drop;
    if (!has(nextSeq)) {
      drop = true;
    } else {
      drop = slotQuiet[(int) (nextSeq & slotMask)]
          || quietWait >= config.quietWaitFrames()
          || excess >= config.forceDropExcessFrames();
    }
    if (drop) {
      dropFront();
      filteredLevel -= 1;
      quietWait = 0;
    } else {
      quietWait++;
    }
  }

  /**
   * Whether to grow the buffer by one frame now: redundant copies are arriving, the buffer holds fewer
   * frames than they need, and the next frame is quiet (or we waited long enough for one).
   */
  private boolean stretchToRedundancyFloor(int level) {
    int floor = redundancyFloor();
    if (floor == 0 || level >= floor || filteredLevel + LEVEL_TOLERANCE_FRAMES >= floor
        || !has(nextSeq)) {
      stretchWait = 0;
      return false;
    }
    if (slotQuiet[(int) (nextSeq & slotMask)] || stretchWait >= config.quietWaitFrames()) {
      stretchWait = 0;
      filteredLevel += 1;
      return true;
    }
    stretchWait++;
    return false;
  }

  private int redundancyFloor() {
    return received < redundancyFloorUntil ? Math.min(capFrames, redundancyFloorFrames) : 0;
  }

  /** One frame of concealment that consumes nothing: the buffer grows by a frame. */
  private PlayoutAction stretch(PlayoutFrame out) {
    out.action = PlayoutAction.CONCEAL;
    out.extendedSequence = nextSeq;
    out.timestamp = nextTimestamp;
    stretched++;
    concealed++;
    return PlayoutAction.CONCEAL;
  }

  private PlayoutAction play(PlayoutFrame out) {
    int slot = (int) (nextSeq & slotMask);
    if (slotRedundant[slot]) {
      recoveredByRedundancy++;
    }
    out.action = PlayoutAction.FRAME;
    out.extendedSequence = nextSeq;
    out.timestamp = slotTimestamp[slot];
    out.arrivalNanos = slotArrival[slot];
    out.payloadLength = slotLength[slot];
    System.arraycopy(slotData[slot], 0, out.payload(), 0, slotLength[slot]);
    out.discontinuity = pendingDiscontinuity;
    pendingDiscontinuity = false;
    nextTimestamp = slotTimestamp[slot] + frameSamples;
    remove(nextSeq);
    nextSeq++;
    underrunRun = 0;
    return PlayoutAction.FRAME;
  }

  private PlayoutAction concealLost(PlayoutFrame out) {
    out.action = PlayoutAction.CONCEAL;
    out.extendedSequence = nextSeq;
    out.timestamp = nextTimestamp;
    long following = nextSeq + 1;
    if (has(following)) {
      int slot = (int) (following & slotMask);
      out.nextPayloadLength = slotLength[slot];
      System.arraycopy(slotData[slot], 0, out.nextPayload(), 0, slotLength[slot]);
    }
    lost++;
    concealed++;
    nextSeq++;
    nextTimestamp += frameSamples;
    underrunRun = 0;
    return PlayoutAction.CONCEAL;
  }

  private PlayoutAction underrun(PlayoutFrame out) {
    underruns++;
    underrunRun++;
    underrunFramesToCover++;
    out.extendedSequence = nextSeq;
    out.timestamp = nextTimestamp;
    if (underrunRun <= config.maxConcealFrames()) {
      out.action = PlayoutAction.CONCEAL;
      concealed++;
      return PlayoutAction.CONCEAL;
    }
    return silence(out);
  }

  private PlayoutAction silence(PlayoutFrame out) {
    out.action = PlayoutAction.SILENCE;
    out.extendedSequence = nextSeq;
    out.timestamp = nextTimestamp;
    return PlayoutAction.SILENCE;
  }

  /** Records that the caller rebuilt a concealed frame from FEC (for statistics only). */
  public void recordFecRecovery() {
    recoveredByFec++;
  }

  private int targetFrames() {
    int frames = estimator.warm() ? estimator.quantileFrames() + 1 : initialFrames;
    return Math.max(Math.max(minFrames, redundancyFloor()), Math.min(capFrames, frames));
  }

  /** Current target delay in milliseconds. */
  public int targetDelayMillis() {
    return targetFrames() * frameMillis;
  }

  /** Current buffered delay in milliseconds (level × frame duration, holes included). */
  public int bufferedDelayMillis() {
    return count == 0 ? 0 : levelFrames() * frameMillis;
  }

  /** Packets currently buffered. */
  public int bufferedPackets() {
    return count;
  }

  /** Whether playout has started (prefetch done) for the current source. */
  public boolean started() {
    return started;
  }

  /** Relative arrival delay of the last packet (what the target is computed from), in ms. */
  public double lastRelativeDelayMillis() {
    return estimator.lastRelativeDelayMicros() / 1000.0;
  }

  /** A snapshot of the counters. */
  public JitterStats stats() {
    return new JitterStats(received, duplicates, late, lost, concealed, recoveredByFec, dropped,
        discarded, underruns, resyncs, targetDelayMillis(), bufferedDelayMillis(), recoveredByRedundancy,
        stretched);
  }

  /** Forgets the stream, the buffered packets and the delay history; counters are kept. */
  public void reset() {
    haveStream = false;
    Arrays.fill(slotSeq, NONE);
    Arrays.fill(recent, NONE);
    count = 0;
    started = false;
    estimator.reset();
  }

  /** RTP clock rate the buffer was built for. */
  public int clockRateHz() {
    return clockRateHz;
  }
}
