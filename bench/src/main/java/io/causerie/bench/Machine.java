package io.causerie.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Where a bench ran: CPUs, model, Java, date, load, and the CPUs this generator may use, so figures are never
 * quoted without their machine.
 *
 * @param cpusOnline processors in /proc/cpuinfo
 * @param generatorCpus processors this JVM may run on (taskset narrows it)
 * @param generatorAffinity the generator's allowed CPU list (Cpus_allowed_list)
 * @param loadAverage /proc/loadavg at the start: other users of the machine show up here
 */
public record Machine(int cpusOnline, int generatorCpus, String generatorAffinity, String cpuModel, String java,
    String os, String date, String loadAverage) {

  public static Machine describe() {
    int online = 0;
    String model = "unknown";
    for (String line : lines("/proc/cpuinfo")) {
      if (line.startsWith("processor")) {
        online++;
      } else if (line.startsWith("model name") && model.equals("unknown")) {
        model = line.substring(line.indexOf(':') + 1).trim();
      }
    }
    String affinity = "unknown";
    for (String line : lines("/proc/self/status")) {
      if (line.startsWith("Cpus_allowed_list:")) {
        affinity = line.substring(line.indexOf(':') + 1).trim();
      }
    }
    List<String> load = lines("/proc/loadavg");
    return new Machine(online == 0 ? Runtime.getRuntime().availableProcessors() : online,
        Runtime.getRuntime().availableProcessors(), affinity, model,
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
        System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
        ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
        load.isEmpty() ? "unknown" : load.get(0).trim());
  }

  private static List<String> lines(String file) {
    try {
      return Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }

  public Json toJson() {
    return Json.object().put("cpusOnline", cpusOnline).put("generatorCpus", generatorCpus)
        .put("generatorAffinity", generatorAffinity).put("cpuModel", cpuModel).put("java", java).put("os", os)
        .put("date", date).put("loadAverage", loadAverage);
  }

  /** One line for text reports. */
  public String summary() {
    return cpusOnline + " CPUs (" + cpuModel + "), generator on CPUs " + generatorAffinity + ", " + java + ", " + date
        + ", load average at start " + loadAverage;
  }
}
