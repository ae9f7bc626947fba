package io.causerie.media.device;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.Line;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.Mixer;
import javax.sound.sampled.SourceDataLine;
import javax.sound.sampled.TargetDataLine;

/**
 * The machine's sound devices: {@code javax.sound.sampled} mixers that open 16-bit mono lines at
 * 48 kHz or 8 kHz, for capture (a {@link TargetDataLine}) or playback (a {@link SourceDataLine}).
 */
public final class SoundDevices {
  private SoundDevices() {}

  /** Rates tried, best first: the pipeline's own, then G.711's. */
  public static final List<Integer> RATES_HZ = List.of(48_000, 8_000);

  /**
   * The name that picks the system's default device: the one Java Sound lists as {@code "default
   * [default]"} on Linux (ALSA's default, which follows the sound server's choice), else the first.
   */
  public static final String DEFAULT = "default";

  /** 16-bit signed little-endian mono PCM at {@code rateHz}. */
  public static AudioFormat format(int rateHz) {
    return new AudioFormat(rateHz, 16, 1, true, false);
  }

  /** Devices that can capture. */
  public static List<SoundDevice> captureDevices() {
    return list(TargetDataLine.class);
  }

  /** Devices that can play. */
  public static List<SoundDevice> playbackDevices() {
    return list(SourceDataLine.class);
  }

  private static List<SoundDevice> list(Class<? extends Line> lineClass) {
    List<SoundDevice> out = new ArrayList<>();
    Mixer.Info[] infos;
    try {
      infos = AudioSystem.getMixerInfo();
    } catch (RuntimeException | LinkageError e) {
      return out; // no sound system at all (a headless container, or a JDK without its sound library)
    }
    for (Mixer.Info info : infos) {
      List<Integer> rates = new ArrayList<>();
      try {
        Mixer mixer = AudioSystem.getMixer(info);
        for (int rate : RATES_HZ) {
          if (mixer.isLineSupported(new DataLine.Info(lineClass, format(rate)))) {
            rates.add(rate);
          }
        }
      } catch (RuntimeException | LinkageError e) {
        continue; // a mixer that cannot even be asked is not usable
      }
      if (!rates.isEmpty()) {
        out.add(new SoundDevice(info.getName(), info.getDescription(), rates));
      }
    }
    return out;
  }

  /**
   * The one name in {@code names} that {@code wanted} designates: {@value #DEFAULT} is the ALSA
   * default device when there is one, else the first;
   * otherwise an exact match, else the only case-insensitive match, else the only name containing
   * {@code wanted} ignoring case.
   *
   * @throws NoSuchSoundDeviceException when there are no devices, none matches, or several do
   */
  public static String match(List<String> names, String wanted, String kind)
      throws NoSuchSoundDeviceException {
    if (names.isEmpty()) {
      throw new NoSuchSoundDeviceException("no audio " + kind + " devices found (asked for '"
          + wanted + "'; see 'causerie devices')");
    }
    if (wanted.equals(DEFAULT)) {
      return names.stream().filter(n -> n.equals(DEFAULT) || n.startsWith(DEFAULT + " ["))
          .findFirst().orElse(names.get(0));
    }
    if (names.contains(wanted)) {
      return wanted;
    }
    String w = wanted.toLowerCase(Locale.ROOT);
    List<String> same = names.stream().filter(n -> n.toLowerCase(Locale.ROOT).equals(w)).toList();
    if (same.size() == 1) {
      return same.get(0);
    }
    List<String> containing = names.stream().filter(n -> n.toLowerCase(Locale.ROOT).contains(w))
        .toList();
    if (containing.size() == 1) {
      return containing.get(0);
    }
    if (containing.isEmpty()) {
      throw new NoSuchSoundDeviceException("no audio " + kind + " device '" + wanted
          + "' (there are: " + String.join(", ", names) + ")");
    }
    throw new NoSuchSoundDeviceException("audio " + kind + " device '" + wanted
        + "' is ambiguous: " + String.join(", ", containing));
  }

  /** Opens a capture device by name (see {@link #match}). */
  public static SoundCapture openCapture(String wanted) throws IOException {
    SoundDevice d = find(captureDevices(), wanted, "capture");
    int rate = d.sampleRatesHz().get(0);
    try {
      TargetDataLine line = (TargetDataLine) mixer(d).getLine(
          new DataLine.Info(TargetDataLine.class, format(rate)));
      return new SoundCapture(d.name(), line, rate);
    } catch (LineUnavailableException | RuntimeException e) {
      throw new IOException("cannot open capture device '" + d.name() + "': " + e.getMessage(), e);
    }
  }

  /** Opens a playback device by name (see {@link #match}). */
  public static SoundPlayback openPlayback(String wanted) throws IOException {
    SoundDevice d = find(playbackDevices(), wanted, "playback");
    int rate = d.sampleRatesHz().get(0);
    try {
      SourceDataLine line = (SourceDataLine) mixer(d).getLine(
          new DataLine.Info(SourceDataLine.class, format(rate)));
      return new SoundPlayback(d.name(), line, rate);
    } catch (LineUnavailableException | RuntimeException e) {
      throw new IOException("cannot open playback device '" + d.name() + "': " + e.getMessage(), e);
    }
  }

  /** Checks that a device exists without opening it. */
  public static SoundDevice find(List<SoundDevice> devices, String wanted, String kind)
      throws NoSuchSoundDeviceException {
    String name = match(devices.stream().map(SoundDevice::name).toList(), wanted, kind);
    return devices.stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
  }

  private static Mixer mixer(SoundDevice d) throws LineUnavailableException {
    for (Mixer.Info info : AudioSystem.getMixerInfo()) {
      if (info.getName().equals(d.name())) {
        return AudioSystem.getMixer(info);
      }
    }
    throw new LineUnavailableException("device '" + d.name() + "' went away");
  }
}
