package io.causerie.media.jitter;

/**
 * Tunables of the {@link JitterBuffer}, with the defaults an operator normally keeps.
 *
 * @param maxDelayMillis hard cap on buffered (playout) delay; never exceeded, excess frames are
 *     dropped oldest-first
 * @param minDelayMillis floor of the target delay (rounded up to whole frames, at least one); with
 *     an FEC codec, 40 ms (two frames) keeps the packet after a lost one buffered in time for
 *     in-band FEC, at the price of one more frame of delay on a clean path
 * @param initialDelayMillis target delay used until {@code warmupPackets} delays were measured
 * @param delayQuantile quantile of the relative arrival delay the target covers, in (0, 1]
 * @param delayHistoryPackets packets in the sliding window the quantile is taken over
 * @param baselineWindowPackets packets over which the fastest transit (the zero of relative delay)
 *     is tracked
 * @param warmupPackets measured packets before the quantile replaces {@code initialDelayMillis}
 * @param jitterToleranceMillis relative delay ignored when turning it into whole frames, so that
 *     sub-millisecond jitter does not cost a frame
 * @param quietWaitFrames how many polls a wanted shrink waits for a quiet frame to drop
 * @param forceDropExcessFrames smoothed excess over the target at which a shrink no longer waits
 *     for a quiet frame
 * @param maxConcealFrames consecutive concealed frames on an empty buffer before switching to
 *     comfort silence
 * @param maxPayloadBytes largest payload accepted (larger packets are discarded)
 */
public record JitterBufferConfig(
    int maxDelayMillis,
    int minDelayMillis,
    int initialDelayMillis,
    double delayQuantile,
    int delayHistoryPackets,
    int baselineWindowPackets,
    int warmupPackets,
    int jitterToleranceMillis,
    int quietWaitFrames,
    int forceDropExcessFrames,
    int maxConcealFrames,
    int maxPayloadBytes) {

  /** Default hard cap: 200 ms, the mouth-to-ear budget's share for buffering. */
  public static final int DEFAULT_MAX_DELAY_MILLIS = 200;

  /** Default floor: one 20 ms frame. */
  public static final int DEFAULT_MIN_DELAY_MILLIS = 20;

  /** Default start-up target: two frames, until the path has been measured. */
  public static final int DEFAULT_INITIAL_DELAY_MILLIS = 40;

  /** Default quantile: the 95th percentile, as WebRTC NetEQ's delay manager. */
  public static final double DEFAULT_DELAY_QUANTILE = 0.95;

  /** Default quantile window: 250 packets (5 s of 20 ms frames). */
  public static final int DEFAULT_DELAY_HISTORY_PACKETS = 250;

  /** Default baseline window: 100 packets (2 s, NetEQ's relative-delay history). */
  public static final int DEFAULT_BASELINE_WINDOW_PACKETS = 100;

  /** Default warm-up: 50 packets (1 s). */
  public static final int DEFAULT_WARMUP_PACKETS = 50;

  /** Default jitter tolerance: 2 ms. */
  public static final int DEFAULT_JITTER_TOLERANCE_MILLIS = 2;

  /** Default quiet wait: 25 polls (0.5 s). */
  public static final int DEFAULT_QUIET_WAIT_FRAMES = 25;

  /** Default forced-drop excess: 2 frames above target (smoothed). */
  public static final int DEFAULT_FORCE_DROP_EXCESS_FRAMES = 2;

  /** Default concealment run on underrun: 3 frames (60 ms), then comfort silence. */
  public static final int DEFAULT_MAX_CONCEAL_FRAMES = 3;

  /** Default payload limit: an Ethernet MTU. */
  public static final int DEFAULT_MAX_PAYLOAD_BYTES = 1500;

  /** The defaults above. */
  public static final JitterBufferConfig DEFAULTS = new JitterBufferConfig(
      DEFAULT_MAX_DELAY_MILLIS,
      DEFAULT_MIN_DELAY_MILLIS,
      DEFAULT_INITIAL_DELAY_MILLIS,
      DEFAULT_DELAY_QUANTILE,
      DEFAULT_DELAY_HISTORY_PACKETS,
      DEFAULT_BASELINE_WINDOW_PACKETS,
      DEFAULT_WARMUP_PACKETS,
      DEFAULT_JITTER_TOLERANCE_MILLIS,
      DEFAULT_QUIET_WAIT_FRAMES,
      DEFAULT_FORCE_DROP_EXCESS_FRAMES,
      DEFAULT_MAX_CONCEAL_FRAMES,
      DEFAULT_MAX_PAYLOAD_BYTES);

  public JitterBufferConfig {
    if (maxDelayMillis <= 0) {
      throw new IllegalArgumentException("maxDelayMillis must be positive: " + maxDelayMillis);
    }
    if (minDelayMillis < 0 || minDelayMillis > maxDelayMillis) {
      throw new IllegalArgumentException("minDelayMillis must be in [0, max]: " + minDelayMillis);
    }
    if (initialDelayMillis < 0) {
      throw new IllegalArgumentException("initialDelayMillis must be >= 0: " + initialDelayMillis);
    }
    if (!(delayQuantile > 0 && delayQuantile <= 1)) {
      throw new IllegalArgumentException("delayQuantile must be in (0, 1]: " + delayQuantile);
    }
    if (delayHistoryPackets < 1 || baselineWindowPackets < 1 || warmupPackets < 0) {
      throw new IllegalArgumentException("history, baseline and warm-up sizes must be positive");
    }
    if (jitterToleranceMillis < 0 || quietWaitFrames < 0 || forceDropExcessFrames < 1
        || maxConcealFrames < 0) {
      throw new IllegalArgumentException("negative tolerance, wait or conceal limit");
    }
    if (maxPayloadBytes < 1) {
      throw new IllegalArgumentException("maxPayloadBytes must be positive: " + maxPayloadBytes);
    }
  }

  /** This config with another hard cap. */
  public JitterBufferConfig withMaxDelayMillis(int millis) {
    return new JitterBufferConfig(millis, Math.min(minDelayMillis, millis), initialDelayMillis,
        delayQuantile, delayHistoryPackets, baselineWindowPackets, warmupPackets,
        jitterToleranceMillis, quietWaitFrames, forceDropExcessFrames, maxConcealFrames,
        maxPayloadBytes);
  }

  /** This config with another start-up target. */
  public JitterBufferConfig withInitialDelayMillis(int millis) {
    return new JitterBufferConfig(maxDelayMillis, minDelayMillis, millis, delayQuantile,
        delayHistoryPackets, baselineWindowPackets, warmupPackets, jitterToleranceMillis,
        quietWaitFrames, forceDropExcessFrames, maxConcealFrames, maxPayloadBytes);
  }
}
