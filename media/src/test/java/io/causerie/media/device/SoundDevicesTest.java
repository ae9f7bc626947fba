package io.causerie.media.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Choosing a device by name, without a sound card. */
class SoundDevicesTest {
  private static final List<String> NAMES =
      List.of("PCH [plughw:0,0]", "USB Headset [plughw:1,0]", "usb headset [plughw:2,0]");

  @Test
  void exactThenCaseInsensitiveThenUniqueSubstring() throws Exception {
    assertThat(SoundDevices.match(NAMES, "PCH [plughw:0,0]", "capture")).isEqualTo("PCH [plughw:0,0]");
    assertThat(SoundDevices.match(NAMES, "pch [PLUGHW:0,0]", "capture")).isEqualTo("PCH [plughw:0,0]");
    assertThat(SoundDevices.match(NAMES, "pch", "capture")).isEqualTo("PCH [plughw:0,0]");
    assertThat(SoundDevices.match(NAMES, "plughw:2", "capture")).isEqualTo("usb headset [plughw:2,0]");
    assertThat(SoundDevices.match(NAMES, SoundDevices.DEFAULT, "capture")).isEqualTo(NAMES.get(0));
  }

  @Test
  void defaultIsAlsasDefaultDeviceWhereverItIsListed() throws Exception {
    // What Java Sound lists on Linux with a sound server: ALSA's default, then the cards.
    List<String> linux = List.of("PCH [plughw:0,0]", "default [default]", "USB Headset [plughw:1,0]");
    assertThat(SoundDevices.match(linux, SoundDevices.DEFAULT, "capture")).isEqualTo("default [default]");
    assertThat(SoundDevices.match(linux, "default [default]", "capture")).isEqualTo("default [default]");
  }

  @Test
  void noneAmbiguousOrNoDevicesAtAllAreClearErrors() {
    assertThatThrownBy(() -> SoundDevices.match(NAMES, "hdmi", "playback"))
        .isInstanceOf(NoSuchSoundDeviceException.class)
        .hasMessageContaining("no audio playback device 'hdmi'").hasMessageContaining("PCH");
    assertThatThrownBy(() -> SoundDevices.match(NAMES, "usb headset", "capture"))
        .isInstanceOf(NoSuchSoundDeviceException.class).hasMessageContaining("ambiguous");
    assertThatThrownBy(() -> SoundDevices.match(List.of(), "default", "capture"))
        .isInstanceOf(NoSuchSoundDeviceException.class)
        .hasMessage("no audio capture devices found (asked for 'default'; see 'causerie devices')");
  }

  @Test
  void listingNeverFailsEvenWithoutASoundSystem() {
    assertThat(SoundDevices.captureDevices()).allSatisfy(d -> assertThat(d.sampleRatesHz()).isNotEmpty());
    assertThat(SoundDevices.playbackDevices()).allSatisfy(d -> assertThat(d.sampleRatesHz()).isNotEmpty());
  }
}
