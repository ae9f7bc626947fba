package io.causerie.media.device;

import io.causerie.media.audio.FrameSink;
import io.causerie.media.audio.PipelineFormat;
import java.io.Closeable;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.SourceDataLine;

/**
 * A speaker as a {@link FrameSink}: 16-bit mono frames into a {@link SourceDataLine}.
 *
 * <p>Driven by the caller's 20 ms clock, {@link #writeFrame} never blocks: the line starts with
 * {@value #PRIME_FRAMES} frames of silence queued (to absorb scheduling jitter), a frame that finds
 * the device full is dropped (our clock runs faster), and one of silence is added when the device
 * is about to run dry (our clock runs slower). Not thread-safe.
 */
public final class SoundPlayback implements FrameSink, Closeable {
  /** Frames the device buffer holds. */
  public static final int BUFFER_FRAMES = 8;

  /** Frames of silence queued before the first real frame. */
  public static final int PRIME_FRAMES = 2;

  private final String name;
  private final SourceDataLine line;
  private final int sampleRateHz;
  private final byte[] bytes;
  private final byte[] silence;
  private long droppedFrames;
  private long paddedFrames;

  SoundPlayback(String name, SourceDataLine line, int sampleRateHz) throws LineUnavailableException {
    this.name = name;
    this.line = line;
    this.sampleRateHz = sampleRateHz;
    this.bytes = new byte[PipelineFormat.frameSamples(sampleRateHz) * 2];
    this.silence = new byte[bytes.length];
    line.open(SoundDevices.format(sampleRateHz), bytes.length * BUFFER_FRAMES);
    for (int i = 0; i < PRIME_FRAMES; i++) {
      line.write(silence, 0, silence.length);
    }
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
  public void writeFrame(short[] pcm, int off) {
    int n = bytes.length / 2;
    for (int i = 0; i < n; i++) {
      short s = pcm[off + i];
      bytes[2 * i] = (byte) s;
      bytes[2 * i + 1] = (byte) (s >> 8);
    }
    int free = line.available();
    int queued = line.getBufferSize() - free;
    if (queued < bytes.length && free >= 2 * bytes.length) {
      line.write(silence, 0, silence.length);
      paddedFrames++;
      free -= silence.length;
    }
    if (free < bytes.length) {
      droppedFrames++;
      return;
    }
    line.write(bytes, 0, bytes.length);
  }

  /** Frames dropped because the device was full. */
  public long droppedFrames() {
    return droppedFrames;
  }

  /** Frames of silence added because the device was running dry. */
  public long paddedFrames() {
    return paddedFrames;
  }

  @Override
  public void close() {
    line.stop();
    line.flush();
    line.close();
  }
}
