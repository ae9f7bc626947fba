package io.causerie.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.causerie.media.device.SoundDevice;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What {@code causerie devices} prints for the lists Java Sound gives. */
class DevicesCommandTest {
  private static List<String> print(List<SoundDevice> capture, List<SoundDevice> playback) {
    DevicesCommand command = new DevicesCommand();
    command.capture = () -> capture;
    command.playback = () -> playback;
    StringWriter out = new StringWriter();
    CommandLine cl = new CommandLine(command);
    cl.setOut(new PrintWriter(out, true));
    assertThat(cl.execute()).isZero();
    return out.toString().lines().toList();
  }

  @Test
  void aSoundServerSeenAsAlsasDefaultDeviceComesWithHowToPickItsDevices() {
    // What Java Sound listed through PulseAudio (scripts/sound-device-check.sh).
    List<SoundDevice> pulse = List.of(new SoundDevice("default [default]",
        "Direct Audio Device: default, default, default", List.of(48_000, 8_000)));
    assertThat(print(pulse, pulse)).containsExactly(
        "capture devices (--input NAME):",
        "  \"default [default]\"  Direct Audio Device: default, default, default (48 kHz, 8 kHz)",
        "playback devices (--output NAME):",
        "  \"default [default]\"  Direct Audio Device: default, default, default (48 kHz, 8 kHz)",
        DevicesCommand.ALSA_DEFAULT_NOTE);
  }

  @Test
  void cardsAloneNeedNoNote() {
    List<SoundDevice> card = List.of(new SoundDevice("PCH [plughw:0,0]", "Direct Audio Device", List.of(48_000)));
    assertThat(print(card, card)).doesNotContain(DevicesCommand.ALSA_DEFAULT_NOTE).hasSize(4);
  }
}
