package io.causerie.client.media;

import io.causerie.media.audio.FrameSink;
import java.util.Arrays;

/** Keeps every 48 kHz frame played and when it was written (the "ear" timestamps). */
final class RecordingSink implements FrameSink {
  private short[] pcm = new short[48_000 * 10];
  private long[] writeNanos = new long[500];
  private int frames;

  @Override
  public int sampleRateHz() {
    return 48_000;
  }

  @Override
  public synchronized void writeFrame(short[] in, int off) {
    if ((frames + 1) * 960 > pcm.length) {
      pcm = Arrays.copyOf(pcm, pcm.length * 2);
    }
    if (frames >= writeNanos.length) {
      writeNanos = Arrays.copyOf(writeNanos, writeNanos.length * 2);
    }
    writeNanos[frames] = System.nanoTime();
    System.arraycopy(in, off, pcm, frames * 960, 960);
    frames++;
  }

  synchronized short[] samples() {
    return Arrays.copyOf(pcm, frames * 960);
  }

  synchronized long writeNanos(int frame) {
    return writeNanos[frame];
  }

  synchronized int frames() {
    return frames;
  }
}
