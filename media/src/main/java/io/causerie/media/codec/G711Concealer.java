package io.causerie.media.codec;

/**
 * Packet-loss concealment for 8 kHz narrowband speech after ITU-T G.711 Appendix I: pitch-period
 * repetition with growing period count, overlap-add smoothing and linear attenuation into silence.
 *
 * <p>What is implemented, following Appendix I's structure and constants:
 *
 * <ul>
 *   <li>a {@value #HISTORY_SAMPLES}-sample history (3 × max pitch + ¼ max pitch) of the output;
 *   <li>pitch estimated at the start of an erasure by normalised cross-correlation of the last
 *       {@value #CORRELATION_SAMPLES} samples over lags {@value #PITCH_MIN_SAMPLES}..{@value
 *       #PITCH_MAX_SAMPLES} (66–200 Hz), at full resolution instead of Appendix I's 2:1 decimated
 *       coarse search plus refinement;
 *   <li>the last pitch period is repeated; the loop point is smoothed by overlap-adding the last
 *       ¼ period with the ¼ period that precedes the repeated segment;
 *   <li>after 10 ms the repeated segment grows to 2 periods, after 20 ms to 3 (each switch is a ¼
 *       period cross-fade) to avoid a buzzy, too-periodic sound;
 *   <li>from 10 ms into the erasure the gain falls linearly by 20 % per 10 ms, reaching silence at
 *       {@value #MAX_CONCEAL_SAMPLES} samples (60 ms);
 *   <li>on the first good frame the synthetic signal is continued and overlap-added into the start
 *       of the real one over ¼ period plus 4 ms per extra 10 ms of erasure, at most 10 ms.
 * </ul>
 *
 * <p>Deviation: Appendix I delays the output by 3.75 ms so it can rewrite the samples just before
 * an erasure; this version adds no delay and instead applies that overlap-add inside the pitch
 * buffer's loop point, so already-played samples are never changed. No allocation after
 * construction. Not thread-safe.
 */
public final class G711Concealer {
  /** The concealer's sample rate. */
  public static final int SAMPLE_RATE_HZ = 8000;

  /** Shortest pitch period searched: 5 ms (200 Hz). */
  public static final int PITCH_MIN_SAMPLES = 40;

  /** Longest pitch period searched: 15 ms (66.7 Hz). */
  public static final int PITCH_MAX_SAMPLES = 120;

  /** Length of the correlation window for the pitch search: 20 ms. */
  public static final int CORRELATION_SAMPLES = 160;

  /** History kept: three longest periods plus a quarter period for the loop overlap-add. */
  public static final int HISTORY_SAMPLES = 3 * PITCH_MAX_SAMPLES + PITCH_MAX_SAMPLES / 4;

  /** Erased samples after which one more pitch period is used, and attenuation starts: 10 ms. */
  public static final int STAGE_SAMPLES = 80;

  /** Most pitch periods repeated. */
  public static final int MAX_PERIODS = 3;

  /** Gain lost per {@link #STAGE_SAMPLES} once attenuation has started. */
  public static final double ATTENUATION_PER_STAGE = 0.2;

  /** Erased samples after which the output is silent: 60 ms. */
  public static final int MAX_CONCEAL_SAMPLES = STAGE_SAMPLES + (int) (STAGE_SAMPLES / ATTENUATION_PER_STAGE);

  /** Extra recovery overlap-add per additional 10 ms of erasure: 4 ms. */
  public static final int RECOVERY_OLA_STEP_SAMPLES = 32;

  /** Longest recovery overlap-add: 10 ms. */
  public static final int MAX_RECOVERY_OLA_SAMPLES = 80;

  private final short[] history = new short[HISTORY_SAMPLES];
  private final short[] snapshot = new short[HISTORY_SAMPLES];
  private int pitch = PITCH_MAX_SAMPLES;
  private int periods;
  private int oldPeriods;
  private int pos;
  private int oldPos;
  private int crossfadeLeft;
  private int crossfadeLength;
  private int erasedSamples;

  /** A concealer with silent history. */
  public G711Concealer() {}

  /** Forgets history and any erasure in progress. */
  public void reset() {
    java.util.Arrays.fill(history, (short) 0);
    erasedSamples = 0;
    crossfadeLeft = 0;
  }

  /** Samples concealed in the current erasure (0 when the last frame was good). */
  public int erasedSamples() {
    return erasedSamples;
  }

  /** Pitch period in samples estimated at the start of the last erasure. */
  public int lastPitchSamples() {
    return pitch;
  }

  /**
   * Accounts for {@code n} correctly decoded samples at {@code pcm[off]}; right after an erasure it
   * first overlap-adds the synthetic continuation into their start (modifying {@code pcm} in
   * place) so that the transition is smooth.
   */
  public void onGoodSamples(short[] pcm, int off, int n) {
    if (erasedSamples > 0) {
      int extraStages = Math.max(0, (erasedSamples - 1) / STAGE_SAMPLES);
      int olaLength = Math.min(MAX_RECOVERY_OLA_SAMPLES,
          Math.min(n, pitch / 4 + RECOVERY_OLA_STEP_SAMPLES * extraStages));
      for (int i = 0; i < olaLength; i++) {
        double synthetic = nextSyntheticSample();
        double w = (i + 1) / (double) (olaLength + 1);
        pcm[off + i] = clamp(w * pcm[off + i] + (1 - w) * synthetic);
      }
      erasedSamples = 0;
      crossfadeLeft = 0;
    }
    appendHistory(pcm, off, n);
  }

  /** Writes {@code n} concealment samples for lost audio into {@code pcm[off]}. */
  public void conceal(short[] pcm, int off, int n) {
    if (erasedSamples == 0) {
      startErasure();
    }
    for (int i = 0; i < n; i++) {
      pcm[off + i] = clamp(nextSyntheticSample());
    }
    appendHistory(pcm, off, n);
  }

  private void startErasure() {
    System.arraycopy(history, 0, snapshot, 0, HISTORY_SAMPLES);
    pitch = estimatePitch(snapshot);
    periods = 1;
    pos = 0;
    crossfadeLeft = 0;
  }

  /** Next synthetic sample; advances the erasure clock, period count and attenuation. */
  private double nextSyntheticSample() {
    if (erasedSamples >= MAX_CONCEAL_SAMPLES) {
      erasedSamples++;
      return 0;
    }
    if (erasedSamples > 0 && erasedSamples % STAGE_SAMPLES == 0 && periods < MAX_PERIODS) {
      oldPeriods = periods;
      oldPos = pos;
      periods++;
      crossfadeLength = Math.max(1, pitch / 4);
      crossfadeLeft = crossfadeLength;
    }
    double v = loopSample(periods, pos);
    pos = (pos + 1) % (periods * pitch);
    if (crossfadeLeft > 0) {
      double old = loopSample(oldPeriods, oldPos);
      oldPos = (oldPos + 1) % (oldPeriods * pitch);
      double w = (crossfadeLength - crossfadeLeft + 1) / (double) (crossfadeLength + 1);
      v = (1 - w) * old + w * v;
      crossfadeLeft--;
    }
    double gain = 1.0;
    if (erasedSamples >= STAGE_SAMPLES) {
      gain = 1.0 - ATTENUATION_PER_STAGE * (erasedSamples - STAGE_SAMPLES) / STAGE_SAMPLES;
    }
    erasedSamples++;
    return v * Math.max(0, gain);
  }

  /**
   * Sample {@code i} of the loop made of the last {@code k} periods of the snapshot, whose last
   * quarter period is cross-faded into the quarter period preceding the loop start.
   */
  private double loopSample(int k, int i) {
    int start = HISTORY_SAMPLES - k * pitch;
    double v = snapshot[start + i];
    int quarter = pitch / 4;
    int tailStart = k * pitch - quarter;
    if (i >= tailStart) {
      int j = i - tailStart;
      double w = (j + 1) / (double) (quarter + 1);
      v = (1 - w) * v + w * snapshot[start - quarter + j];
    }
    return v;
  }

  /** Pitch lag maximising the normalised cross-correlation of the last 20 ms with its past. */
  static int estimatePitch(short[] x) {
    int end = x.length;
    int best = PITCH_MAX_SAMPLES;
    double bestScore = 0;
    for (int lag = PITCH_MIN_SAMPLES; lag <= PITCH_MAX_SAMPLES; lag++) {
      long corr = 0;
      long energy = 0;
      for (int i = end - CORRELATION_SAMPLES; i < end; i++) {
        int past = x[i - lag];
        corr += (long) x[i] * past;
        energy += (long) past * past;
      }
      if (corr > 0 && energy > 0) {
        double score = (double) corr * corr / energy;
        if (score > bestScore) {
          bestScore = score;
          best = lag;
        }
      }
    }
    return best;
  }

  private void appendHistory(short[] pcm, int off, int n) {
    if (n >= HISTORY_SAMPLES) {
      System.arraycopy(pcm, off + n - HISTORY_SAMPLES, history, 0, HISTORY_SAMPLES);
    } else {
      System.arraycopy(history, n, history, 0, HISTORY_SAMPLES - n);
      System.arraycopy(pcm, off, history, HISTORY_SAMPLES - n, n);
    }
  }

  private static short clamp(double v) {
    long r = Math.round(v);
    return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, r));
  }
}
