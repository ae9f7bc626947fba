package io.causerie.media.testing;

import java.util.Random;

/** Deterministic test signals and measurements shared by the media tests. */
public final class Signals {
  private Signals() {}

  /** A sine of {@code hz} at {@code amplitude} (linear PCM units). */
  public static short[] sine(double hz, double amplitude, int sampleRateHz, int samples) {
    short[] s = new short[samples];
    for (int i = 0; i < samples; i++) {
      s[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * hz * i / sampleRateHz));
    }
    return s;
  }

  /**
   * Speech-like test signal: a harmonic series on a gliding pitch (110–190 Hz), shaped by two
   * moving formants and a 4 Hz syllable envelope, plus a little noise. Aperiodic over long spans so
   * that delays can be measured by cross-correlation.
   */
  public static short[] speechLike(int sampleRateHz, int samples, long seed) {
    short[] s = new short[samples];
    Random r = new Random(seed);
    double phase = 0;
    for (int i = 0; i < samples; i++) {
      double t = i / (double) sampleRateHz;
      double f0 = 150 + 40 * Math.sin(2 * Math.PI * 2.7 * t);
      phase += 2 * Math.PI * f0 / sampleRateHz;
      double envelope = Math.max(0, Math.sin(2 * Math.PI * 4 * t));
      double v = 0;
      for (int h = 1; h <= 12; h++) {
        double fh = h * f0;
        if (fh >= sampleRateHz / 2.0) {
          break;
        }
        double f1 = 700 + 200 * Math.sin(2 * Math.PI * 1.3 * t);
        double gain = Math.exp(-Math.pow((fh - f1) / 300, 2))
            + 0.6 * Math.exp(-Math.pow((fh - 1800) / 400, 2)) + 0.2;
        v += gain * Math.sin(h * phase) / h;
      }
      s[i] = (short) Math.round(9000 * envelope * v + r.nextGaussian() * 30);
    }
    return s;
  }

  /** Signal-to-noise ratio in dB of {@code x[xo..]} against the reference {@code ref[ro..]}. */
  public static double snrDb(short[] ref, int ro, short[] x, int xo, int n) {
    double signal = 0;
    double noise = 0;
    for (int i = 0; i < n; i++) {
      double a = ref[ro + i];
      double d = a - x[xo + i];
      signal += a * a;
      noise += d * d;
    }
    if (noise == 0) {
      return Double.POSITIVE_INFINITY;
    }
    return 10 * Math.log10(signal / noise);
  }

  /** Root-mean-square level of {@code x[off, off+n)}. */
  public static double rms(short[] x, int off, int n) {
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += (double) x[off + i] * x[off + i];
    }
    return Math.sqrt(sum / n);
  }

  /** Frequency estimated from the rising zero crossings of {@code x[off, off+n)}. */
  public static double zeroCrossingFrequencyHz(short[] x, int off, int n, int sampleRateHz) {
    int first = -1;
    int last = -1;
    int crossings = 0;
    for (int i = off + 1; i < off + n; i++) {
      if (x[i - 1] < 0 && x[i] >= 0) {
        if (first < 0) {
          first = i;
        } else {
          crossings++;
        }
        last = i;
      }
    }
    if (crossings == 0) {
      return 0;
    }
    return crossings * (double) sampleRateHz / (last - first);
  }

  /** Power of {@code x[off, off+n)} at {@code hz} (Goertzel), normalised like mean square. */
  public static double tonePower(short[] x, int off, int n, double hz, int sampleRateHz) {
    double w = 2 * Math.PI * hz / sampleRateHz;
    double coeff = 2 * Math.cos(w);
    double s1 = 0;
    double s2 = 0;
    for (int i = 0; i < n; i++) {
      double s0 = x[off + i] + coeff * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
    double power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
    return 2 * power / ((double) n * n);
  }

  /** Lag in [0, maxLag] maximising the SNR of {@code x} against {@code ref} delayed by the lag. */
  public static int bestDelay(short[] ref, short[] x, int from, int n, int maxLag) {
    int best = 0;
    double bestSnr = Double.NEGATIVE_INFINITY;
    for (int lag = 0; lag <= maxLag; lag++) {
      double snr = snrDb(ref, from - lag, x, from, n);
      if (snr > bestSnr) {
        bestSnr = snr;
        best = lag;
      }
    }
    return best;
  }
}
