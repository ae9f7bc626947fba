package io.causerie.app;

import io.causerie.media.device.SoundDevice;
import io.causerie.media.device.SoundDevices;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Collectors;
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
      "are none (a headless machine), which is not an error."
    })
final class DevicesCommand implements Callable<Integer> {
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
