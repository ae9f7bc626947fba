package io.causerie.media.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.causerie.media.audio.PipelineFormat;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The adapters on a real sound device, driven by a 20 ms clock as a call drives them. Runs only where Java Sound
 * has a default capture and playback device (a desktop, or CI with a PulseAudio server started: see
 * {@code scripts/sound-device-check.sh}); skipped on a headless machine. Plays silence, so running it on a desktop
 * is quiet.
 */
class SoundDeviceLineTest {
  /** Long enough for a PulseAudio-backed line to start (it takes up to about 2 s) and then run. */
  private static final int FRAMES = 200;

  @Test
  void framesFlowBothWaysAndPlaybackKeepsItsQueueShort() throws Exception {
    assumeTrue(!SoundDevices.captureDevices().isEmpty() && !SoundDevices.playbackDevices().isEmpty(),
        "no sound devices");
    short[] frame = new short[PipelineFormat.FRAME_SAMPLES];
    try (SoundCapture mic = SoundDevices.openCapture(SoundDevices.DEFAULT);
        SoundPlayback speaker = SoundDevices.openPlayback(SoundDevices.DEFAULT)) {
      long start = System.nanoTime();
      for (int i = 0; i < FRAMES; i++) {
        assertThat(mic.readFrame(frame, 0)).isTrue();
        java.util.Arrays.fill(frame, (short) 0);
        speaker.writeFrame(frame, 0);
        LockSupport.parkNanos(start + (i + 1) * PipelineFormat.FRAME_MILLIS * 1_000_000L - System.nanoTime());
      }
      assertThat(mic.readFrames()).as("frames captured").isPositive();
      assertThat(mic.readFrames() + mic.startFrames() + mic.underruns()).isEqualTo(FRAMES);
      assertThat(speaker.writtenFrames()).as("frames played").isPositive();
      assertThat(speaker.writtenFrames() + speaker.droppedFrames()).isEqualTo(FRAMES);
      assertThat(speaker.meanQueuedMillis())
          .isLessThanOrEqualTo(SoundPlayback.MAX_QUEUED_FRAMES * PipelineFormat.FRAME_MILLIS);
    }
  }
}
