package io.causerie.media.device;

import io.causerie.media.audio.FrameSink;
import io.causerie.media.audio.PipelineFormat;
import java.io.Closeable;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.SourceDataLine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A speaker as a {@link FrameSink}: 16-bit mono frames into a {@link SourceDataLine}.
 *
 * <p>Driven by the caller's 20 ms clock, {@link #writeFrame} never blocks. The line starts with
 * {@value #PRIME_FRAMES} frames of silence queued (to absorb scheduling jitter); a frame that finds
 * {@value #MAX_QUEUED_FRAMES} frames already queued is dropped, and one of silence is added first
 * when the device is about to run dry. The queue is bounded by {@link #MAX_QUEUED_FRAMES}, not by
 * the device buffer: a device that starts late (PulseAudio through ALSA takes about 2 s to start
 * consuming) would otherwise fill its whole buffer and play everything that late for the rest of
 * the call. Only while the device is stalled may it fill up, since a stalled PulseAudio line may
 * wait for that. Not thread-safe.
 */
public final class SoundPlayback implements FrameSink, Closeable {
  private static final Logger log = LoggerFactory.getLogger(SoundPlayback.class);

  /** Frames the device buffer is asked to hold (its capacity, not the delay). */
  public static final int BUFFER_FRAMES = 8;

  /** Frames of silence queued before the first real frame. */
  public static final int PRIME_FRAMES = 2;

  /** Frames allowed to wait in the device: the most delay playback adds (60 ms). */
  public static final int MAX_QUEUED_FRAMES = 3;

  /**
   * Calls of {@link #writeFrame} without the device's position moving after which it counts as stalled (not
   * started yet, or stopped after running dry). Its position moves in bursts, so one still call says nothing.
   */
  public static final int STALLED_AFTER_CALLS = 3;

  /** What {@link #writeFrame} does with a frame, from how full the device is. */
  enum Action {
    /** Queue it. */
    WRITE,
    /** Queue a frame of silence, then it (the device is about to run dry). */
    PAD_AND_WRITE,
    /** Drop it (enough is queued already, or the device has no room). */
    DROP
  }

  /**
   * The decision for one frame. {@code queuedBytes} is what waits in the device (its buffer minus
   * what is free, which a device that ran dry may report larger than the buffer). A {@code stalled}
   * device may fill its whole buffer: a PulseAudio-backed line may wait for that before it starts
   * (seen: one that never started with 60 ms queued); once it runs, frames are dropped until the queue is
   * back under the bound.
   */
  static Action decide(int queuedBytes, int freeBytes, int frameBytes, boolean stalled) {
    int queued = Math.max(0, queuedBytes);
    if (freeBytes < frameBytes || (!stalled && queued >= MAX_QUEUED_FRAMES * frameBytes)) {
      return Action.DROP;
    }
    if (queued < frameBytes && freeBytes >= 2 * frameBytes) {
      return Action.PAD_AND_WRITE;
    }
    return Action.WRITE;
  }

  private final String name;
  private final SourceDataLine line;
  private final int sampleRateHz;
  private final byte[] bytes;
  private final byte[] silence;
  private long writtenFrames;
  private long droppedFrames;
  private long paddedFrames;
  private long queuedBytesSum;
  private final int bufferBytes;
  private long lastPosition = -1;
  private int stillCalls;

  SoundPlayback(String name, SourceDataLine line, int sampleRateHz) throws LineUnavailableException {
    this.name = name;
    this.line = line;
    this.sampleRateHz = sampleRateHz;
    this.bytes = new byte[PipelineFormat.frameSamples(sampleRateHz) * 2];
    this.silence = new byte[bytes.length];
    line.open(SoundDevices.format(sampleRateHz), bytes.length * BUFFER_FRAMES);
    this.bufferBytes = line.getBufferSize();
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
    int queued = Math.max(0, bufferBytes - free);
    long position = line.getLongFramePosition();
    stillCalls = position == lastPosition ? stillCalls + 1 : 0;
    lastPosition = position;
    switch (decide(queued, free, bytes.length, stillCalls >= STALLED_AFTER_CALLS)) {
      case DROP -> {
        droppedFrames++;
        return;
      }
      case PAD_AND_WRITE -> {
        line.write(silence, 0, silence.length);
        paddedFrames++;
      }
      case WRITE -> { }
    }
    queuedBytesSum += queued;
    line.write(bytes, 0, bytes.length);
    writtenFrames++;
  }

  /** Frames queued on the device. */
  public long writtenFrames() {
    return writtenFrames;
  }

  /** Frames dropped because enough was queued already (or the device was full). */
  public long droppedFrames() {
    return droppedFrames;
  }

  /** Frames of silence added because the device was running dry. */
  public long paddedFrames() {
    return paddedFrames;
  }

  /**
   * Mean audio waiting in the device ahead of each frame queued, in milliseconds: the delay
   * playback adds on our side of the line (the sound server or driver adds its own after it).
   */
  public double meanQueuedMillis() {
    return writtenFrames == 0 ? 0 : queuedBytesSum / 2.0 / writtenFrames * 1000.0 / sampleRateHz;
  }

  @Override
  public void close() {
    line.stop();
    line.flush();
    line.close();
    log.info("playback device '{}': {} frames played, {} dropped, {} padded with silence; {} ms queued "
            + "on average (line buffer {} ms)", name, writtenFrames, droppedFrames, paddedFrames,
        Math.round(meanQueuedMillis()), bufferBytes / 2 * 1000 / sampleRateHz);
  }
}
