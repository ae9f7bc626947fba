package io.causerie.media.audio;

/** An endless sine-wave {@link FrameSource} with a continuous phase across frames. */
public final class ToneGenerator implements FrameSource {
  private final int sampleRateHz;
  private final double frequencyHz;
  private final double amplitude;
  private final double phaseStep;
  private double phase;

  /**
   * A tone of {@code frequencyHz} at {@code amplitudeFraction} of full scale (0..1).
   *
   * @throws IllegalArgumentException for a non-positive rate, a frequency outside [0, Nyquist] or
   *     an amplitude outside [0, 1]
   */
  public ToneGenerator(double frequencyHz, double amplitudeFraction, int sampleRateHz) {
    if (sampleRateHz <= 0) {
      throw new IllegalArgumentException("sample rate must be positive: " + sampleRateHz);
    }
    if (!(frequencyHz >= 0 && frequencyHz <= sampleRateHz / 2.0)) {
      throw new IllegalArgumentException("frequency outside [0, Nyquist]: " + frequencyHz);
    }
    if (!(amplitudeFraction >= 0 && amplitudeFraction <= 1)) {
      throw new IllegalArgumentException("amplitude outside [0, 1]: " + amplitudeFraction);
    }
    this.sampleRateHz = sampleRateHz;
    this.frequencyHz = frequencyHz;
    this.amplitude = amplitudeFraction * Short.MAX_VALUE;
    this.phaseStep = 2 * Math.PI * frequencyHz / sampleRateHz;
  }

  @Override
  public int sampleRateHz() {
    return sampleRateHz;
  }

  /** The tone's frequency. */
  public double frequencyHz() {
    return frequencyHz;
  }

  /** Writes {@code len} further samples of the tone at {@code pcm[off]}. */
  public void generate(short[] pcm, int off, int len) {
    for (int i = 0; i < len; i++) {
      pcm[off + i] = (short) Math.round(amplitude * Math.sin(phase));
      phase += phaseStep;
      if (phase >= 2 * Math.PI) {
        phase -= 2 * Math.PI;
      }
    }
  }

  /** Always produces a frame. */
  @Override
  public boolean readFrame(short[] pcm, int off) {
    generate(pcm, off, frameSamples());
    return true;
  }
}
