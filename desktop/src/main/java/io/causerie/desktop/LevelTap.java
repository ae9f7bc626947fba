package io.causerie.desktop;

import io.causerie.client.media.AudioInput;
import io.causerie.client.media.AudioOutput;
import io.causerie.media.audio.FrameSink;
import io.causerie.media.audio.FrameSource;
import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The level of the last audio frame that went through, published from the audio thread for the Swing event thread
 * to read without waiting: each frame's RMS ({@link LevelMeter#rmsDbfs}) is stored in hundredths of a dB.
 */
class LevelTap {
  private static final int FLOOR = (int) Math.round(LevelMeter.FLOOR_DBFS * 100);

  private final AtomicInteger centiDb = new AtomicInteger(FLOOR);

  /** The level of the last frame, in dBFS ({@link LevelMeter#FLOOR_DBFS} before any frame). */
  double dbfs() {
    return centiDb.get() / 100.0;
  }

  void set(double dbfs) {
    centiDb.set((int) Math.round(LevelMeter.clamp(dbfs) * 100));
  }

  /** Back to silence (the call ended, the test stopped). */
  void reset() {
    centiDb.set(FLOOR);
  }

  /** Measures every frame of {@code pcm}. */
  void measure(short[] pcm, int off, int len) {
    set(LevelMeter.rmsDbfs(pcm, off, len));
  }

  /** {@code input}, with each frame it produces measured here. */
  AudioInput wrap(AudioInput input) {
    return () -> new TappedSource(input.open(), this);
  }

  /** {@code output}, with each frame written to it measured here. */
  AudioOutput wrap(AudioOutput output) {
    return () -> new TappedSink(output.open(), this);
  }

  /** A source that measures what it passes on; closes the wrapped one. */
  static final class TappedSource implements FrameSource, Closeable {
    private final FrameSource inner;
    private final LevelTap tap;

    TappedSource(FrameSource inner, LevelTap tap) {
      this.inner = inner;
      this.tap = tap;
    }

    @Override
    public int sampleRateHz() {
      return inner.sampleRateHz();
    }

    @Override
    public int frameSamples() {
      return inner.frameSamples();
    }

    @Override
    public boolean readFrame(short[] pcm, int off) throws IOException {
      boolean more = inner.readFrame(pcm, off);
      if (more) {
        tap.measure(pcm, off, inner.frameSamples());
      } else {
        tap.reset();
      }
      return more;
    }

    @Override
    public void close() throws IOException {
      tap.reset();
      if (inner instanceof Closeable c) {
        c.close();
      }
    }
  }

  /** A sink that measures what it is given; closes the wrapped one. */
  static final class TappedSink implements FrameSink, Closeable {
    private final FrameSink inner;
    private final LevelTap tap;

    TappedSink(FrameSink inner, LevelTap tap) {
      this.inner = inner;
      this.tap = tap;
    }

    @Override
    public int sampleRateHz() {
      return inner.sampleRateHz();
    }

    @Override
    public int frameSamples() {
      return inner.frameSamples();
    }

    @Override
    public void writeFrame(short[] pcm, int off) throws IOException {
      tap.measure(pcm, off, inner.frameSamples());
      inner.writeFrame(pcm, off);
    }

    @Override
    public void close() throws IOException {
      tap.reset();
      if (inner instanceof Closeable c) {
        c.close();
      }
    }
  }
}
