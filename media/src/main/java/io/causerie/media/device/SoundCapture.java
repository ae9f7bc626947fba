package io.causerie.media.device;

import io.causerie.media.audio.FrameSource;
import io.causerie.media.audio.PipelineFormat;
import io.causerie.media.audio.Silence;
import java.io.Closeable;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.TargetDataLine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
  private static final Logger log = LoggerFactory.getLogger(SoundCapture.class);

  /** Frames the device buffer holds. */
  public static final int BUFFER_FRAMES = 8;

  /** Frames allowed to wait in the device before the oldest are dropped. */
  public static final int MAX_BACKLOG_FRAMES = 3;

  private final String name;
  private final TargetDataLine line;
  private final int sampleRateHz;
  private final byte[] bytes;
  private final int bufferBytes;
  private long readFrames;
  private long startFrames;
  private long underruns;
  private long droppedFrames;
  private long waitingBytesSum;

  SoundCapture(String name, TargetDataLine line, int sampleRateHz) throws LineUnavailableException {
    this.name = name;
    this.line = line;
    this.sampleRateHz = sampleRateHz;
    this.bytes = new byte[PipelineFormat.frameSamples(sampleRateHz) * 2];
    line.open(SoundDevices.format(sampleRateHz), bytes.length * BUFFER_FRAMES);
    this.bufferBytes = line.getBufferSize();
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
      if (readFrames == 0) {
        startFrames++; // the device has not started delivering yet
      } else {
        underruns++;
      }
      Silence.fill(pcm, off, n);
      return true;
    }
    line.read(bytes, 0, frameBytes);
    readFrames++;
    waitingBytesSum += available - frameBytes;
    for (int i = 0; i < n; i++) {
      pcm[off + i] = (short) ((bytes[2 * i] & 0xFF) | (bytes[2 * i + 1] << 8));
    }
    return true;
  }

  /** Frames of audio read from the device. */
  public long readFrames() {
    return readFrames;
  }

  /** Frames returned as silence before the device delivered anything (it takes time to start). */
  public long startFrames() {
    return startFrames;
  }

  /** Frames returned as silence because the device was behind, once it had started. */
  public long underruns() {
    return underruns;
  }

  /** Frames thrown away because the device was ahead. */
  public long droppedFrames() {
    return droppedFrames;
  }

  /**
   * Mean audio left waiting in the device after each frame read, in milliseconds: the delay capture
   * adds on our side of the line, beyond the frame itself.
   */
  public double meanWaitingMillis() {
    return readFrames == 0 ? 0 : waitingBytesSum / 2.0 / readFrames * 1000.0 / sampleRateHz;
  }

  @Override
  public void close() {
    line.stop();
    line.close();
    log.info("capture device '{}': {} frames read, {} of silence before it started ({} ms), {} underruns, "
            + "{} dropped; {} ms left waiting on average (line buffer {} ms)", name, readFrames, startFrames,
        startFrames * PipelineFormat.FRAME_MILLIS, underruns, droppedFrames, Math.round(meanWaitingMillis()),
        bufferBytes / 2 * 1000 / sampleRateHz);
  }
}
