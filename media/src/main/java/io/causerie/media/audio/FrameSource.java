package io.causerie.media.audio;

import java.io.IOException;

/** A producer of mono 16-bit PCM in 20 ms frames (tone, file, capture device, decoder). */
public interface FrameSource {
  /** Sample rate of the frames. */
  int sampleRateHz();

  /** Samples per 20 ms frame. */
  default int frameSamples() {
    return PipelineFormat.frameSamples(sampleRateHz());
  }

  /**
   * Writes the next frame of {@link #frameSamples()} samples at {@code pcm[off]}; returns false,
   * writing nothing, once the source is exhausted (a last partial frame is zero-padded).
   */
  boolean readFrame(short[] pcm, int off) throws IOException;
}
