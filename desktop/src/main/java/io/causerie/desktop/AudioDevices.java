package io.causerie.desktop;

import io.causerie.media.device.SoundDevice;
import io.causerie.media.device.SoundDevices;
import java.util.List;

/**
 * The sound devices the settings dialog offers, by name: exactly those {@link SoundDevices} lists
 * (and so {@code causerie devices} prints and {@code --input}/{@code --output} open), never a mixer
 * that cannot open the 16-bit mono lines a call needs.
 */
public final class AudioDevices {
  private AudioDevices() {}

  /** Devices that can capture (microphones). */
  public static List<String> inputs() {
    return names(SoundDevices.captureDevices());
  }

  /** Devices that can play (speakers, headsets). */
  public static List<String> outputs() {
    return names(SoundDevices.playbackDevices());
  }

  private static List<String> names(List<SoundDevice> devices) {
    return devices.stream().map(SoundDevice::name).distinct().toList();
  }
}
