package io.causerie.app;

import io.causerie.media.device.SoundDevice;
import io.causerie.media.device.SoundDevices;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Lists the sound devices the client's {@code --input} and {@code --output} can use. */
@Command(
    name = "devices",
    mixinStandardHelpOptions = true,
    description = {
      "Lists the capture and playback devices (javax.sound mixers that open 16-bit mono lines at 48 or 8 kHz)",
      "whose names 'causerie client --input' and '--output' take; says 'no audio devices found' when there",
      "are none (a headless machine), which is not an error. On Linux with PulseAudio or PipeWire, Java sees the",
      "sound server as the one device \"default [default]\"; which of the server's devices it uses is the server's",
      "choice (its settings, or PULSE_SOURCE / PULSE_SINK in the client's environment)."
    })
final class DevicesCommand implements Callable<Integer> {
  /** Printed under the lists when ALSA's default device is among them. */
  static final String ALSA_DEFAULT_NOTE = "\"default [default]\" is the system's default device (with PulseAudio or"
      + " PipeWire: the sound server; choose its device in its settings, or with PULSE_SOURCE / PULSE_SINK)";

  @Spec CommandSpec spec;

  /** Where the lists come from; tests replace them. */
  Supplier<List<SoundDevice>> capture = SoundDevices::captureDevices;
  Supplier<List<SoundDevice>> playback = SoundDevices::playbackDevices;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    List<SoundDevice> in = capture.get();
    List<SoundDevice> play = playback.get();
    if (in.isEmpty() && play.isEmpty()) {
      out.println("no audio devices found");
      out.flush();
      return ExitCodes.OK;
    }
    section(out, "capture devices (--input NAME):", in);
    section(out, "playback devices (--output NAME):", play);
    if (Stream.concat(in.stream(), play.stream())
        .anyMatch(d -> d.name().startsWith(SoundDevices.DEFAULT + " ["))) {
      out.println(ALSA_DEFAULT_NOTE);
    }
    out.flush();
    return ExitCodes.OK;
  }

  private static void section(PrintWriter out, String title, List<SoundDevice> devices) {
    out.println(title);
    if (devices.isEmpty()) {
      out.println("  none");
    }
    for (SoundDevice d : devices) {
      String rates = d.sampleRatesHz().stream().map(r -> r / 1000 + " kHz").collect(Collectors.joining(", "));
      out.println("  \"" + d.name() + "\"  " + d.description() + " (" + rates + ")");
    }
  }
}
