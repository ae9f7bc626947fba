package io.causerie.client.media;

import io.causerie.media.audio.FrameSource;
import java.util.Arrays;

/** Plays a 48 kHz array once, remembering when each frame was read (the "mouth" timestamps). */
final class ArraySource implements FrameSource {
  private final short[] pcm;
  final long[] readNanos;
  private volatile int frames;

  ArraySource(short[] pcm) {
    this.pcm = pcm;
    this.readNanos = new long[(pcm.length + 959) / 960];
  }

  @Override
  public int sampleRateHz() {
    return 48_000;
  }

  @Override
  public boolean readFrame(short[] out, int off) {
    int f = frames;
    int from = f * 960;
    if (from >= pcm.length) {
      return false;
    }
    readNanos[f] = System.nanoTime();
    int n = Math.min(960, pcm.length - from);
    System.arraycopy(pcm, from, out, off, n);
    Arrays.fill(out, off + n, off + 960, (short) 0);
    frames = f + 1;
    return true;
  }

  boolean finished() {
    return frames * 960 >= pcm.length;
  }
}
