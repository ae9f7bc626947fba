package io.causerie.media.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.causerie.media.testing.Signals;
import org.junit.jupiter.api.Test;

class ToneGeneratorTest {
  @Test
  void producesAContinuousToneFrameAfterFrame() {
    ToneGenerator g = new ToneGenerator(1000, 0.5, 48000);
    assertThat(g.frameSamples()).isEqualTo(960);
    short[] pcm = new short[960 * 50];
    for (int f = 0; f < 50; f++) {
      assertThat(g.readFrame(pcm, f * 960)).isTrue();
    }
    assertThat(Signals.zeroCrossingFrequencyHz(pcm, 0, pcm.length, 48000))
        .isCloseTo(1000, within(0.5));
    assertThat(Signals.rms(pcm, 0, pcm.length)).isCloseTo(0.5 * 32767 / Math.sqrt(2), within(5.0));
    short[] reference = Signals.sine(1000, 0.5 * 32767, 48000, pcm.length);
    assertThat(Signals.snrDb(reference, 0, pcm, 0, pcm.length)).isGreaterThan(60);
  }

  @Test
  void validatesArguments() {
    assertThatThrownBy(() -> new ToneGenerator(5000, 0.5, 8000))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ToneGenerator(100, 1.5, 8000))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ToneGenerator(100, 0.5, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void silenceIsSilent() {
    Silence s = new Silence(8000);
    short[] pcm = {1, 2, 3};
    short[] frame = new short[160];
    java.util.Arrays.fill(frame, (short) 7);
    assertThat(s.readFrame(frame, 0)).isTrue();
    assertThat(frame).containsOnly((short) 0);
    s.writeFrame(pcm, 0);
    assertThat(s.frameSamples()).isEqualTo(160);
  }
}
