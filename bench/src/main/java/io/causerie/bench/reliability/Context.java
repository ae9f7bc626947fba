package io.causerie.bench.reliability;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What every scenario gets: quick or full, where to put its server's files, and where to say what it does.
 *
 * @param quick the short variant (fewer calls, shorter durations; the same targets)
 * @param root temporary directory of the whole run; each scenario makes its own below it
 * @param progress human-readable progress (stderr)
 * @param keep keep the files afterwards
 */
public record Context(boolean quick, Path root, PrintStream progress, boolean keep) {
  /** A fresh directory for one scenario. */
  public Path dir(String name) throws IOException {
    return Files.createDirectories(root.resolve(name));
  }

  /** {@code quick} or {@code full}, whichever applies. */
  public int pick(int quickValue, int fullValue) {
    return quick ? quickValue : fullValue;
  }

  public void say(String format, Object... args) {
    progress.printf("[reliability] " + format + "%n", args);
    progress.flush();
  }
}
