package io.causerie.client.media;

import java.util.Random;

/** Deterministic test audio generated in the test, so no binary fixtures are needed. */
final class TestSignals {
  private TestSignals() {}

  static final int RATE = 48_000;

  /**
   * Speech-like: a harmonic series on a gliding pitch (110–190 Hz) through two moving formants,
   * with a 4 Hz syllable envelope and a little noise; aperiodic, so alignment is unambiguous.
   */
  static short[] speechLike(int samples, long seed) {
    short[] s = new short[samples];
    Random r = new Random(seed);
    double phase = 0;
    for (int i = 0; i < samples; i++) {
      double t = i / (double) RATE;
      double f0 = 150 + 40 * Math.sin(2 * Math.PI * 2.7 * t);
      phase += 2 * Math.PI * f0 / RATE;
      double envelope = Math.max(0, Math.sin(2 * Math.PI * 4 * t + 0.3 * Math.sin(2 * Math.PI * 0.7 * t)));
      double f1 = 700 + 200 * Math.sin(2 * Math.PI * 1.3 * t);
      double v = 0;
      for (int h = 1; h <= 20; h++) {
        double fh = h * f0;
        double gain = Math.exp(-Math.pow((fh - f1) / 300, 2))
            + 0.6 * Math.exp(-Math.pow((fh - 1800) / 400, 2)) + 0.15;
        v += gain * Math.sin(h * phase) / Math.sqrt(h);
      }
      s[i] = clip(4000 * envelope * v + r.nextGaussian() * 30);
    }
    return s;
  }

  static short clip(double v) {
    return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(v)));
  }

  /** {@code silenceMillis} of silence, then a sine of {@code hz} for {@code toneMillis}. */
  static short[] toneAfterSilence(double hz, int silenceMillis, int toneMillis) {
    int pre = silenceMillis * RATE / 1000;
    short[] s = new short[pre + toneMillis * RATE / 1000];
    for (int i = pre; i < s.length; i++) {
      s[i] = (short) Math.round(8000 * Math.sin(2 * Math.PI * hz * (i - pre) / RATE));
    }
    return s;
  }

  /** {@code a} preceded by {@code millis} of silence. */
  static short[] padFront(short[] a, int millis) {
    short[] s = new short[millis * RATE / 1000 + a.length];
    System.arraycopy(a, 0, s, s.length - a.length, a.length);
    return s;
  }
}
