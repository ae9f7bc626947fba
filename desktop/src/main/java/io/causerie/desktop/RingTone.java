package io.causerie.desktop;

/**
 * The ring tone, generated: one cadence of the UK ring (400 Hz + 450 Hz, 0.4 s on, 0.2 s off, 0.4 s on,
 * 2 s off), 16-bit signed little-endian mono, with short fades so it never clicks.
 */
public final class RingTone {
  public static final int SAMPLE_RATE_HZ = 16_000;
  public static final int ON_MILLIS = 400;
  public static final int GAP_MILLIS = 200;
  public static final int PAUSE_MILLIS = 2_000;
  /** Length of the fade in and out of each burst. */
  public static final int FADE_MILLIS = 10;
  /** Peak amplitude as a fraction of full scale: audible, never harsh. */
  public static final double LEVEL = 0.3;
  static final double LOW_HZ = 400;
  static final double HIGH_HZ = 450;

  private RingTone() {}

  /** The length of one cadence in milliseconds. */
  public static int cadenceMillis() {
    return ON_MILLIS + GAP_MILLIS + ON_MILLIS + PAUSE_MILLIS;
  }

  /** One cadence at {@code sampleRateHz}, as 16-bit little-endian PCM. */
  public static byte[] cadence(int sampleRateHz) {
    int on = samples(ON_MILLIS, sampleRateHz);
    int gap = samples(GAP_MILLIS, sampleRateHz);
    int total = samples(cadenceMillis(), sampleRateHz);
    byte[] out = new byte[total * 2];
    burst(out, 0, on, sampleRateHz);
    burst(out, on + gap, on, sampleRateHz);
    return out;
  }

  private static void burst(byte[] out, int from, int n, int rate) {
    int fade = samples(FADE_MILLIS, rate);
    for (int i = 0; i < n; i++) {
      double t = (double) i / rate;
      double env = Math.min(1.0, Math.min(i, n - 1 - i) / (double) fade);
      double v = LEVEL * env * 0.5 * (Math.sin(2 * Math.PI * LOW_HZ * t) + Math.sin(2 * Math.PI * HIGH_HZ * t));
      short s = (short) Math.round(v * Short.MAX_VALUE);
      int at = (from + i) * 2;
      out[at] = (byte) s;
      out[at + 1] = (byte) (s >> 8);
    }
  }

  private static int samples(int millis, int rate) {
    return (int) ((long) millis * rate / 1000);
  }
}
