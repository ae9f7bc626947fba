package io.causerie.bench.jmh;

/**
 * A deterministic speech-like test signal, so codec figures are not taken on silence or on a pure tone (which
 * Opus codes unrealistically cheaply): a voiced source (a gliding fundamental of 100–220 Hz with its harmonics
 * up to the band limit, falling off at 6 dB/octave, shaped by three formant peaks that move per "syllable"), a
 * little unvoiced noise, a syllabic amplitude envelope at about 4 Hz, and a short pause every couple of seconds.
 * Peak level about -6 dBFS. The repository holds no WAV recording, so this stands in for one.
 */
public final class SpeechSignal {
  private SpeechSignal() {}

  /** {@code seconds} of 16-bit mono PCM at {@code sampleRateHz}. */
  public static short[] generate(int sampleRateHz, double seconds) {
    int n = (int) Math.round(sampleRateHz * seconds);
    short[] pcm = new short[n];
    double nyquist = sampleRateHz / 2.0;
    double phase = 0;
    long noise = 0x2545F4914F6CDD1DL;
    double peak = 0;
    double[] raw = new double[n];
    for (int i = 0; i < n; i++) {
      double t = (double) i / sampleRateHz;
      int syllable = (int) (t * 4.2);
      // Fundamental glides within a syllable and differs between syllables (intonation).
      double f0 = 120 + 60 * Math.sin(2 * Math.PI * 0.37 * t) + 25 * ((syllable * 7919) % 5 - 2) / 2.0
          + 15 * Math.sin(2 * Math.PI * 4.2 * t);
      phase += 2 * Math.PI * f0 / sampleRateHz;
      if (phase > 2 * Math.PI * 1000) {
        phase -= 2 * Math.PI * 1000;
      }
      // Formants (vowel-like), moving from syllable to syllable.
      double f1 = 350 + 250 * ((syllable * 31) % 4);
      double f2 = 900 + 400 * ((syllable * 17) % 5);
      double f3 = 2500 + 300 * ((syllable * 13) % 3);
      double v = 0;
      for (int h = 1; h * f0 < Math.min(nyquist, 7600); h++) {
        double f = h * f0;
        double gain = 1.0 / h * (formant(f, f1, 120) + 0.6 * formant(f, f2, 180) + 0.3 * formant(f, f3, 250) + 0.05);
        v += gain * Math.sin(h * phase);
      }
      noise ^= noise << 13;
      noise ^= noise >>> 7;
      noise ^= noise << 17;
      double white = (noise >>> 11) * 0x1.0p-53 - 0.5;
      // Syllabic envelope: rises and decays four times a second; a 300 ms pause every 2.4 s.
      double syl = Math.sin(Math.PI * ((t * 4.2) % 1.0));
      double env = syl * syl;
      if (t % 2.4 > 2.1) {
        env = 0.0;
      }
      raw[i] = env * v + (0.02 + 0.1 * env) * white;
      peak = Math.max(peak, Math.abs(raw[i]));
    }
    double scale = peak == 0 ? 0 : 16_000 / peak;
    for (int i = 0; i < n; i++) {
      pcm[i] = (short) Math.round(raw[i] * scale);
    }
    return pcm;
  }

  private static double formant(double f, double centre, double bandwidth) {
    double d = (f - centre) / bandwidth;
    return 1.0 / (1.0 + d * d);
  }
}
