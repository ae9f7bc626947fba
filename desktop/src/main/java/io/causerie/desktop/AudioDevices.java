package io.causerie.desktop;

import java.util.ArrayList;
import java.util.List;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.Line;
import javax.sound.sampled.Mixer;
import javax.sound.sampled.SourceDataLine;
import javax.sound.sampled.TargetDataLine;

/** The sound devices {@code javax.sound.sampled} offers, by mixer name, for the settings dialog. */
public final class AudioDevices {
  private AudioDevices() {}

  /** Mixers that can capture (microphones). */
  public static List<String> inputs() {
    return mixers(TargetDataLine.class, true);
  }

  /** Mixers that can play (speakers, headsets). */
  public static List<String> outputs() {
    return mixers(SourceDataLine.class, false);
  }

  private static List<String> mixers(Class<? extends Line> kind, boolean target) {
    List<String> names = new ArrayList<>();
    Line.Info wanted = new Line.Info(kind);
    try {
      for (Mixer.Info mi : AudioSystem.getMixerInfo()) {
        Mixer m = AudioSystem.getMixer(mi);
        Line.Info[] lines = target ? m.getTargetLineInfo(wanted) : m.getSourceLineInfo(wanted);
        if (lines.length > 0 && !names.contains(mi.getName())) {
          names.add(mi.getName());
        }
      }
    } catch (RuntimeException | LinkageError e) {
      // No sound system at all (a headless container): no devices.
    }
    return List.copyOf(names);
  }
}
