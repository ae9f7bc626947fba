package io.causerie.bench.reliability;

import io.causerie.bench.Json;
import io.causerie.bench.Machine;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The reliability suite of issue #7 (docs/RELIABILITY.md): one {@link Scenario} per row, each against its own real
 * server process on 127.0.0.1 with a fresh database, run one after the other.
 */
public final class ReliabilitySuite {
  private ReliabilitySuite() {}

  /** Every row, in table order. */
  public static List<Scenario> all() {
    return List.of(new LossySignalling(), new LastMessageLoss(), new Duplicates(), new ServerRestart(), new ClientVanishes(), new NetworkChange(), new MalformedInput(), new Flood(), new Soak(), new DatabaseFaults());
  }

  public static List<String> names() {
    return all().stream().map(Scenario::name).toList();
  }

  /** The suite's result. */
  public record Report(boolean quick, Instant started, double seconds, List<Row> rows, Machine machine) {
    public boolean pass() {
      return rows.stream().allMatch(Row::pass);
    }

    public Json toJson() {
      return Json.object().put("bench", "reliability").put("mode", quick ? "quick" : "full")
          .put("started", started.toString()).put("seconds", seconds).put("pass", pass())
          .put("machine", machine.toJson()).putObjects("rows", rows.stream().map(Row::toJson).toList());
    }

    public String toText() {
      StringBuilder sb = new StringBuilder();
      sb.append(String.format(Locale.ROOT, "reliability (%s), %s, %.0f s, %s%n", quick ? "quick" : "full", started,
          seconds, machine.summary()));
      int w = rows.stream().mapToInt(r -> r.name().length()).max().orElse(4);
      for (Row r : rows) {
        sb.append(String.format(Locale.ROOT, "%-4s %-" + w + "s %6.0f s  %s%n", r.pass() ? "PASS" : "FAIL", r.name(),
            r.seconds(), r.measured()));
        sb.append(String.format(Locale.ROOT, "     %-" + w + "s           target: %s%n", "", r.target()));
      }
      sb.append(pass() ? "all rows pass" : "FAILED: " + rows.stream().filter(r -> !r.pass()).map(Row::name).toList());
      return sb.toString();
    }
  }

  /**
   * Runs the named rows (all when {@code only} is empty).
   *
   * @throws IllegalArgumentException for an unknown name
   */
  public static Report run(boolean quick, List<String> only, PrintStream progress, boolean keep) throws IOException {
    Set<String> wanted = new LinkedHashSet<>(only);
    for (String n : wanted) {
      if (!names().contains(n)) {
        throw new IllegalArgumentException("unknown row '" + n + "'; rows: " + String.join(", ", names()));
      }
    }
    Path root = Files.createTempDirectory("causerie-reliability-");
    Context ctx = new Context(quick, root, progress, keep);
    Instant started = Instant.now();
    long t0 = System.nanoTime();
    List<Row> rows = new ArrayList<>();
    try {
      for (Scenario s : all()) {
        if (!wanted.isEmpty() && !wanted.contains(s.name())) {
          continue;
        }
        ctx.say("%s: start", s.name());
        long r0 = System.nanoTime();
        Row row;
        try {
          row = s.run(ctx);
        } catch (Exception | AssertionError e) {
          e.printStackTrace(progress);
          row = Row.error(s.name(), s.target(), e, (System.nanoTime() - r0) / 1e9);
        }
        ctx.say("%s: %s (%.0f s) %s", s.name(), row.pass() ? "PASS" : "FAIL", row.seconds(), row.measured());
        rows.add(row);
      }
    } finally {
      if (keep) {
        progress.println("[reliability] files kept in " + root);
      } else {
        deleteTree(root);
      }
    }
    return new Report(quick, started, (System.nanoTime() - t0) / 1e9, rows, Machine.describe());
  }

  /** {@code [--quick] [--only A,B] [--json] [--keep]}: the same as {@code causerie bench reliability}. */
  public static void main(String[] args) throws IOException {
    boolean quick = false;
    boolean json = false;
    boolean keep = false;
    List<String> only = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--json" -> json = true;
        case "--keep" -> keep = true;
        case "--only" -> only.addAll(List.of(args[++i].split(",")));
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    Report r = run(quick, only, System.err, keep);
    System.out.println(json ? r.toJson() : r.toText());
    System.exit(r.pass() ? 0 : 1);
  }

  static void deleteTree(Path root) {
    try (Stream<Path> s = Files.walk(root)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // best effort
        }
      });
    } catch (IOException e) {
      // best effort
    }
  }
}
