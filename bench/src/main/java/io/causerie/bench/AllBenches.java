package io.causerie.bench;

import io.causerie.bench.jmh.CodecBench;
import io.causerie.server.MediaMode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Every benchmark of docs/BENCHMARKS.md's "Every target at a glance", in one run, with the parameters that table
 * quotes: the relay swept to 2,000 calls in both media modes (busy-polling generator), signalling at 2,000 set-ups
 * and 1,000 sign-ins per second, the codec micro-benchmarks and mouth-to-ear latency. Each bench's JSON and text
 * report go to the output directory, and {@code summary.md} puts the headline figures next to their targets.
 * About 25 minutes; {@code quick} runs each one briefly (a smoke test: figures not worth quoting).
 */
public final class AllBenches {
  /** The relay's largest step, as the target (calls per core). */
  static final int RELAY_CALLS = 2_000;
  static final int SET_UPS_PER_SECOND = 2_000;
  static final int SIGN_INS_PER_SECOND = 1_000;

  /**
   * @param outDir where the reports go (created if missing)
   * @param quick seconds instead of minutes, at a fraction of the load
   * @param serverCpus taskset CPU list for the spawned servers, null for none
   */
  public record Options(Path outDir, boolean quick, String serverCpus, ServerProcess.Launch launch) {}

  /**
   * One bench's outcome: its name, the files written (null when it did not run to the end) and the error it
   * reported or threw (null: none).
   */
  public record Entry(String name, Path json, Path text, String error) {}

  /** What ran, and the summary written to {@code summary.md}. */
  public record Result(List<Entry> entries, String summary) {
    /** True if no bench reported an error. */
    public boolean ok() {
      return entries.stream().allMatch(e -> e.error() == null);
    }
  }

  private AllBenches() {}

  /** One bench of the run: runs, writes its reports (named {@code name}), and returns its rows of the summary. */
  private interface Bench {
    List<String> run(String name, List<Entry> entries) throws IOException, InterruptedException;
  }

  private record Named(String name, Bench bench) {}

  /**
   * Runs every bench in turn. One that fails (throws, or reports an error) is recorded as such and the others
   * still run; {@code summary.md} is written in every case.
   */
  public static Result run(Options o, PrintStream progress) throws IOException, InterruptedException {
    Files.createDirectories(o.outDir());
    List<Entry> entries = new ArrayList<>();
    List<String> rows = new ArrayList<>();
    List<Named> benches = new ArrayList<>();
    int calls = o.quick() ? 10 : RELAY_CALLS;
    for (MediaMode mode : List.of(MediaMode.SINGLE_PORT, MediaMode.PORTS)) {
      benches.add(new Named("relay-" + mode.label(), (name, e) -> {
        progress.printf("== bench relay --media-mode %s --sweep --calls %d --generator-busy-poll%n", mode.label(),
            calls);
        RelayBench.Report r = RelayBench.run(new RelayBench.Options(calls, o.quick() ? 2 : 20,
            RelayBench.DEFAULT_PAYLOAD_BYTES, !o.quick(), o.quick() ? 0.5 : 6, o.serverCpus(), List.of(), null,
            "INFO", o.launch(), 4, false, o.quick() ? 0 : 1, false, mode, RelayBench.PortsGenerator.SHARED, true),
            progress);
        e.add(write(o.outDir(), name, r.toJson().toString(), r.toText(), r.error()));
        return List.of(relayRow(mode, r));
      }));
    }
    benches.add(new Named("signalling", (name, e) -> {
      int rate = o.quick() ? 50 : SET_UPS_PER_SECOND;
      int signIns = o.quick() ? 25 : SIGN_INS_PER_SECOND;
      progress.printf("== bench signalling --rate %d --sign-in-rate %d%n", rate, signIns);
      SignallingBench.Report s = SignallingBench.run(new SignallingBench.Options(rate, o.quick() ? 2 : 10, signIns,
          SignallingBench.Options.defaultPairs(rate), SignallingBench.Options.defaultSignInUsers(signIns),
          o.serverCpus(), List.of(), null, "INFO", o.launch(), 4, false, false, o.quick() ? 0 : 1,
          o.quick() ? 0 : 2, false, o.quick() ? 0 : SignallingBench.DEFAULT_HANDSHAKES), progress);
      e.add(write(o.outDir(), name, s.toJson().toString(), s.toText(), s.error()));
      return List.of(signallingRow("call set-ups", SET_UPS_PER_SECOND, s.calls(), 10),
          signallingRow("sign-ins", SIGN_INS_PER_SECOND, s.signIns(), Double.NaN));
    }));
    benches.add(new Named("codec", (name, e) -> {
      progress.println("== bench codec");
      CodecBench.Report c = CodecBench.run(new CodecBench.Options(o.quick(), o.quick() ? "G711" : null), progress);
      e.add(write(o.outDir(), name, c.toJson().toString(), c.toText(), c.error()));
      return List.of(codecRow(c));
    }));
    benches.add(new Named("latency", (name, e) -> {
      progress.println("== bench latency");
      LatencyBench.Report l = LatencyBench.run(new LatencyBench.Options(o.quick() ? 2 : 15, 0, 200, 1, o.launch(),
          "WARN"), progress);
      e.add(write(o.outDir(), name, l.toJson().toString(), l.toText(), l.error()));
      return List.of(String.format(Locale.ROOT, "| Mouth-to-ear in software, clean path | median %.1f ms, p95 "
          + "%.1f ms (%d bursts) | reported |", l.quantile(0.5), l.quantile(0.95), l.latenciesMillis().size()));
    }));
    for (Named b : benches) {
      try {
        rows.addAll(b.bench().run(b.name(), entries));
      } catch (IOException | RuntimeException e) {
        entries.add(new Entry(b.name(), null, null, e.toString()));
        rows.add("| " + b.name() + " | did not run: " + e + " | — |");
      }
    }
    String summary = summary(o, rows, entries);
    Files.writeString(o.outDir().resolve("summary.md"), summary, StandardCharsets.UTF_8);
    return new Result(List.copyOf(entries), summary);
  }

  private static Entry write(Path dir, String name, String json, String text, String error) throws IOException {
    Path j = dir.resolve(name + ".json");
    Path t = dir.resolve(name + ".txt");
    Files.writeString(j, json + "\n", StandardCharsets.UTF_8);
    Files.writeString(t, text, StandardCharsets.UTF_8);
    return new Entry(name, j, t, error);
  }

  /** The relay's row: its largest step, loss and p99 there, and the largest steps under each bar. */
  static String relayRow(MediaMode mode, RelayBench.Report r) {
    if (r.steps().isEmpty()) {
      return "| Relay, " + mode.label() + " | no step ran: " + r.error() + " | — |";
    }
    RelayBench.Step top = r.steps().get(r.steps().size() - 1);
    int noLoss = 0;
    for (RelayBench.Step s : r.steps()) {
      if (s.media().lossPercent() < RelayBench.MAX_LOSS_PERCENT && s.callsUp() == s.calls()) {
        noLoss = Math.max(noLoss, s.calls());
      }
    }
    boolean lossMet = noLoss >= RELAY_CALLS;
    boolean latencyMet = r.largestPassing() >= RELAY_CALLS;
    return String.format(Locale.ROOT, "| Relay, %s: ≥ %,d calls on one core, loss < %s %%, p99 < %d µs | at %,d "
        + "calls: loss %.3f %%, p99 %s µs, %.2f µs/packet, server RSS %.0f MB; largest step with loss < %s %%: "
        + "%,d; meeting both: %,d | %s |", mode.label(), RELAY_CALLS, RelayBench.MAX_LOSS_PERCENT,
        RelayBench.MAX_P99_NANOS / 1000, top.calls(), top.media().lossPercent(),
        RelayBench.us(top.media().latency().quantile(0.99)), top.serverCpuMicrosPerPacket(),
        top.serverRssBytes() / 1e6, RelayBench.MAX_LOSS_PERCENT, noLoss, r.largestPassing(),
        lossMet && latencyMet ? "met" : lossMet ? "loss met, latency not" : "not met");
  }

  /** A signalling phase's row; {@code p95Millis} NaN for no latency target. */
  static String signallingRow(String what, int target, SignallingBench.Phase p, double p95Millis) {
    if (p == null) {
      return "| " + what + " | did not run | — |";
    }
    double p95 = p.latency().quantile(0.95) / 1e6;
    boolean met = p.achievedPerSecond() >= target * 0.995 && (Double.isNaN(p95Millis) || p95 < p95Millis);
    return String.format(Locale.ROOT, "| Signalling: ≥ %,d %s/s%s | %.0f/s of %,d offered, p50 %.2f ms, p95 %.2f "
        + "ms, %d failed | %s |", target, what, Double.isNaN(p95Millis) ? "" : ", p95 < " + (int) p95Millis + " ms",
        p.achievedPerSecond(), p.offeredPerSecond(), p.latency().quantile(0.5) / 1e6, p95, p.failed(),
        met ? "met" : "not met");
  }

  /** The codec's row: what one Opus call's coding and crypto cost a core at the default complexity. */
  static String codecRow(CodecBench.Report c) {
    for (CodecBench.CallBudget b : c.budgets()) {
      if (b.complexity() == 5 && !b.fec()) {
        return String.format(Locale.ROOT, "| Client: one Opus call ≤ 10 %% of one core (codec and crypto work) | "
            + "%.0f µs per 20 ms frame = %.1f %% of a core (complexity 5, no FEC) | %s |", b.microsPerFrame(),
            b.percentOfCore(), b.percentOfCore() <= 10 ? "met (this part)" : "not met");
      }
    }
    return "| Client: one Opus call ≤ 10 % of one core | Opus not measured in this run | — |";
  }

  private static String summary(Options o, List<String> rows, List<Entry> entries) {
    StringBuilder sb = new StringBuilder();
    sb.append("# Causerie benchmarks: every target at a glance\n\n");
    Machine m = Machine.describe();
    sb.append("Generated by `causerie bench all").append(o.quick() ? " --quick" : "").append("` at ").append(m.date())
        .append(" on ").append(m.cpusOnline()).append(" CPUs (").append(m.cpuModel()).append("), ").append(m.os())
        .append(", ").append(m.java()).append("; generator on CPUs ").append(m.generatorAffinity())
        .append(", servers on ").append(o.serverCpus() == null ? "any CPU" : "CPUs " + o.serverCpus())
        .append(", load average at start ").append(m.loadAverage()).append(".\n");
    if (o.quick()) {
      sb.append("\n**Quick run: a smoke test at a fraction of the load; the figures are not worth quoting.**\n");
    }
    sb.append("\n| Target | Measured | Verdict |\n|---|---|---|\n");
    rows.forEach(r -> sb.append(r).append('\n'));
    sb.append("\nA rate counts as met when the generator achieved it to within 0.5 % (the window's edges) and p95 is "
        + "under its bound; relay verdicts use the sweep's bar (loss < ").append(RelayBench.MAX_LOSS_PERCENT)
        .append(" %, p99 < ").append(RelayBench.MAX_P99_NANOS / 1000).append(" µs).\n");
    List<String> files = new ArrayList<>();
    for (Entry e : entries) {
      if (e.json() != null) {
        files.add("`" + e.json().getFileName() + "`, `" + e.text().getFileName() + "`");
      }
    }
    sb.append("\nReports: ").append(files.isEmpty() ? "none" : String.join("; ", files)).append(".\n");
    for (Entry e : entries) {
      if (e.error() != null) {
        sb.append("\n").append(e.name()).append(" reported an error: ").append(e.error()).append('\n');
      }
    }
    return sb.toString();
  }
}
