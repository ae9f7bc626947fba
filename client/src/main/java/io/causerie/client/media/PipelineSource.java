package io.causerie.client.media;

import io.causerie.media.audio.FrameSource;
import io.causerie.media.audio.PipelineFormat;
import io.causerie.media.audio.Resampler;
import java.io.Closeable;
import java.io.IOException;

/**
 * Adapts a {@link FrameSource} of any sample rate (a 22.05 kHz WAV file, an 8 kHz capture device)
 * to the pipeline's 48 kHz 960-sample frames. No allocation after construction. Not thread-safe.
 */
public final class PipelineSource implements FrameSource, Closeable {
  private final FrameSource inner;
  private final Resampler resampler;
  private final short[] inFrame;
  private final short[] fifo;
  private int fifoLength;
  private boolean exhausted;

  private PipelineSource(FrameSource inner) {
    this.inner = inner;
    this.resampler = new Resampler(inner.sampleRateHz(), PipelineFormat.SAMPLE_RATE_HZ);
    this.inFrame = new short[Math.max(1, inner.frameSamples())];
    this.fifo = new short[PipelineFormat.FRAME_SAMPLES + resampler.maxOutput(inFrame.length)];
  }

  /** {@code source} itself when it already runs at 48 kHz, else a resampling adapter. */
  public static FrameSource of(FrameSource source) {
    return source.sampleRateHz() == PipelineFormat.SAMPLE_RATE_HZ ? source : new PipelineSource(source);
  }

  @Override
  public int sampleRateHz() {
    return PipelineFormat.SAMPLE_RATE_HZ;
  }

  @Override
  public boolean readFrame(short[] pcm, int off) throws IOException {
    int n = PipelineFormat.FRAME_SAMPLES;
    while (fifoLength < n && !exhausted) {
      if (!inner.readFrame(inFrame, 0)) {
        exhausted = true;
        break;
      }
      fifoLength += resampler.process(inFrame, 0, inFrame.length, fifo, fifoLength);
    }
    if (fifoLength == 0) {
      return false;
    }
    int take = Math.min(n, fifoLength);
    System.arraycopy(fifo, 0, pcm, off, take);
    java.util.Arrays.fill(pcm, off + take, off + n, (short) 0);
    System.arraycopy(fifo, take, fifo, 0, fifoLength - take);
    fifoLength -= take;
    return true;
  }

  @Override
  public void close() throws IOException {
    if (inner instanceof Closeable c) {
      c.close();
    }
  }
}
