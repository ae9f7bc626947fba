package io.causerie.media.device;

import static io.causerie.media.device.SoundPlayback.Action.DROP;
import static io.causerie.media.device.SoundPlayback.Action.PAD_AND_WRITE;
import static io.causerie.media.device.SoundPlayback.Action.WRITE;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How full the playback device is kept, without a sound card. */
class SoundPlaybackTest {
  private static final int FRAME = 1920; // 20 ms at 48 kHz, 16-bit mono
  private static final int BUFFER = FRAME * SoundPlayback.BUFFER_FRAMES;

  private static SoundPlayback.Action decide(int queuedFrames) {
    int queued = queuedFrames * FRAME;
    return SoundPlayback.decide(queued, BUFFER - queued, FRAME, false);
  }

  @Test
  void theQueueIsBoundedByTheDelayNotByTheDeviceBuffer() {
    assertThat(decide(1)).isEqualTo(WRITE);
    assertThat(decide(SoundPlayback.MAX_QUEUED_FRAMES - 1)).isEqualTo(WRITE);
    // A device that starts late (PulseAudio) must not fill its 160 ms buffer: that delay would stay.
    assertThat(decide(SoundPlayback.MAX_QUEUED_FRAMES)).isEqualTo(DROP);
    assertThat(decide(SoundPlayback.BUFFER_FRAMES - 1)).isEqualTo(DROP);
    assertThat(SoundPlayback.MAX_QUEUED_FRAMES).isLessThan(SoundPlayback.BUFFER_FRAMES);
  }

  @Test
  void aDeviceAboutToRunDryGetsSilenceFirst() {
    assertThat(decide(0)).isEqualTo(PAD_AND_WRITE);
    assertThat(SoundPlayback.decide(FRAME / 2, BUFFER - FRAME / 2, FRAME, false)).isEqualTo(PAD_AND_WRITE);
  }

  @Test
  void aDeviceThatRanDryAndReportsMoreRoomThanItsBufferIsTreatedAsEmpty() {
    // The ALSA line reports available() beyond its buffer size after an underrun.
    assertThat(SoundPlayback.decide(BUFFER - 2 * BUFFER, 2 * BUFFER, FRAME, false)).isEqualTo(PAD_AND_WRITE);
  }

  @Test
  void aStalledDeviceMayFillItsBufferAndARunningOneIsTrimmedBackUnderTheBound() {
    int queued = SoundPlayback.MAX_QUEUED_FRAMES * FRAME;
    assertThat(SoundPlayback.decide(queued, BUFFER - queued, FRAME, true)).isEqualTo(WRITE);
    int full = BUFFER - FRAME;
    assertThat(SoundPlayback.decide(full, FRAME, FRAME, true)).isEqualTo(WRITE);
    assertThat(SoundPlayback.decide(full, FRAME, FRAME, false)).isEqualTo(DROP);
  }

  @Test
  void aFullDeviceDropsTheFrame() {
    assertThat(SoundPlayback.decide(FRAME, FRAME / 2, FRAME, false)).isEqualTo(DROP);
    assertThat(SoundPlayback.decide(BUFFER, 0, FRAME, true)).isEqualTo(DROP);
  }
}
