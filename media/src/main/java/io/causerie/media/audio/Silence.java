package io.causerie.media.audio;

import java.util.Arrays;

/** An endless {@link FrameSource} of digital silence, also usable as a discarding {@link FrameSink}. */
public final class Silence implements FrameSource, FrameSink {
  private final int sampleRateHz;

  /** Silence at {@code sampleRateHz}. */
  public Silence(int sampleRateHz) {
    if (sampleRateHz <= 0) {
      throw new IllegalArgumentException("sample rate must be positive: " + sampleRateHz);
    }
    this.sampleRateHz = sampleRateHz;
  }

  /** Zeroes {@code pcm[off, off+len)}. */
  public static void fill(short[] pcm, int off, int len) {
    Arrays.fill(pcm, off, off + len, (short) 0);
  }

  @Override
  public int sampleRateHz() {
    return sampleRateHz;
  }

  @Override
  public int frameSamples() {
    return PipelineFormat.frameSamples(sampleRateHz);
  }

  /** Always produces a silent frame. */
  @Override
  public boolean readFrame(short[] pcm, int off) {
    fill(pcm, off, frameSamples());
    return true;
  }

  /** Discards the frame. */
  @Override
  public void writeFrame(short[] pcm, int off) {}
}
