package io.causerie.client.media;

import io.causerie.media.audio.FrameSink;
import io.causerie.media.audio.PipelineFormat;
import io.causerie.media.audio.Resampler;
import java.io.Closeable;
import java.io.IOException;

/**
 * Adapts a {@link FrameSink} of any sample rate (an 8 kHz playback device) to the pipeline's
 * 48 kHz 960-sample frames. No allocation after construction. Not thread-safe.
 */
public final class PipelineSink implements FrameSink, Closeable {
  private final FrameSink inner;
  private final Resampler resampler;
  private final short[] fifo;
  private final int innerFrame;
  private int fifoLength;

  private PipelineSink(FrameSink inner) {
    this.inner = inner;
    this.resampler = new Resampler(PipelineFormat.SAMPLE_RATE_HZ, inner.sampleRateHz());
    this.innerFrame = Math.max(1, inner.frameSamples());
    this.fifo = new short[innerFrame + resampler.maxOutput(PipelineFormat.FRAME_SAMPLES)];
  }

  /** {@code sink} itself when it already runs at 48 kHz, else a resampling adapter. */
  public static FrameSink of(FrameSink sink) {
    return sink.sampleRateHz() == PipelineFormat.SAMPLE_RATE_HZ ? sink : new PipelineSink(sink);
  }

  @Override
  public int sampleRateHz() {
    return PipelineFormat.SAMPLE_RATE_HZ;
  }

  @Override
  public void writeFrame(short[] pcm, int off) throws IOException {
    fifoLength += resampler.process(pcm, off, PipelineFormat.FRAME_SAMPLES, fifo, fifoLength);
    int done = 0;
    while (fifoLength - done >= innerFrame) {
      inner.writeFrame(fifo, done);
      done += innerFrame;
    }
    System.arraycopy(fifo, done, fifo, 0, fifoLength - done);
    fifoLength -= done;
  }

  @Override
  public void close() throws IOException {
    if (inner instanceof Closeable c) {
      c.close();
    }
  }
}
