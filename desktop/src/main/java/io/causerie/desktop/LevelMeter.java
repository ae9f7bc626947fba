package io.causerie.desktop;

/**
 * A level meter's ballistics, pure (no Swing, no threads, no clock of its own): the level of 16-bit PCM as RMS in
 * dBFS, rising at once and falling at {@link #DECAY_DB_PER_SECOND}, and a peak mark held for {@link
 * #PEAK_HOLD_MILLIS} before it falls at the same rate. Everything is clamped to [{@link #FLOOR_DBFS}, 0].
 *
 * <p>Not thread-safe: the audio threads only compute {@link #rmsDbfs} and publish it; one thread (the Swing event
 * thread) feeds {@link #update} with the published figure and the time.
 */
public final class LevelMeter {
  /** The quietest level shown; anything below (silence included) reads as this. */
  public static final double FLOOR_DBFS = -60;
  /** How long the peak mark stays put before falling. */
  public static final long PEAK_HOLD_MILLIS = 1_500;
  /** How fast the level and, after its hold, the peak mark fall. */
  public static final double DECAY_DB_PER_SECOND = 24;

  private double level = FLOOR_DBFS;
  private double heldPeak = FLOOR_DBFS;
  private double peak = FLOOR_DBFS;
  private long peakAt;
  private long lastAt = Long.MIN_VALUE;

  /** The RMS level of {@code len} samples at {@code pcm[off]}, in dBFS (full-scale square wave = 0). */
  public static double rmsDbfs(short[] pcm, int off, int len) {
    if (len <= 0) {
      return FLOOR_DBFS;
    }
    double sum = 0;
    for (int i = off; i < off + len; i++) {
      double s = pcm[i];
      sum += s * s;
    }
    double rms = Math.sqrt(sum / len) / 32768.0;
    return clamp(rms <= 0 ? FLOOR_DBFS : 20 * Math.log10(rms));
  }

  /** {@code dbfs} within [{@link #FLOOR_DBFS}, 0] (NaN reads as the floor). */
  public static double clamp(double dbfs) {
    if (Double.isNaN(dbfs) || dbfs < FLOOR_DBFS) {
      return FLOOR_DBFS;
    }
    return Math.min(0, dbfs);
  }

  /** Where {@code dbfs} falls on the meter, from 0 (floor) to 1 (full scale). */
  public static double fraction(double dbfs) {
    return (clamp(dbfs) - FLOOR_DBFS) / -FLOOR_DBFS;
  }

  /**
   * Takes the latest measured level at {@code nowMillis} (any monotonic milliseconds).
   *
   * @param dbfs the level just measured, e.g. by {@link #rmsDbfs}
   */
  public void update(double dbfs, long nowMillis) {
    double in = clamp(dbfs);
    long dt = lastAt == Long.MIN_VALUE ? 0 : Math.max(0, nowMillis - lastAt);
    lastAt = nowMillis;
    level = Math.max(in, Math.max(FLOOR_DBFS, level - DECAY_DB_PER_SECOND * dt / 1000.0));
    long sinceHold = nowMillis - peakAt - PEAK_HOLD_MILLIS;
    double falling = sinceHold > 0 ? heldPeak - DECAY_DB_PER_SECOND * sinceHold / 1000.0 : heldPeak;
    if (level >= falling) {
      heldPeak = level;
      peakAt = nowMillis;
      peak = level;
    } else {
      peak = Math.max(FLOOR_DBFS, falling);
    }
  }

  /** The level shown now, in dBFS. */
  public double level() {
    return level;
  }

  /** The peak mark, in dBFS; never below {@link #level()}. */
  public double peak() {
    return peak;
  }

  /** Back to silence. */
  public void reset() {
    level = FLOOR_DBFS;
    heldPeak = FLOOR_DBFS;
    peak = FLOOR_DBFS;
    peakAt = 0;
    lastAt = Long.MIN_VALUE;
  }
}
