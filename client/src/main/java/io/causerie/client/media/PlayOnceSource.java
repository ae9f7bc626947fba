package io.causerie.client.media;

import io.causerie.media.audio.FrameSource;
import io.causerie.media.audio.Silence;
import java.io.Closeable;
import java.io.IOException;

/**
 * A finite source (a WAV file) played once, then silence for as long as the call lasts: the call
 * keeps sending (the relay latch and NAT bindings stay fresh) and a script decides when to hang up
 * ({@code --duration}). Not thread-safe.
 */
public final class PlayOnceSource implements FrameSource, Closeable {
  private final FrameSource inner;
  private volatile boolean finished;

  /** Plays {@code inner} (at any rate; frames come out at its rate) once. */
  public PlayOnceSource(FrameSource inner) {
    this.inner = inner;
  }

  @Override
  public int sampleRateHz() {
    return inner.sampleRateHz();
  }

  @Override
  public boolean readFrame(short[] pcm, int off) throws IOException {
    if (!finished && inner.readFrame(pcm, off)) {
      return true;
    }
    finished = true;
    Silence.fill(pcm, off, frameSamples());
    return true;
  }

  /** Whether the inner source has run out. */
  public boolean finished() {
    return finished;
  }

  @Override
  public void close() throws IOException {
    if (inner instanceof Closeable c) {
      c.close();
    }
  }
}
