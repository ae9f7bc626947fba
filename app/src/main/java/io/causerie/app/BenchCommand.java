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
    subcommands = {BenchCommand.Relay.class, BenchCommand.Signalling.class, BenchCommand.Reliability.class,
        BenchCommand.Codec.class, BenchCommand.Latency.class, BenchCommand.All.class})
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
        description = "Extra JVM option for the server (repeatable), e.g. --server-jvm-option=-Xmx256m. The server "
            + "starts with the defaults of causerie server (docs/OPERATIONS.md \"Memory\"); an option given here "
            + "replaces the default it overrides (heap size, collector, ...).")
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
      return cpusOrNull(cpus);
    }

    /** A taskset CPU list as given, or null (no pinning) when it is empty. */
    static String cpusOrNull(String cpus) {
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

    @Option(names = "--payload-bytes", paramLabel = "BYTES", defaultValue = "188",
        description = "UDP payload per packet, RTP header and SRTP tag included (default: ${DEFAULT-VALUE}, a G.711 "
            + "call's SRTP packet: 172-byte RTP + 16; an Opus 24 kbit/s call averages 88; the relay does not "
            + "decrypt, so only the size matters).")
    int payloadBytes;

    @Option(names = "--plaintext-signalling",
        description = "Start the server with --insecure-plaintext-signalling and drive it without DTLS (comparison).")
    boolean plaintextSignalling;

    @Option(names = "--sweep", description = "Step the number of calls up to --calls.")
    boolean sweep;

    @Option(names = "--warmup-seconds", paramLabel = "S", defaultValue = "6",
        description = "Unmeasured media before each window (default: ${DEFAULT-VALUE}): the calls' streams join "
            + "one by one over its first half, then all send at full rate; its loss is reported apart and is not "
            + "part of the verdict.")
    double warmupSeconds;

    @Option(names = "--media-mode", paramLabel = "ports|single-port", defaultValue = "ports",
        description = "The server's media layout (default: ${DEFAULT-VALUE}): ports drives one port per client "
            + "(see --ports-generator); single-port starts the server with --media-mode single-port and drives its "
            + "one port from a few shared, connected sockets with batched sends and reads (each 0.5 ms slot's "
            + "packets as UDP segmentation-offload sends in one sendmmsg where Linux has UDP_SEGMENT, else "
            + "sendmmsg; recvmmsg), each client with the SSRC the server assigned it.")
    String mediaMode;

    @Option(names = "--ports-generator", paramLabel = "shared|per-client", defaultValue = "shared",
        description = "In ports mode, what drives the server's ports (default: ${DEFAULT-VALUE}): shared sends "
            + "from a few unconnected sockets, each packet to its client's server port, a slot's packets in one "
            + "sendmmsg per socket, recvmmsg (the server latches each client's port on its own); per-client opens "
            + "one socket per client and sends one packet per system call, as real clients do (it saturates its "
            + "core first, near 2,000 calls).")
    String portsGenerator;

    @Option(names = "--generator-busy-poll",
        description = "The shared-socket generator's event loop polls epoll without ever sleeping, so replies are "
            + "read as soon as they arrive rather than after its thread (and on a virtual machine its idle "
            + "virtual CPU) wakes up: latency then shows the relay's part without the generator's wake-ups. Its "
            + "core is always busy, so its CPU figure means nothing; saturation shows as sender lateness.")
    boolean generatorBusyPoll;

    @Mixin ServerOptions server;

    @Override
    public Integer call() throws Exception {
      RelayBench.Options o;
      try {
        o = new RelayBench.Options(calls, seconds, payloadBytes, sweep, warmupSeconds, server.cpusOrNull(),
            server.jvmOptions, server.jfr, server.logLevel, ServerProcess.Launch.app(), server.sockets, server.keep,
            server.busyRetries, plaintextSignalling, io.causerie.server.MediaMode.parse(mediaMode),
            RelayBench.PortsGenerator.parse(portsGenerator), generatorBusyPoll);
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

    @Option(names = "--plaintext-signalling",
        description = "Start the server with --insecure-plaintext-signalling and drive it without DTLS (comparison).")
    boolean plaintextSignalling;

    @Option(names = "--handshakes", paramLabel = "N", defaultValue = "200",
        description = "Fresh DTLS handshakes to time after the sign-ins, 4 at once, each from a new socket "
            + "(what every client pays before signing in; default: ${DEFAULT-VALUE}; 0 for none).")
    int handshakes;

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
            server.keep, server.busyRetries, warmupSeconds, plaintextSignalling, handshakes);
      } catch (IllegalArgumentException e) {
        spec.commandLine().getErr().println("causerie bench signalling: " + e.getMessage());
        return ExitCodes.USAGE;
      }
      SignallingBench.Report r = SignallingBench.run(o, System.err);
      return server.print(spec, r.toJson().toString(), r.toText(), r.error());
    }
  }

  @Command(
      name = "reliability",
      mixinStandardHelpOptions = true,
      description = {
        "The reliability suite of docs/RELIABILITY.md, each row against its own real server process on 127.0.0.1.",
        "Prints one line per row with its figures and target; exits non-zero if a row fails.",
        "Full: about 20 minutes; --quick: about 3."
      })
  static final class Reliability implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--quick", description = "Fewer calls, shorter durations, the same targets.")
    boolean quick;

    @Option(names = "--only", paramLabel = "NAME", split = ",",
        description = "Run only these rows (comma-separated): ${COMPLETION-CANDIDATES}.",
        completionCandidates = RowNames.class)
    List<String> only = new ArrayList<>();

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    boolean json;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the JSON report to FILE.")
    Path out;

    @Option(names = "--keep", description = "Keep the temporary directory (databases, server configs and logs).")
    boolean keep;

    @Override
    public Integer call() throws Exception {
      io.causerie.bench.reliability.ReliabilitySuite.Report r;
      try {
        r = io.causerie.bench.reliability.ReliabilitySuite.run(quick, only, System.err, keep);
      } catch (IllegalArgumentException e) {
        spec.commandLine().getErr().println("causerie bench reliability: " + e.getMessage());
        return ExitCodes.USAGE;
      }
      PrintWriter w = spec.commandLine().getOut();
      w.println(json ? r.toJson().toString() : r.toText());
      w.flush();
      if (out != null) {
        Files.writeString(out, r.toJson() + "\n", StandardCharsets.UTF_8);
      }
      return r.pass() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    /** The row names, for --help. */
    static final class RowNames implements Iterable<String> {
      @Override
      public java.util.Iterator<String> iterator() {
        return io.causerie.bench.reliability.ReliabilitySuite.names().iterator();
      }
    }
  }

  @Command(
      name = "codec",
      mixinStandardHelpOptions = true,
      description = {
        "JMH micro-benchmarks of per-frame and per-packet costs, in process (no server): Opus encode/decode per 20 ms",
        "frame at complexity 0/5/10 with FEC off/on, G.711 (PCMU) encode/decode, the jitter buffer per packet, the",
        "signalling codec per message (CALL, PRESENCE of 16), SRTP protect/unprotect per packet (172/100-byte RTP).",
        "Prints benchmark, µs/op and the 99.9 %% error, and what one Opus call costs a core. About 4 minutes;",
        "--quick: seconds, figures not worth quoting."
      })
  static final class Codec implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--quick", description = "Very short warm-up and measurement, no fork (smoke test).")
    boolean quick;

    @Option(names = "--include", paramLabel = "REGEX",
        description = "Run only the benchmarks whose name (Class.method) matches REGEX, e.g. Opus or Srtp.*protect.")
    String include;

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    boolean json;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the JSON report to FILE.")
    Path out;

    @Override
    public Integer call() throws Exception {
      io.causerie.bench.jmh.CodecBench.Options o;
      try {
        o = new io.causerie.bench.jmh.CodecBench.Options(quick, include);
      } catch (IllegalArgumentException e) {
        spec.commandLine().getErr().println("causerie bench codec: " + e.getMessage());
        return ExitCodes.USAGE;
      }
      io.causerie.bench.jmh.CodecBench.Report r = io.causerie.bench.jmh.CodecBench.run(o, System.err);
      PrintWriter w = spec.commandLine().getOut();
      w.println(json ? r.toJson().toString() : r.toText());
      w.flush();
      if (out != null) {
        Files.writeString(out, r.toJson() + "\n", StandardCharsets.UTF_8);
      }
      if (r.error() != null) {
        spec.commandLine().getErr().println("causerie bench codec: " + r.error());
        return ExitCodes.FAILED;
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "latency",
      mixinStandardHelpOptions = true,
      description = {
        "Mouth-to-ear latency in software of one Opus call through a real server process on 127.0.0.1: two clients",
        "in this JVM, 100 ms tone bursts every 500 ms from the caller; for each burst, the time from the caller's",
        "capture thread reading its first frame to the callee's playout thread writing the frame where it starts.",
        "Prints min, p50, p95 and max, the callee's jitter-buffer cap and delay (docs/BENCHMARKS.md)."
      })
  static final class Latency implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "15",
        description = "Length of the tone signal, 2-3600 s (default: ${DEFAULT-VALUE}); one burst per 0.5 s.")
    double seconds;

    @Option(names = "--jitter", paramLabel = "MS", defaultValue = "0",
        description = "Uniform 0-MS ms jitter on the callee's incoming path, as --impair jitter=MS (default: none).")
    int jitterMillis;

    @Option(names = "--jitter-cap", paramLabel = "MS", defaultValue = "200",
        description = "The callee's jitter-buffer cap, 40-2000 ms (default: ${DEFAULT-VALUE}).")
    int jitterCapMillis;

    @Option(names = "--json", description = "Print one JSON object instead of the text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      io.causerie.bench.LatencyBench.Options o;
      try {
        o = new io.causerie.bench.LatencyBench.Options(seconds, jitterMillis, jitterCapMillis, 1,
            ServerProcess.Launch.app(), "WARN");
      } catch (IllegalArgumentException e) {
        spec.commandLine().getErr().println("causerie bench latency: " + e.getMessage());
        return ExitCodes.USAGE;
      }
      io.causerie.bench.LatencyBench.Report r = io.causerie.bench.LatencyBench.run(o, System.err);
      PrintWriter w = spec.commandLine().getOut();
      w.print(json ? r.toJson() + "\n" : r.toText());
      w.flush();
      if (r.error() != null) {
        spec.commandLine().getErr().println("causerie bench latency: " + r.error());
        return ExitCodes.FAILED;
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "all",
      mixinStandardHelpOptions = true,
      description = {
        "Every benchmark of docs/BENCHMARKS.md \"Every target at a glance\" in one run, with the parameters it quotes:",
        "bench relay --sweep --calls 2000 --seconds 20 --generator-busy-poll in single-port and ports mode,",
        "bench signalling --rate 2000 --sign-in-rate 1000, bench codec and bench latency. Writes each one's JSON and",
        "text report to --out-dir, and summary.md with the headline figures next to their targets (printed too).",
        "About 25 minutes; run it pinned away from the server: taskset -c 1 ./causerie bench all."
      })
  static final class All implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--out-dir", paramLabel = "DIR", defaultValue = "bench-results",
        description = "Where the reports go (default: ${DEFAULT-VALUE}; created if missing, files replaced).")
    Path outDir;

    @Option(names = "--quick", description = "Each bench briefly at a fraction of the load (smoke test; figures not "
        + "worth quoting).")
    boolean quick;

    @Option(names = "--server-cpus", paramLabel = "LIST", defaultValue = "0",
        description = "Pin the spawned servers with taskset -c LIST (default: ${DEFAULT-VALUE}; empty for no pinning).")
    String cpus;

    @Override
    public Integer call() throws Exception {
      io.causerie.bench.AllBenches.Result r = io.causerie.bench.AllBenches.run(new io.causerie.bench.AllBenches.Options(
          outDir, quick, ServerOptions.cpusOrNull(cpus), ServerProcess.Launch.app()), System.err);
      PrintWriter w = spec.commandLine().getOut();
      w.print(r.summary());
      w.flush();
      if (!r.ok()) {
        spec.commandLine().getErr().println("causerie bench all: a bench reported an error (summary.md)");
        return ExitCodes.FAILED;
      }
      return ExitCodes.OK;
    }
  }
}
