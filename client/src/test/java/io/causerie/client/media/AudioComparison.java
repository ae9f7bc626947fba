package io.causerie.client.media;

import java.util.Arrays;

/**
 * Objective comparison of received audio with what was sent, for the voice tests and benchmarks.
 *
 * <p>The degraded signal is first aligned on the reference: a global lag by FFT cross-correlation,
 * then, because the delay moves as the jitter buffer adapts and conceals (and jumps when a stalled
 * sender or receiver catches up), a local lag per {@value #SEGMENT_MILLIS} ms segment: the best
 * normalised correlation within ±{@value #LOCAL_SEARCH_MILLIS} ms of the previous segment's lag,
 * of the global lag, and, when neither fits well, of the segment's own cross-correlation peak over
 * the whole lag range (coarse step, then refined); finally each frame may move one frame either way
 * if that fits clearly better (a frame the buffer inserted or dropped). Then, per 20 ms frame
 * of the reference that is active (within {@value #ACTIVE_RANGE_DB} dB of the loudest frame):
 *
 * <ul>
 *   <li><b>log-spectral distance</b> (LSD): RMS over the {@value #BAND_LOW_HZ}–{@value
 *       #BAND_HIGH_HZ} Hz bins of the difference of the two Hann-windowed 1024-point power spectra
 *       in dB, each floored {@value #SPECTRUM_FLOOR_DB} dB below the reference frame's peak bin;
 *       the narrow band keeps G.711 and wideband Opus comparable. 0 dB is identical; clean Opus
 *       and G.711 score roughly 2–5 dB on speech, a lost and badly concealed frame 10–20 dB;
 *   <li><b>bad frame</b>: the frame's LSD exceeds {@value #BAD_FRAME_LSD_DB} dB, what a loss
 *       concealed by repeating the last pitch period or a badly misaligned frame typically scores
 *       (the mean LSD alone hides a few per cent of them);
 *   <li><b>dropout</b>: the frame arrived more than {@value #DROPOUT_DB} dB quieter than sent.
 * </ul>
 *
 * Pure and allocation-happy (test code).
 */
public final class AudioComparison {
  private AudioComparison() {}

  public static final int FRAME_SAMPLES = 960;
  public static final int SAMPLE_RATE_HZ = 48_000;
  public static final int SEGMENT_MILLIS = 200;
  public static final int LOCAL_SEARCH_MILLIS = 45;
  public static final double ACTIVE_RANGE_DB = 30;
  public static final double BAND_LOW_HZ = 200;
  public static final double BAND_HIGH_HZ = 3400;
  public static final double SPECTRUM_FLOOR_DB = 40;
  public static final double DROPOUT_DB = 20;
  public static final double BAD_FRAME_LSD_DB = 8;
  private static final int FFT = 1024;

  /**
   * The comparison's outcome.
   *
   * @param globalLagSamples delay of the degraded signal behind the reference
   * @param activeFrames reference frames compared
   * @param lsdDb mean log-spectral distance over active frames
   * @param dropoutShare share of active frames that dropped out, 0..1
   * @param meanLocalLagSamples mean of the per-frame lags used
   * @param badFrameShare share of active frames whose LSD exceeds {@value #BAD_FRAME_LSD_DB} dB
   */
  public record Result(int globalLagSamples, int activeFrames, double lsdDb, double dropoutShare,
      double meanLocalLagSamples, double badFrameShare) {}

  /** Compares {@code degraded} with {@code reference} (both 48 kHz), looking for lags up to {@code maxLagSamples}. */
  public static Result compare(short[] reference, short[] degraded, int maxLagSamples) {
    int global = globalLag(reference, degraded, maxLagSamples);
    int frames = reference.length / FRAME_SAMPLES;
    double[] frameEnergyDb = new double[frames];
    double loudest = Double.NEGATIVE_INFINITY;
    for (int f = 0; f < frames; f++) {
      frameEnergyDb[f] = energyDb(reference, f * FRAME_SAMPLES, FRAME_SAMPLES);
      loudest = Math.max(loudest, frameEnergyDb[f]);
    }
    int segmentFrames = SEGMENT_MILLIS / 20;
    int search = LOCAL_SEARCH_MILLIS * SAMPLE_RATE_HZ / 1000;
    int previous = global;
    double lsdSum = 0;
    int active = 0;
    int dropouts = 0;
    int bad = 0;
    double lagSum = 0;
    for (int seg = 0; seg * segmentFrames < frames; seg++) {
      int from = seg * segmentFrames * FRAME_SAMPLES;
      int len = Math.min(segmentFrames * FRAME_SAMPLES, reference.length - from);
      int[] found = segmentLag(reference, degraded, from, len, previous, global, search, maxLagSamples);
      int lag = found[0];
      if (found[1] >= GOOD_FIT_PERMILLE) {
        previous = lag;
      }
      for (int f = seg * segmentFrames; f < Math.min(frames, (seg + 1) * segmentFrames); f++) {
        if (frameEnergyDb[f] < loudest - ACTIVE_RANGE_DB || frameEnergyDb[f] < 20) {
          continue;
        }
        // The jitter buffer moves its delay a whole frame at a time: try a frame either way too.
        int at = f * FRAME_SAMPLES + frameLag(reference, degraded, f * FRAME_SAMPLES, lag);
        if (at < 0 || at + FRAME_SAMPLES > degraded.length) {
          dropouts++;
          bad++;
          active++;
          continue;
        }
        active++;
        lagSum += lag;
        double degDb = energyDb(degraded, at, FRAME_SAMPLES);
        if (degDb < frameEnergyDb[f] - DROPOUT_DB) {
          dropouts++;
        }
        double frameLsd = lsd(reference, f * FRAME_SAMPLES, degraded, at);
        lsdSum += frameLsd;
        if (frameLsd > BAD_FRAME_LSD_DB) {
          bad++;
        }
      }
    }
    return new Result(global, active, active == 0 ? Double.NaN : lsdSum / active,
        active == 0 ? 1 : dropouts / (double) active, active == 0 ? 0 : lagSum / active,
        active == 0 ? 1 : bad / (double) active);
  }

  /** Mean power in dB (re 1 LSB²) of {@code x[off, off+n)}. */
  public static double energyDb(short[] x, int off, int n) {
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += (double) x[off + i] * x[off + i];
    }
    return 10 * Math.log10(sum / n + 1e-9);
  }

  /** Goertzel power at {@code hz} over mean square of {@code x[off, off+n)}: 1.0 for a pure tone. */
  public static double toneRatio(short[] x, int off, int n, double hz, int sampleRateHz) {
    double w = 2 * Math.PI * hz / sampleRateHz;
    double coeff = 2 * Math.cos(w);
    double s1 = 0;
    double s2 = 0;
    double ms = 0;
    for (int i = 0; i < n; i++) {
      double v = x[off + i];
      ms += v * v;
      double s0 = v + coeff * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
    double power = 2 * (s1 * s1 + s2 * s2 - coeff * s1 * s2) / ((double) n * n);
    return ms == 0 ? 0 : power / (ms / n);
  }

  /** Lag in [0, maxLag] maximising the cross-correlation of {@code deg} against {@code ref}. */
  public static int globalLag(short[] ref, short[] deg, int maxLag) {
    int n = 1;
    while (n < ref.length + deg.length) {
      n <<= 1;
    }
    double[] ar = new double[n];
    double[] ai = new double[n];
    double[] br = new double[n];
    double[] bi = new double[n];
    for (int i = 0; i < ref.length; i++) {
      ar[i] = ref[i];
    }
    for (int i = 0; i < deg.length; i++) {
      br[i] = deg[i];
    }
    fft(ar, ai, false);
    fft(br, bi, false);
    // corr[k] = sum ref[t] deg[t + k]  <=>  IFFT(conj(A) B)
    for (int i = 0; i < n; i++) {
      double re = ar[i] * br[i] + ai[i] * bi[i];
      double im = ar[i] * bi[i] - ai[i] * br[i];
      ar[i] = re;
      ai[i] = im;
    }
    fft(ar, ai, true);
    int best = 0;
    for (int k = 1; k <= Math.min(maxLag, n - 1); k++) {
      if (ar[k] > ar[best]) {
        best = k;
      }
    }
    return best;
  }

  private static int frameLag(short[] ref, short[] deg, int from, int lag) {
    int best = lag;
    double bestScore = normalisedCorrelation(ref, from, deg, from + lag, FRAME_SAMPLES);
    for (int candidate : new int[] {lag - FRAME_SAMPLES, lag + FRAME_SAMPLES}) {
      double score = normalisedCorrelation(ref, from, deg, from + candidate, FRAME_SAMPLES);
      // Only for a clear match: a lost frame must not borrow its neighbour's audio.
      if (score > 0.8 && score > bestScore + 0.1) {
        bestScore = score;
        best = candidate;
      }
    }
    return best;
  }

  /** Normalised correlation (per mille) from which a segment's lag is trusted. */
  private static final int GOOD_FIT_PERMILLE = 600;

  /** The segment's lag and its normalised correlation in per mille. */
  private static int[] segmentLag(short[] ref, short[] deg, int from, int len, int previous,
      int global, int search, int maxLag) {
    double[] best = {previous, Double.NEGATIVE_INFINITY};
    for (int candidate : new int[] {previous, global}) {
      double[] r = localLag(ref, deg, from, len, candidate, search);
      if (r[1] > best[1] + 0.02 || (candidate == previous && r[1] > best[1])) {
        best = r;
      }
    }
    if (best[1] * 1000 < GOOD_FIT_PERMILLE) {
      // deg[from + t + k] ~ ref[from + t]: the window's correlation peak k is the lag.
      int peak = globalLag(Arrays.copyOfRange(ref, from, from + len),
          Arrays.copyOfRange(deg, Math.min(deg.length, from), Math.min(deg.length, from + len + maxLag)),
          maxLag);
      double[] r = localLag(ref, deg, from, len, peak, search);
      if (r[1] > best[1]) {
        best = r;
      }
    }
    return new int[] {(int) best[0], (int) Math.round(best[1] * 1000)};
  }

  private static double[] localLag(short[] ref, short[] deg, int from, int len, int centre, int search) {
    int best = centre;
    double bestScore = Double.NEGATIVE_INFINITY;
    int step = 8;
    for (int pass = 0; pass < 2; pass++) {
      int lo = pass == 0 ? centre - search : best - step;
      int hi = pass == 0 ? centre + search : best + step;
      int s = pass == 0 ? step : 1;
      for (int lag = lo; lag <= hi; lag += s) {
        double score = normalisedCorrelation(ref, from, deg, from + lag, len);
        if (score > bestScore) {
          bestScore = score;
          best = lag;
        }
      }
    }
    return new double[] {best, bestScore};
  }

  private static double normalisedCorrelation(short[] a, int ao, short[] b, int bo, int n) {
    double ab = 0;
    double aa = 0;
    double bb = 0;
    for (int i = 0; i < n; i++) {
      int j = bo + i;
      double x = a[ao + i];
      double y = j >= 0 && j < b.length ? b[j] : 0;
      ab += x * y;
      aa += x * x;
      bb += y * y;
    }
    return aa == 0 || bb == 0 ? -1 : ab / Math.sqrt(aa * bb);
  }

  private static double lsd(short[] ref, int ro, short[] deg, int dOff) {
    double[] pr = powerSpectrumDb(ref, ro);
    double[] pd = powerSpectrumDb(deg, dOff);
    int lo = (int) Math.ceil(BAND_LOW_HZ * FFT / SAMPLE_RATE_HZ);
    int hi = (int) Math.floor(BAND_HIGH_HZ * FFT / SAMPLE_RATE_HZ);
    double peak = Double.NEGATIVE_INFINITY;
    for (int k = lo; k <= hi; k++) {
      peak = Math.max(peak, pr[k]);
    }
    double floor = peak - SPECTRUM_FLOOR_DB;
    double sum = 0;
    for (int k = lo; k <= hi; k++) {
      double d = Math.max(pr[k], floor) - Math.max(pd[k], floor);
      sum += d * d;
    }
    return Math.sqrt(sum / (hi - lo + 1));
  }

  private static double[] powerSpectrumDb(short[] x, int off) {
    double[] re = new double[FFT];
    double[] im = new double[FFT];
    for (int i = 0; i < FRAME_SAMPLES; i++) {
      double w = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / (FRAME_SAMPLES - 1));
      re[i] = x[off + i] * w;
    }
    fft(re, im, false);
    double[] db = new double[FFT / 2 + 1];
    for (int k = 0; k < db.length; k++) {
      db[k] = 10 * Math.log10(re[k] * re[k] + im[k] * im[k] + 1e-9);
    }
    return db;
  }

  /** In-place iterative radix-2 FFT; {@code inverse} also scales by 1/n. */
  static void fft(double[] re, double[] im, boolean inverse) {
    int n = re.length;
    for (int i = 1, j = 0; i < n; i++) {
      int bit = n >> 1;
      for (; (j & bit) != 0; bit >>= 1) {
        j ^= bit;
      }
      j ^= bit;
      if (i < j) {
        double t = re[i];
        re[i] = re[j];
        re[j] = t;
        t = im[i];
        im[i] = im[j];
        im[j] = t;
      }
    }
    for (int len = 2; len <= n; len <<= 1) {
      double ang = 2 * Math.PI / len * (inverse ? 1 : -1);
      double wr = Math.cos(ang);
      double wi = Math.sin(ang);
      for (int i = 0; i < n; i += len) {
        double cr = 1;
        double ci = 0;
        for (int k = 0; k < len / 2; k++) {
          int a = i + k;
          int b = a + len / 2;
          double xr = re[b] * cr - im[b] * ci;
          double xi = re[b] * ci + im[b] * cr;
          re[b] = re[a] - xr;
          im[b] = im[a] - xi;
          re[a] += xr;
          im[a] += xi;
          double ncr = cr * wr - ci * wi;
          ci = cr * wi + ci * wr;
          cr = ncr;
        }
      }
    }
    if (inverse) {
      for (int i = 0; i < n; i++) {
        re[i] /= n;
        im[i] /= n;
      }
    }
  }
}
