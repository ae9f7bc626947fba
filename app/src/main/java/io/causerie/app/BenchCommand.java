package io.causerie.app;

import io.causerie.bench.RelayBench;
import io.causerie.bench.ServerProcess;
import io.causerie.bench.SignallingBench;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Load generators against a real server process on 127.0.0.1: relay capacity and signalling throughput. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Load generators that spawn a real server on 127.0.0.1 and measure it (docs/BENCHMARKS.md).",
      "For figures worth quoting, pin the generator away from the server: taskset -c 1 ./causerie bench ...",
      "(the server is pinned to --server-cpus, CPU 0 by default)."
    },
    subcommands = {BenchCommand.Relay.class, BenchCommand.Signalling.class})
final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  /** How the spawned server runs, and what is kept: shared by both benches. */
  static final class ServerOptions {
    @Option(names = "--server-cpus", paramLabel = "LIST", defaultValue = "0",
        description = "Pin the spawned server with taskset -c LIST (default: ${DEFAULT-VALUE}; empty for no pinning).")
    String cpus;

    @Option(names = "--server-jvm-option", paramLabel = "OPTION",
        description = "Extra JVM option for the server (repeatable), e.g. --server-jvm-option=-Xmx256m.")
    List<String> jvmOptions = new ArrayList<>();

    @Option(names = "--server-jfr", paramLabel = "FILE",
        description = "Record the server with Java Flight Recorder (profile settings) into FILE.")
    Path jfr;

    @Option(names = "--server-log-level", paramLabel = "LEVEL", defaultValue = "INFO",
        description = "The server's log level (default: ${DEFAULT-VALUE}, as operators run it).")
    String logLevel;

    @Option(names = "--sockets", paramLabel = "N", defaultValue = "4",
        description = "UDP sockets the signalling driver spreads its clients over (default: ${DEFAULT-VALUE}).")
    int sockets;

    @Option(names = "--keep", description = "Keep the temporary directory (database, server config and log).")
    boolean keep;

    @Option(names = "--busy-retries", paramLabel = "N", defaultValue = "2",
        description = "Measure a window again, up to N times, when other processes used over 30 %% of a CPU "
            + "during it (default: ${DEFAULT-VALUE}).")
    int busyRetries;

    @Option(names = "--json", description = "Print one JSON object instead of the text report.")
    boolean json;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the JSON report to FILE.")
    Path out;

    String cpusOrNull() {
      return cpus == null || cpus.isBlank() ? null : cpus;
    }

    int print(CommandSpec spec, String jsonText, String text, String error) throws IOException {
      PrintWriter w = spec.commandLine().getOut();
      w.println(json ? jsonText : text);
      w.flush();
      if (out != null) {
        Files.writeString(out, jsonText + "\n", StandardCharsets.UTF_8);
      }
      if (error != null) {
        spec.commandLine().getErr().println("causerie bench: " + error);
        return ExitCodes.FAILED;
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "relay",
      mixinStandardHelpOptions = true,
      description = {
        "Measures the media relay: N calls of voice-like traffic through a real server.",
        "Signs in 2N clients, sets up N calls, sends 50 packets/s per direction per call through the relay and",
        "reports loss, one-way latency through the relay (p50/p99/p99.9/max), server CPU per packet and RSS.",
        "--sweep steps N up (100, 250, 500, ... up to --calls) and reports the largest N with loss < 0.1 %% and",
        "p99 < 1 ms."
      })
  static final class Relay implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--calls", paramLabel = "N", defaultValue = "100",
        description = "Calls to hold; with --sweep the largest step (default: ${DEFAULT-VALUE}).")
    int calls;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "10",
        description = "Measured seconds (per step with --sweep; default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--payload-bytes", paramLabel = "BYTES", defaultValue = "172",
        description = "UDP payload per packet, RTP header included (default: ${DEFAULT-VALUE}, G.711 at 20 ms).")
    int payloadBytes;

    @Option(names = "--sweep", description = "Step the number of calls up to --calls.")
    boolean sweep;

    @Option(names = "--warmup-seconds", paramLabel = "S", defaultValue = "1",
        description = "Unmeasured media before each window (default: ${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Mixin ServerOptions server;

    @Override
    public Integer call() throws Exception {
      RelayBench.Options o;
      try {
        o = new RelayBench.Options(calls, seconds, payloadBytes, sweep, warmupSeconds, server.cpusOrNull(),
            server.jvmOptions, server.jfr, server.logLevel, ServerProcess.Launch.app(), server.sockets, server.keep,
            server.busyRetries);
      } catch (IllegalArgumentException e) {
        spec.commandLine().getErr().println("causerie bench relay: " + e.getMessage());
        return ExitCodes.USAGE;
      }
      RelayBench.Report r = RelayBench.run(o, System.err);
      return server.print(spec, r.toJson().toString(), r.toText(), r.error());
    }
  }

  @Command(
      name = "signalling",
      mixinStandardHelpOptions = true,
      description = {
        "Measures signalling: call set-ups per second and sign-ins per second against a real server.",
        "Open-loop call set-ups (CALL, INCOMING, ACCEPT, CALL_STARTED, HANGUP, CALL_ENDED) between signed-in pairs",
        "at --rate per second, then full SCRAM sign-ins (then presence snapshot, sign-out) at --sign-in-rate;",
        "reports achieved rates, p50/p95/p99 latency from when each attempt was due, and failures."
      })
  static final class Signalling implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--rate", paramLabel = "R", defaultValue = "200",
        description = "Call set-ups per second offered (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "10",
        description = "Seconds of each phase (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--sign-in-rate", paramLabel = "R", description = "Sign-ins per second offered (default: R / 2).")
    Integer signInRate;

    @Option(names = "--pairs", paramLabel = "N",
        description = "Signed-in pairs taking turns at calls (default: max(8, R / 10)).")
    Integer pairs;

    @Option(names = "--sign-in-users", paramLabel = "N",
        description = "Users taking turns at signing in (default: max(16, sign-in rate / 5)).")
    Integer signInUsers;

    @Option(names = "--warmup-seconds", paramLabel = "S", defaultValue = "2",
        description = "Unmeasured load at the same rate before each phase (default: ${DEFAULT-VALUE}).")
    int warmupSeconds;

    @Option(names = "--full-scram",
        description = "Run PBKDF2 in the generator on every sign-in, as the product client does (slower generator).")
    boolean fullScram;

    @Mixin ServerOptions server;

    @Override
    public Integer call() throws Exception {
      SignallingBench.Options o;
      try {
        int sir = signInRate != null ? signInRate : SignallingBench.Options.defaultSignInRate(rate);
        o = new SignallingBench.Options(rate, seconds, sir,
            pairs != null ? pairs : SignallingBench.Options.defaultPairs(rate),
            signInUsers != null ? signInUsers : SignallingBench.Options.defaultSignInUsers(sir), server.cpusOrNull(),
            server.jvmOptions, server.jfr, server.logLevel, ServerProcess.Launch.app(), server.sockets, fullScram,
            server.keep, server.busyRetries, warmupSeconds);
      } catch (IllegalArgumentException e) {
        spec.commandLine().getErr().println("causerie bench signalling: " + e.getMessage());
        return ExitCodes.USAGE;
      }
      SignallingBench.Report r = SignallingBench.run(o, System.err);
      return server.print(spec, r.toJson().toString(), r.toText(), r.error());
    }
  }
}
