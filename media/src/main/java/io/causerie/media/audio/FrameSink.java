package io.causerie.media.audio;

import java.io.IOException;

/** A consumer of mono 16-bit PCM in 20 ms frames (file, playback device, encoder). */
public interface FrameSink {
  /** Sample rate the sink expects. */
  int sampleRateHz();

  /** Samples per 20 ms frame. */
  default int frameSamples() {
    return PipelineFormat.frameSamples(sampleRateHz());
  }

  /** Consumes one frame of {@link #frameSamples()} samples at {@code pcm[off]}. */
  void writeFrame(short[] pcm, int off) throws IOException;
}
