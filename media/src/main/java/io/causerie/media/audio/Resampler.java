package io.causerie.media.audio;

/**
 * Streaming sample-rate converter between any two rates (typically a file's or device's rate and
 * 48 kHz, or 48 kHz and G.711's 8 kHz) by band-limited interpolation with a Kaiser-windowed sinc.
 *
 * <p>Design: the kernel's cutoff is {@value #ROLLOFF} of the lower of the two Nyquist frequencies
 * (3.6 kHz when one side is 8 kHz), it spans {@value #ZERO_CROSSINGS} zero crossings on each side,
 * and the Kaiser window (β = {@value #KAISER_BETA}) gives about 80 dB stopband attenuation; the
 * transition band of a 48→8 kHz conversion is roughly 3.2–4.0 kHz, so the 300–3400 Hz telephone
 * band passes and almost nothing aliases. The kernel is tabulated at {@value #TABLE_STEPS_PER_ZERO}
 * points per zero crossing and linearly interpolated; for ratios with at most {@value #MAX_PHASES}
 * output phases (every common rate pair) the interpolated kernel is precomputed as a polyphase
 * bank, so an output sample is one contiguous dot product.
 * Output sample {@code n} is taken at exact rational input time {@code n × inRate / outRate}, minus
 * a fixed delay of {@link #delayInputSamples()} input samples so that a frame of input always yields
 * the matching frame of output (960 in → 160 out for 48→8 kHz) without waiting for look-ahead.
 *
 * <p>Cost is about 2 × {@value #ZERO_CROSSINGS} multiply-adds per output sample times the
 * down-sampling factor (≈ 2.6 M/s each way for 48↔8 kHz, a few tens of µs per 20 ms frame). No
 * allocation after construction.
 * Not thread-safe.
 */
public final class Resampler {
  /** Kernel zero crossings on each side of the centre (at the cutoff frequency). */
  public static final int ZERO_CROSSINGS = 24;

  /** Cutoff as a fraction of the lower Nyquist frequency. */
  public static final double ROLLOFF = 0.90;

  /** Kaiser window shape parameter. */
  public static final double KAISER_BETA = 8.0;

  /** Kernel table resolution. */
  public static final int TABLE_STEPS_PER_ZERO = 512;

  /** Most polyphase branches precomputed; rarer ratios interpolate the kernel per tap. */
  public static final int MAX_PHASES = 1024;

  private final int inRateHz;
  private final int outRateHz;
  private final long up;
  private final long down;
  private final boolean passThrough;
  private final double cutoff;
  private final double halfWidth;
  private final int halfTaps;
  private final int taps;
  private final int delay;
  private final float[] kernel;
  /** Polyphase coefficients: phase p at [p * taps, (p + 1) * taps), or null above MAX_PHASES. */
  private final float[] bank;
  /** Input history, each sample stored twice (at i and i + capacity) so windows are contiguous. */
  private final float[] history;
  private final int capacity;
  private long inCount;
  private long outCount;

  /** A converter from {@code inRateHz} to {@code outRateHz}. */
  public Resampler(int inRateHz, int outRateHz) {
    if (inRateHz <= 0 || outRateHz <= 0) {
      throw new IllegalArgumentException("rates must be positive: " + inRateHz + ", " + outRateHz);
    }
    this.inRateHz = inRateHz;
    this.outRateHz = outRateHz;
    long g = gcd(inRateHz, outRateHz);
    this.up = outRateHz / g;
    this.down = inRateHz / g;
    this.passThrough = inRateHz == outRateHz;
    this.cutoff = ROLLOFF * Math.min(1.0, (double) outRateHz / inRateHz);
    this.halfWidth = ZERO_CROSSINGS / cutoff;
    this.halfTaps = (int) Math.ceil(halfWidth);
    this.taps = 2 * halfTaps + 2;
    this.delay = halfTaps + 1;
    this.kernel = buildKernel(cutoff);
    this.capacity = Integer.highestOneBit(taps + 1) << 1;
    this.history = new float[2 * capacity];
    if (up <= MAX_PHASES && !passThrough) {
      bank = new float[(int) up * taps];
      for (int p = 0; p < up; p++) {
        double frac = (double) p / up;
        for (int j = 0; j < taps; j++) {
          bank[p * taps + j] = (float) kernelAt(Math.abs(j - halfTaps - frac));
        }
      }
    } else {
      bank = null;
    }
  }

  /** Kernel value at a distance of {@code x} input samples from the centre. */
  private double kernelAt(double x) {
    double pos = x * cutoff * TABLE_STEPS_PER_ZERO;
    int idx = (int) pos;
    if (idx >= kernel.length - 1) {
      return 0;
    }
    double f = pos - idx;
    return kernel[idx] + f * (kernel[idx + 1] - kernel[idx]);
  }

  private static float[] buildKernel(double cutoff) {
    int n = ZERO_CROSSINGS * TABLE_STEPS_PER_ZERO + 2;
    float[] k = new float[n];
    double i0Beta = besselI0(KAISER_BETA);
    for (int i = 0; i < n; i++) {
      double t = (double) i / TABLE_STEPS_PER_ZERO; // in zero crossings
      double sinc = t == 0 ? 1 : Math.sin(Math.PI * t) / (Math.PI * t);
      double r = t / ZERO_CROSSINGS;
      double w = r >= 1 ? 0 : besselI0(KAISER_BETA * Math.sqrt(1 - r * r)) / i0Beta;
      k[i] = (float) (cutoff * sinc * w);
    }
    return k;
  }

  private static double besselI0(double x) {
    double sum = 1;
    double term = 1;
    double half = x / 2;
    for (int k = 1; k < 50; k++) {
      term *= (half / k) * (half / k);
      sum += term;
      if (term < 1e-12 * sum) {
        break;
      }
    }
    return sum;
  }

  private static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  /** Input rate. */
  public int inRateHz() {
    return inRateHz;
  }

  /** Output rate. */
  public int outRateHz() {
    return outRateHz;
  }

  /** Fixed delay added by the filter, in input samples (0 when the rates are equal). */
  public int delayInputSamples() {
    return passThrough ? 0 : delay;
  }

  /** Upper bound of the samples {@link #process} can produce from {@code inLen} input samples. */
  public int maxOutput(int inLen) {
    return (int) ((inLen * up + down - 1) / down) + 1;
  }

  /** Forgets the input history (restart at time zero). */
  public void reset() {
    java.util.Arrays.fill(history, 0f);
    inCount = 0;
    outCount = 0;
  }

  /**
   * Converts {@code inLen} samples from {@code in[inOff]}, writing to {@code out[outOff]} and
   * returning how many samples were written (at most {@link #maxOutput(int)}). Over a stream the
   * output count is exactly {@code total input × outRate / inRate}, rounded down.
   */
  public int process(short[] in, int inOff, int inLen, short[] out, int outOff) {
    if (passThrough) {
      System.arraycopy(in, inOff, out, outOff, inLen);
      return inLen;
    }
    int mask = capacity - 1;
    int written = 0;
    for (int i = 0; i < inLen; i++) {
      int slot = (int) (inCount & mask);
      float v = in[inOff + i];
      history[slot] = v;
      history[slot + capacity] = v;
      long newest = inCount++;
      while ((outCount * down) / up <= newest) {
        out[outOff + written++] = interpolate(mask);
        outCount++;
      }
    }
    return written;
  }

  /**
   * Output sample {@code outCount}: centred at input time {@code outCount × down / up − delay},
   * a window of {@code taps} samples starting {@code halfTaps} before the centre's integer part.
   */
  private short interpolate(int mask) {
    long num = outCount * down;
    long whole = num / up;
    int phase = (int) (num % up);
    long first = whole - delay - halfTaps;
    int start = (int) (first & mask);
    double acc;
    if (bank != null) {
      int base = phase * taps;
      float sum = 0;
      for (int j = 0; j < taps; j++) {
        sum += bank[base + j] * history[start + j];
      }
      acc = sum;
    } else {
      double frac = (double) phase / up;
      acc = 0;
      for (int j = 0; j < taps; j++) {
        acc += kernelAt(Math.abs(j - halfTaps - frac)) * history[start + j];
      }
    }
    long r = Math.round(acc);
    return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, r));
  }
}
