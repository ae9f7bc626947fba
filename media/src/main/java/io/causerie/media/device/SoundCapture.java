package io.causerie.media.device;

import io.causerie.media.audio.FrameSource;
import io.causerie.media.audio.PipelineFormat;
import io.causerie.media.audio.Silence;
import java.io.Closeable;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.TargetDataLine;

/**
 * A microphone as a {@link FrameSource}: 16-bit mono frames from a {@link TargetDataLine}.
 *
 * <p>The caller's 20 ms clock drives it, not the device's: {@link #readFrame} never blocks. It
 * returns silence when the device has not delivered a whole frame yet (counted as an underrun), and
 * throws away the oldest audio when more than {@value #MAX_BACKLOG_FRAMES} frames wait (the device
 * clock runs faster than ours), so the two clocks' drift costs a rare click instead of growing
 * delay. Not thread-safe.
 */
public final class SoundCapture implements FrameSource, Closeable {
  /** Frames the device buffer holds. */
  public static final int BUFFER_FRAMES = 8;

  /** Frames allowed to wait in the device before the oldest are dropped. */
  public static final int MAX_BACKLOG_FRAMES = 3;

  private final String name;
  private final TargetDataLine line;
  private final int sampleRateHz;
  private final byte[] bytes;
  private long underruns;
  private long droppedFrames;

  SoundCapture(String name, TargetDataLine line, int sampleRateHz) throws LineUnavailableException {
    this.name = name;
    this.line = line;
    this.sampleRateHz = sampleRateHz;
    this.bytes = new byte[PipelineFormat.frameSamples(sampleRateHz) * 2];
    line.open(SoundDevices.format(sampleRateHz), bytes.length * BUFFER_FRAMES);
    line.start();
  }

  /** The device's name. */
  public String name() {
    return name;
  }

  @Override
  public int sampleRateHz() {
    return sampleRateHz;
  }

  @Override
  public boolean readFrame(short[] pcm, int off) {
    int frameBytes = bytes.length;
    int available = line.available();
    while (available >= frameBytes * (MAX_BACKLOG_FRAMES + 1)) {
      line.read(bytes, 0, frameBytes);
      available -= frameBytes;
      droppedFrames++;
    }
    int n = frameBytes / 2;
    if (available < frameBytes) {
      underruns++;
      Silence.fill(pcm, off, n);
      return true;
    }
    line.read(bytes, 0, frameBytes);
    for (int i = 0; i < n; i++) {
      pcm[off + i] = (short) ((bytes[2 * i] & 0xFF) | (bytes[2 * i + 1] << 8));
    }
    return true;
  }

  /** Frames returned as silence because the device was behind. */
  public long underruns() {
    return underruns;
  }

  /** Frames thrown away because the device was ahead. */
  public long droppedFrames() {
    return droppedFrames;
  }

  @Override
  public void close() {
    line.stop();
    line.close();
  }
}
