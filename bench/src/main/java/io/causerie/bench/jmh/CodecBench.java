package io.causerie.bench.jmh;

import io.causerie.bench.Json;
import io.causerie.bench.Machine;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * {@code bench codec}: runs the JMH micro-benchmarks of this package programmatically (Opus, G.711, jitter buffer,
 * signalling codec, SRTP), JMH's own progress going to the log stream, and reports µs per operation with JMH's
 * 99.9 % confidence half-width, plus what one Opus call costs a core (docs/BENCHMARKS.md).
 */
public final class CodecBench {
  /** The package's benchmarks, as a JMH include pattern. */
  public static final String ALL = "^" + Pattern.quote(CodecBench.class.getPackageName() + ".");

  /** Frame duration the per-call budget is measured against. */
  static final double FRAME_MICROS = 20_000;

  private CodecBench() {}

  /**
   * How to run.
   *
   * @param quick very short warm-up and measurement, no fork (smoke test; figures not worth quoting)
   * @param include JMH include regex over the full benchmark names ({@code Class.method}); null for all
   */
  public record Options(boolean quick, String include) {
    public Options {
      if (include != null) {
        try {
          Pattern.compile(include);
        } catch (PatternSyntaxException e) {
          throw new IllegalArgumentException("--include is not a regular expression: " + e.getDescription());
        }
      }
    }

    /** Under --quick: 1 x 100 ms warm-up, 2 x 100 ms measurement; otherwise each class's annotations. */
    int forks() {
      return quick ? 0 : 1;
    }

    String includeOrAll() {
      return include == null ? ALL : include;
    }

    Json toJson() {
      return Json.object().put("quick", quick).put("include", includeOrAll()).put("forks", forks());
    }
  }

  /**
   * One benchmark's figure.
   *
   * @param benchmark short name, {@code Opus.encode}
   * @param params JMH parameters, {@code complexity=5 fec=false}, or empty
   * @param score mean µs per operation
   * @param error 99.9 % confidence half-width (NaN when too few samples)
   * @param samples measurement iterations behind the score
   * @param warmup warm-up iterations and time, {@code 3 x 1 s}
   * @param measurement measurement iterations and time
   */
  public record Row(String benchmark, String params, double score, double error, String unit, long samples,
      String warmup, String measurement) {
    Json toJson() {
      return Json.object().put("benchmark", benchmark).put("params", params).put("score", score)
          .put("error", error).put("unit", unit).put("samples", samples).put("warmup", warmup)
          .put("measurement", measurement);
    }

    String label() {
      return params.isEmpty() ? benchmark : benchmark + " " + params;
    }
  }

  /**
   * What one Opus call costs the client per 20 ms frame: encode + decode + SRTP protect + unprotect (100-byte RTP)
   * + one jitter-buffer insert and poll (in order), as a share of one core.
   */
  public record CallBudget(int complexity, boolean fec, double microsPerFrame, double percentOfCore) {
    Json toJson() {
      return Json.object().put("complexity", complexity).put("fec", fec).put("microsPerFrame", microsPerFrame)
          .put("percentOfCore", percentOfCore);
    }
  }

  /** The run's result. */
  public record Report(Machine machine, Options options, List<Row> rows, List<CallBudget> budgets, String error) {
    public Json toJson() {
      List<Json> r = new ArrayList<>();
      rows.forEach(x -> r.add(x.toJson()));
      List<Json> b = new ArrayList<>();
      budgets.forEach(x -> b.add(x.toJson()));
      return Json.object().put("bench", "codec").put("machine", machine.toJson()).put("settings", options.toJson())
          .putObjects("results", r).putObjects("opusCallBudget", b).put("error", error);
    }

    public String toText() {
      StringBuilder sb = new StringBuilder();
      sb.append(String.format(Locale.ROOT, "bench codec: %d CPUs (%s), %s, %s%n", machine.cpusOnline(),
          machine.cpuModel(), machine.java(), machine.date()));
      Map<String, List<String>> settings = new LinkedHashMap<>();
      for (Row row : rows) {
        settings.computeIfAbsent("warm-up " + row.warmup() + ", measurement " + row.measurement(),
            k -> new ArrayList<>()).add(row.benchmark().substring(0, Math.max(0, row.benchmark().indexOf('.'))));
      }
      List<String> described = new ArrayList<>();
      settings.forEach((k, v) -> described.add(k + " (" + String.join(", ", new LinkedHashSet<>(v)) + ")"));
      sb.append(String.format(Locale.ROOT, "JMH, %d fork(s)%s: %s; error = 99.9 %% confidence half-width%n",
          options.forks(), options.quick() ? " (--quick: not figures to quote)" : "", String.join("; ", described)));
      int width = "benchmark".length();
      for (Row row : rows) {
        width = Math.max(width, row.label().length());
      }
      sb.append(String.format(Locale.ROOT, "%-" + width + "s  %12s  %10s%n", "benchmark", "µs/op", "error"));
      for (Row row : rows) {
        sb.append(String.format(Locale.ROOT, "%-" + width + "s  %12s  %10s%n", row.label(), fmt(row.score()),
            Double.isFinite(row.error()) ? "± " + fmt(row.error()) : "n/a"));
      }
      if (!budgets.isEmpty()) {
        sb.append(String.format(Locale.ROOT,
            "%nOne Opus call per 20 ms frame (encode + decode + SRTP protect + unprotect of 100-byte RTP + jitter "
                + "buffer), target <= 10 %% of one core:%n"));
        for (CallBudget b : budgets) {
          sb.append(String.format(Locale.ROOT, "  complexity %2d, FEC %-3s: %8s µs per frame = %5.2f %% of one core%n",
              b.complexity(), b.fec() ? "on" : "off", fmt(b.microsPerFrame()), b.percentOfCore()));
        }
      }
      if (error != null) {
        sb.append("error: ").append(error).append(System.lineSeparator());
      }
      return sb.toString().stripTrailing();
    }
  }

  /** Runs the benchmarks; JMH's progress goes to {@code log}. */
  public static Report run(Options options, PrintStream log) {
    Machine machine = Machine.describe();
    ChainedOptionsBuilder jmh = new OptionsBuilder()
        .include(options.includeOrAll())
        .forks(options.forks())
        .timeUnit(TimeUnit.MICROSECONDS)
        .shouldFailOnError(true);
    if (options.quick()) {
      jmh.warmupIterations(1).warmupTime(TimeValue.milliseconds(100))
          .measurementIterations(2).measurementTime(TimeValue.milliseconds(100));
    }
    List<Row> rows = new ArrayList<>();
    String error = null;
    try {
      Collection<RunResult> results =
          new Runner(jmh.build(), OutputFormatFactory.createFormatInstance(log, VerboseMode.NORMAL)).run();
      for (RunResult rr : results) {
        rows.add(row(rr));
      }
      if (rows.isEmpty()) {
        error = "no benchmark matched " + options.includeOrAll()
            + " (is META-INF/BenchmarkList on the class path?)";
      }
    } catch (RunnerException | RuntimeException e) {
      error = "JMH failed: " + e.getMessage();
    }
    return new Report(machine, options, List.copyOf(rows), budgets(rows), error);
  }

  static Row row(RunResult rr) {
    BenchmarkParams p = rr.getParams();
    String full = p.getBenchmark();
    String pkg = CodecBench.class.getPackageName() + ".";
    String name = full.startsWith(pkg) ? full.substring(pkg.length()) : full;
    int dot = name.indexOf('.');
    if (dot > 0 && name.substring(0, dot).endsWith("Bench")) {
      name = name.substring(0, dot - "Bench".length()) + name.substring(dot);
    }
    StringBuilder params = new StringBuilder();
    for (String key : p.getParamsKeys()) {
      params.append(params.length() == 0 ? "" : " ").append(key).append('=').append(p.getParam(key));
    }
    Result<?> r = rr.getPrimaryResult();
    return new Row(name, params.toString(), r.getScore(), r.getScoreError(), r.getScoreUnit(), r.getSampleCount(),
        p.getWarmup().getCount() + " x " + p.getWarmup().getTime(),
        p.getMeasurement().getCount() + " x " + p.getMeasurement().getTime());
  }

  static List<CallBudget> budgets(List<Row> rows) {
    List<CallBudget> out = new ArrayList<>();
    Double protect = score(rows, "Srtp.protect", "rtpBytes=100");
    Double unprotect = score(rows, "Srtp.unprotect", "rtpBytes=100");
    Double jitter = score(rows, "JitterBuffer.insertAndPoll", "order=in-order");
    if (protect == null || unprotect == null || jitter == null) {
      return out;
    }
    for (boolean fec : new boolean[] {false, true}) {
      for (int c : new int[] {0, 5, 10}) {
        String params = "complexity=" + c + " fec=" + fec;
        Double enc = score(rows, "Opus.encode", params);
        Double dec = score(rows, "Opus.decode", params);
        if (enc != null && dec != null) {
          double micros = enc + dec + protect + unprotect + jitter;
          out.add(new CallBudget(c, fec, micros, 100 * micros / FRAME_MICROS));
        }
      }
    }
    return List.copyOf(out);
  }

  private static Double score(List<Row> rows, String benchmark, String params) {
    for (Row r : rows) {
      if (r.benchmark().equals(benchmark) && r.params().equals(params) && Double.isFinite(r.score())) {
        return r.score();
      }
    }
    return null;
  }

  private static String fmt(double v) {
    if (!Double.isFinite(v)) {
      return "n/a";
    }
    return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.1f" : Math.abs(v) >= 1 ? "%.3f" : "%.4f", v);
  }
}
