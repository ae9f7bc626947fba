package io.causerie.media.jitter;

/**
 * Target-delay estimator after WebRTC NetEQ's delay manager: relative arrival delay of each packet
 * (its transit time minus the fastest transit in a recent window), quantised to whole frames, and
 * a high quantile of those over a sliding window.
 *
 * <p>Transit is {@code arrival - timestamp/clockRate}; its absolute value is meaningless (the
 * clocks are unrelated) but differences are the extra network delay of one packet relative to the
 * fastest one. Fixed-size arrays only; no allocation per packet.
 */
final class DelayEstimator {
  private final int clockRateHz;
  private final long frameMicros;
  private final long toleranceMicros;
  private final int maxBucket;
  private final double quantile;
  private final int warmupPackets;

  private final long[] transits;
  private int transitCount;
  private int transitPos;

  private final int[] history;
  private final int[] bucketCounts;
  private int historyCount;
  private int historyPos;

  private boolean haveBase;
  private long baseTimestamp;
  private long lastRelativeDelayMicros;

  DelayEstimator(JitterBufferConfig config, int clockRateHz, long frameMicros, int capFrames) {
    this.clockRateHz = clockRateHz;
    this.frameMicros = frameMicros;
    this.toleranceMicros = config.jitterToleranceMillis() * 1000L;
    this.maxBucket = capFrames + 1;
    this.quantile = config.delayQuantile();
    this.warmupPackets = config.warmupPackets();
    this.transits = new long[config.baselineWindowPackets()];
    this.history = new int[config.delayHistoryPackets()];
    this.bucketCounts = new int[maxBucket + 1];
  }

  /** Forgets the transit baseline (new source: new timestamp origin) but keeps the histogram. */
  void resetBaseline() {
    transitCount = 0;
    transitPos = 0;
    haveBase = false;
  }

  /** Forgets everything. */
  void reset() {
    resetBaseline();
    historyCount = 0;
    historyPos = 0;
    java.util.Arrays.fill(bucketCounts, 0);
    lastRelativeDelayMicros = 0;
  }

  /** Accounts for one packet with extended RTP timestamp {@code extTimestamp}. */
  void update(long arrivalNanos, long extTimestamp) {
    if (!haveBase) {
      haveBase = true;
      baseTimestamp = extTimestamp;
    }
    long mediaMicros = Math.floorDiv((extTimestamp - baseTimestamp) * 1_000_000L, clockRateHz);
    long transit = Math.floorDiv(arrivalNanos, 1000L) - mediaMicros;
    transits[transitPos] = transit;
    transitPos = (transitPos + 1) % transits.length;
    if (transitCount < transits.length) {
      transitCount++;
    }
    long min = Long.MAX_VALUE;
    for (int i = 0; i < transitCount; i++) {
      min = Math.min(min, transits[i]);
    }
    long relative = transit - min;
    lastRelativeDelayMicros = relative;
    long excess = relative - toleranceMicros;
    int frames = excess <= 0 ? 0 : (int) Math.min(maxBucket, (excess + frameMicros - 1) / frameMicros);
    if (historyCount == history.length) {
      bucketCounts[history[historyPos]]--;
    } else {
      historyCount++;
    }
    history[historyPos] = frames;
    bucketCounts[frames]++;
    historyPos = (historyPos + 1) % history.length;
  }

  /** Whether enough packets were measured for the quantile to mean something. */
  boolean warm() {
    return historyCount >= warmupPackets && historyCount > 0;
  }

  /** The configured quantile of extra frames needed to absorb the relative delays. */
  int quantileFrames() {
    if (historyCount == 0) {
      return 0;
    }
    long needed = (long) Math.ceil(quantile * historyCount);
    long cumulative = 0;
    for (int b = 0; b <= maxBucket; b++) {
      cumulative += bucketCounts[b];
      if (cumulative >= needed) {
        return b;
      }
    }
    return maxBucket;
  }

  /** Relative delay of the last packet, in microseconds. */
  long lastRelativeDelayMicros() {
    return lastRelativeDelayMicros;
  }
}
