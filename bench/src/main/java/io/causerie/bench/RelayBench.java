package io.causerie.bench;

import io.causerie.bench.SignallingDriver.Call;
import io.causerie.bench.SignallingDriver.Client;
import io.causerie.server.MediaMode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * {@code causerie bench relay}: a real server in its own JVM, 2N clients signed in through real signalling,
 * N calls set up, then voice-like media through the relay (50 packets/s per direction per call), measuring
 * loss, one-way latency through the relay, and the server's CPU and memory. With a sweep, N steps up while
 * earlier calls stay up, and the largest N that meets the bar is reported.
 */
public final class RelayBench {
  /** RTP header (12 bytes) + 160 bytes of G.711 (20 ms at 8 kHz): a plaintext RTP packet of a G.711 call. */
  public static final int G711_RTP_BYTES = 172;
  /**
   * What a G.711 call puts on the wire now that media is SRTP (AES-GCM: + the 16-byte tag): 188 bytes. The relay
   * forwards without decrypting, so the bench only has to send packets of that size.
   */
  public static final int G711_SRTP_BYTES = G711_RTP_BYTES + io.causerie.media.crypto.SrtpContext.SRTP_OVERHEAD;
  /**
   * The same for Opus at its default 24 kbit/s: 60 bytes per 20 ms frame on average (VBR, speech frames 40–70
   * bytes), + RTP header + SRTP tag = 88 bytes; pass it with --payload-bytes.
   */
  public static final int OPUS_SRTP_BYTES = 12 + 24_000 / 8 / 50 + io.causerie.media.crypto.SrtpContext.SRTP_OVERHEAD;
  /** The default packet size: a G.711 call's SRTP packet. */
  public static final int DEFAULT_PAYLOAD_BYTES = G711_SRTP_BYTES;

  /** Sweep steps (calls), cut at --calls. */
  public static final List<Integer> DEFAULT_SWEEP = List.of(100, 250, 500, 750, 1000, 1500, 2000, 2500, 3000, 4000);
  /** The bar a step must meet: loss below 0.1 %. */
  public static final double MAX_LOSS_PERCENT = 0.1;
  /** ... and p99 one-way latency through the relay below 1 ms. */
  public static final long MAX_P99_NANOS = 1_000_000;
  /**
   * The generator counts as saturated when its sender runs this late at p90 (a sender that keeps up is late
   * only by its wake-up jitter, ~0.1 ms here; one that cannot falls further behind all the time).
   */
  static final long SATURATED_LATENESS_NANOS = 2_000_000;
  /**
   * A sweep goes on through steps that fail only the latency bar (on a shared or virtual machine, scheduling
   * jitter alone can fail it) and stops when loss reaches this, when the generator saturates (later steps
   * would measure the generator), or when calls cannot be set up.
   */
  static final double SWEEP_STOP_LOSS_PERCENT = 1.0;
  /** ... or one of its threads is busy this fraction of the window. */
  static final double SATURATED_THREAD_SHARE = 0.9;
  static final long DRAIN_NANOS = TimeUnit.MILLISECONDS.toNanos(300);
  static final long QUIET_MILLIS = 500;
  static final long MAX_QUIET_WAIT_MILLIS = 30_000;
  /** Longest wait for the machine to be idle before a window. */
  static final long MAX_IDLE_WAIT_MILLIS = 20_000;

  /**
   * What to run.
   *
   * @param calls calls to hold (with {@code sweep}: the largest step)
   * @param seconds measured seconds per step
   * @param warmupSeconds unmeasured media before each window (address latching, JIT)
   * @param serverCpus taskset CPU list for the server, null for none
   * @param plaintextSignalling run the server with plaintext signalling (for comparison; DTLS otherwise)
   * @param mediaMode the server's media layout: a port per client or one port, each driven by {@link
   *     SinglePortLoad} (a few shared sockets, batched)
   * @param portsGenerator in ports mode, which generator drives the server's ports
   * @param generatorBusyPoll the shared-socket generator's event loop polls without sleeping (see {@link
   *     SinglePortLoad#SinglePortLoad(int, boolean)})
   */
  public record Options(int calls, int seconds, int payloadBytes, boolean sweep, double warmupSeconds,
      String serverCpus, List<String> serverJvmOptions, Path serverJfr, String serverLogLevel,
      ServerProcess.Launch launch, int signallingSockets, boolean keepFiles, int busyRetries,
      boolean plaintextSignalling, MediaMode mediaMode, PortsGenerator portsGenerator, boolean generatorBusyPoll) {
    /** The shared-socket generator in ports mode. */
    public Options(int calls, int seconds, int payloadBytes, boolean sweep, double warmupSeconds,
        String serverCpus, List<String> serverJvmOptions, Path serverJfr, String serverLogLevel,
        ServerProcess.Launch launch, int signallingSockets, boolean keepFiles, int busyRetries,
        boolean plaintextSignalling, MediaMode mediaMode) {
      this(calls, seconds, payloadBytes, sweep, warmupSeconds, serverCpus, serverJvmOptions, serverJfr,
          serverLogLevel, launch, signallingSockets, keepFiles, busyRetries, plaintextSignalling, mediaMode,
          PortsGenerator.SHARED, false);
    }

    /** A port per client (the server's default). */
    public Options(int calls, int seconds, int payloadBytes, boolean sweep, double warmupSeconds,
        String serverCpus, List<String> serverJvmOptions, Path serverJfr, String serverLogLevel,
        ServerProcess.Launch launch, int signallingSockets, boolean keepFiles, int busyRetries,
        boolean plaintextSignalling) {
      this(calls, seconds, payloadBytes, sweep, warmupSeconds, serverCpus, serverJvmOptions, serverJfr,
          serverLogLevel, launch, signallingSockets, keepFiles, busyRetries, plaintextSignalling, MediaMode.PORTS);
    }

    /** DTLS signalling (the server's default). */
    public Options(int calls, int seconds, int payloadBytes, boolean sweep, double warmupSeconds,
        String serverCpus, List<String> serverJvmOptions, Path serverJfr, String serverLogLevel,
        ServerProcess.Launch launch, int signallingSockets, boolean keepFiles, int busyRetries) {
      this(calls, seconds, payloadBytes, sweep, warmupSeconds, serverCpus, serverJvmOptions, serverJfr,
          serverLogLevel, launch, signallingSockets, keepFiles, busyRetries, false);
    }

    public Options {
      if (calls < 1 || seconds < 1) {
        throw new IllegalArgumentException("--calls and --seconds must be at least 1");
      }
      if (payloadBytes < MediaPacket.MIN_BYTES || payloadBytes > MediaPacket.MAX_BYTES) {
        throw new IllegalArgumentException("--payload-bytes must be " + MediaPacket.MIN_BYTES + ".."
            + MediaPacket.MAX_BYTES);
      }
      serverJvmOptions = List.copyOf(serverJvmOptions);
      java.util.Objects.requireNonNull(mediaMode, "mediaMode");
      java.util.Objects.requireNonNull(portsGenerator, "portsGenerator");
      if (generatorBusyPoll && mediaMode == MediaMode.PORTS && portsGenerator == PortsGenerator.PER_CLIENT) {
        throw new IllegalArgumentException("--generator-busy-poll needs the shared-socket generator "
            + "(--ports-generator shared or --media-mode single-port)");
      }
    }

    /** The steps to run: just {@code calls}, or the sweep steps up to it. */
    public List<Integer> steps() {
      if (!sweep) {
        return List.of(calls);
      }
      List<Integer> s = new ArrayList<>(DEFAULT_SWEEP.stream().filter(n -> n < calls).toList());
      s.add(calls);
      return s;
    }
  }

  /** What drives the server's ports in ports mode. */
  public enum PortsGenerator {
    /**
     * {@link SinglePortLoad} on a few unconnected sockets, each packet addressed to its client's server port:
     * every slot's packets in one {@code sendmmsg} per socket, {@code recvmmsg} (the server latches each client's
     * port on its own, so clients may share a source socket).
     */
    SHARED,
    /** {@link MediaLoad}: one socket per client, one system call per packet, as real clients do. */
    PER_CLIENT;

    /** Parses {@code shared} or {@code per-client}. */
    public static PortsGenerator parse(String s) {
      return switch (s) {
        case "shared" -> SHARED;
        case "per-client" -> PER_CLIENT;
        default -> throw new IllegalArgumentException("--ports-generator must be shared or per-client, got " + s);
      };
    }
  }

  /** One measured window. */
  public record Step(int calls, int callsUp, int callsFailed, int callsDropped, long signInMillis,
      long callSetupMillis, long quietWaitMillis, MediaLoad.Result media, double serverCpuPercent,
      double serverCpuMicrosPerPacket, long serverRssBytes, double generatorCpuPercent, double senderCpuPercent,
      double receiverCpuPercent, double driverCpuPercent, boolean generatorSaturated, double otherCpuPercent,
      double interruptCpuPercent, double stealCpuPercent, Json cpu, String serverThreads, int attempts,
      long udpReceiveDrops) {

    public boolean pass() {
      return callsUp == calls && callsFailed == 0 && callsDropped == 0
          && media.lossPercent() < MAX_LOSS_PERCENT && media.latency().quantile(0.99) < MAX_P99_NANOS;
    }

    Json toJson() {
      MediaLoad.Result m = media;
      return Json.object().put("calls", calls).put("callsUp", callsUp).put("callsFailed", callsFailed)
          .put("callsDropped", callsDropped).put("signInMillis", signInMillis).put("callSetupMillis", callSetupMillis)
          .put("quietWaitMillis", quietWaitMillis).put("packetsPerSecond", m.sent() * 1e9 / m.measuredNanos())
          .put("sent", m.sent()).put("received", m.received()).put("lost", m.lost())
          .put("lossPercent", m.lossPercent()).put("duplicates", m.duplicates()).put("reordered", m.reordered())
          .put("misrouted", m.misrouted()).put("sendFailures", m.sendFailures())
          .put("warmupSent", m.warmupSent()).put("warmupReceived", m.warmupReceived())
          .put("warmupLossPercent", m.warmupLossPercent())
          .put("latencyMicros", latencyJson(m.latency()))
          .put("senderLatenessMicros", latencyJson(m.lateness()))
          .put("serverCpuPercent", serverCpuPercent).put("serverCpuMicrosPerPacket", serverCpuMicrosPerPacket)
          .put("serverRssMB", serverRssBytes / 1e6).put("generatorCpuPercent", generatorCpuPercent)
          .put("senderCpuPercent", senderCpuPercent).put("receiverCpuPercent", receiverCpuPercent)
          .put("driverCpuPercent", driverCpuPercent).put("generatorSaturated", generatorSaturated)
          .put("otherProcessesCpuPercent", otherCpuPercent).put("interruptsCpuPercent", interruptCpuPercent)
          .put("stealCpuPercent", stealCpuPercent).put("cpu", cpu).put("attempts", attempts).put("pass", pass());
    }
  }

  /** Everything a run found. */
  public record Report(Machine machine, Options options, List<String> serverCommand, String serverSettings,
      boolean serverPinned, String signalling, String generator,
      MediaLoad.Result baseline, List<Step> steps, String error, SignallingDriver.Stats driver,
      long notificationsDroppedByServer) {

    /** The largest step that met the bar, or 0. */
    public int largestPassing() {
      int best = 0;
      for (Step s : steps) {
        if (s.pass()) {
          best = Math.max(best, s.calls());
        }
      }
      return best;
    }

    public Json toJson() {
      Json o = Json.object().put("bench", "relay").put("machine", machine.toJson())
          .put("options", Json.object().put("calls", options.calls()).put("seconds", options.seconds())
              .put("payloadBytes", options.payloadBytes()).put("payloadLabel", payloadLabel(options.payloadBytes()))
              .put("sweep", options.sweep()).put("plaintextSignalling", options.plaintextSignalling())
              .put("mediaMode", options.mediaMode().label())
              .put("portsGenerator", options.portsGenerator() == PortsGenerator.SHARED ? "shared" : "per-client")
              .put("generatorBusyPoll", options.generatorBusyPoll())
              .put("warmupSeconds", options.warmupSeconds()).put("serverCpus", options.serverCpus())
              .put("serverLogLevel", options.serverLogLevel()))
          .put("serverPinned", serverPinned).put("signallingSecurity", signalling).put("generator", generator)
          .put("serverCommand", String.join(" ", serverCommand)).put("serverSettings", serverSettings)
          .put("targets", Json.object().put("maxLossPercent", MAX_LOSS_PERCENT)
              .put("maxP99Micros", MAX_P99_NANOS / 1000.0).put("callsPerCore", 2000).put("maxRssMB", 200));
      if (baseline != null) {
        o.put("directLoopbackLatencyMicros", latencyJson(baseline.latency()));
      }
      o.putObjects("steps", steps.stream().map(Step::toJson).toList());
      o.put("largestPassingCalls", largestPassing());
      if (driver != null) {
        o.put("signalling", Json.object().put("datagramsIn", driver.datagramsIn())
            .put("datagramsOut", driver.datagramsOut()).put("presence", driver.presence())
            .put("duplicateNotifications", driver.duplicateNotifications())
            .put("retransmissions", driver.retransmissions()).put("giveUps", driver.giveUps())
            .put("associationsLost", driver.associationsLost())
            .put("serverNotificationsDroppedWarnings", notificationsDroppedByServer));
      }
      o.put("error", error);
      return o;
    }

    public String toText() {
      StringBuilder sb = new StringBuilder();
      sb.append("causerie bench relay\n");
      sb.append("machine: ").append(machine.summary()).append('\n');
      sb.append("server: ").append(serverPinned ? "pinned with taskset -c " + options.serverCpus() : "not pinned")
          .append(", log level ").append(options.serverLogLevel()).append(", settings: ").append(serverSettings)
          .append('\n');
      sb.append("signalling: ").append(signalling).append('\n');
      sb.append("media mode: ").append(options.mediaMode().label()).append(", generator ").append(generator)
          .append('\n');
      sb.append(String.format(Locale.ROOT, "media: %d-byte packets (%s), 50/s per direction per call, %d s measured "
          + "per step after %.1f s warm-up%n", options.payloadBytes(), payloadLabel(options.payloadBytes()),
          options.seconds(), options.warmupSeconds()));
      if (baseline != null) {
        sb.append(String.format(Locale.ROOT, "direct loopback without relay (reference): p50 %s, p99 %s, max %s µs%n",
            us(baseline.latency().quantile(0.5)), us(baseline.latency().quantile(0.99)), us(baseline.latency().max())));
      }
      sb.append(String.format(Locale.ROOT, "%6s %7s %9s %7s %7s %7s %7s %8s %8s %7s %7s %7s %7s %7s %s%n",
          "calls", "pkt/s", "sent", "lost", "loss%", "p50µs", "p99µs", "p99.9µs", "maxµs", "srvCPU%", "µs/pkt",
          "RSS MB", "genCPU%", "others%", "verdict"));
      for (Step s : steps) {
        MediaLoad.Result m = s.media();
        LatencyHistogram l = m.latency();
        sb.append(String.format(Locale.ROOT,
            "%6d %7.0f %9d %7d %7.3f %7s %7s %8s %8s %7.1f %7.2f %7.1f %7.1f %7.1f %s%n",
            s.calls(), m.sent() * 1e9 / m.measuredNanos(), m.sent(), m.lost(), m.lossPercent(), us(l.quantile(0.5)),
            us(l.quantile(0.99)), us(l.quantile(0.999)), us(l.max()), s.serverCpuPercent(),
            s.serverCpuMicrosPerPacket(), s.serverRssBytes() / 1e6, s.generatorCpuPercent(), s.otherCpuPercent(),
            (s.pass() ? "pass" : "FAIL") + (s.callsUp() < s.calls() ? " (" + s.callsUp() + " up)" : "")
                + (s.callsDropped() > 0 ? " (" + s.callsDropped() + " dropped)" : "")
                + (s.generatorSaturated() ? " (generator saturated)" : "")));
      }
      for (Step s : steps) {
        sb.append(String.format(Locale.ROOT, "%6d calls: server threads (user%%+system%%): %s%n", s.calls(),
            s.serverThreads()));
        sb.append(String.format(Locale.ROOT, "%6s        sender lateness p99 %s µs, generator threads: "
            + "sender %.0f %%, "
            + "receiver %.0f %%, signalling %.0f %%; UDP receive-buffer drops (machine-wide) %d%n", "",
            us(s.media().lateness().quantile(0.99)), s.senderCpuPercent(), s.receiverCpuPercent(),
            s.driverCpuPercent(), s.udpReceiveDrops()));
        sb.append(String.format(Locale.ROOT, "%6s        warm-up (not measured; streams joining over its first half): "
            + "%d sent, loss %.3f %%%n", "", s.media().warmupSent(), s.media().warmupLossPercent()));
      }
      sb.append("CPU % are of one CPU; others% = other processes on the machine during the window.\n");
      sb.append("largest passing: ").append(largestPassing()).append(" calls (bar: loss < ").append(MAX_LOSS_PERCENT)
          .append(" %, p99 < ").append(MAX_P99_NANOS / 1000).append(" µs)\n");
      if (notificationsDroppedByServer > 0) {
        sb.append("server log: ").append(notificationsDroppedByServer)
            .append(" warnings of notifications dropped (too many in flight)\n");
      }
      if (error != null) {
        sb.append("error: ").append(error).append('\n');
      }
      return sb.toString();
    }
  }

  private RelayBench() {}

  /** What a packet size stands for (the relay forwards SRTP without decrypting it: only the size matters). */
  static String payloadLabel(int bytes) {
    if (bytes == G711_SRTP_BYTES) {
      return "SRTP size of a G.711 call: 172-byte RTP + 16-byte AES-GCM tag";
    }
    if (bytes == OPUS_SRTP_BYTES) {
      return "SRTP size of an Opus 24 kbit/s call, on average: 72-byte RTP + 16-byte tag";
    }
    if (bytes == G711_RTP_BYTES) {
      return "plaintext G.711 RTP size, as before SRTP";
    }
    return "custom size; a G.711 call sends " + G711_SRTP_BYTES + " bytes, Opus 24 kbit/s ~" + OPUS_SRTP_BYTES;
  }

  /** How the bench talks to the server, for the report. */
  static String signallingLabel(ServerProcess server) {
    if (server.plaintextSignalling()) {
      return "PLAINTEXT (server started with " + ServerProcess.PLAINTEXT_FLAG + ")";
    }
    return "DTLS 1.2, " + (server.fingerprint() != null ? "server fingerprint pinned " + server.fingerprint()
        : "server fingerprint trusted on first use");
  }

  /** Runs the bench; progress lines go to {@code progress}. */
  public static Report run(Options o, PrintStream progress) throws IOException, InterruptedException {
    Machine machine = Machine.describe();
    Path dir = Files.createTempDirectory("causerie-bench-relay-");
    try {
      return run(o, progress, machine, dir);
    } finally {
      if (!o.keepFiles()) {
        deleteTree(dir);
      } else {
        progress.println("kept " + dir);
      }
    }
  }

  private static Report run(Options o, PrintStream progress, Machine machine, Path dir)
      throws IOException, InterruptedException {
    String db = dir.resolve("bench.db").toString();
    List<Integer> steps = o.steps();
    int maxCalls = steps.get(steps.size() - 1);
    long lifetime = 120;
    for (int n : steps) {
      lifetime += (long) (o.seconds() + o.warmupSeconds() + 40 + n * 0.05);
    }
    BenchUsers users = new BenchUsers(db);
    progress.printf("creating %d users...%n", 2 * steps.get(0));
    users.ensure(2 * steps.get(0));
    List<Step> done = new ArrayList<>();
    String error = null;
    SignallingDriver.Stats driverStats = null;
    long droppedWarnings = 0;
    MediaLoad.Result baseline = null;
    List<String> command = List.of();
    String serverSettings = "";
    boolean pinned = false;
    String signalling = o.plaintextSignalling() ? "plaintext" : "DTLS 1.2";
    String generator = o.mediaMode() == MediaMode.PORTS && o.portsGenerator() == PortsGenerator.PER_CLIENT
        ? "nio, one socket per client, one system call per packet" : "shared sockets";
    ServerProcess.Settings settings = new ServerProcess.Settings(o.launch(), dir, db, 2 * maxCalls + 64,
        o.serverCpus(), o.serverJvmOptions(), o.serverJfr(), o.serverLogLevel(), Duration.ofSeconds(lifetime),
        o.plaintextSignalling(), o.mediaMode());
    SinglePortLoad shared = null;
    try (ServerProcess server = ServerProcess.start(settings);
        SignallingDriver driver = SignallingDriver.forServer(server, o.signallingSockets(), 30_000, false);
        MediaLoad media = new MediaLoad()) {
      command = server.command();
      serverSettings = server.settings().replaceAll("(?m)^#.*\\n", "").trim().replace('\n', ';');
      pinned = server.pinned();
      signalling = signallingLabel(server);
      progress.printf("server pid %d on %s, media ports %s%s; signalling %s%n", server.pid(),
          server.signallingAddress(), server.mediaRange(), pinned ? ", pinned to CPUs " + o.serverCpus() : "",
          signalling);
      try (MediaLoad direct = MediaLoad.direct()) {
        baseline = direct.run(new int[] {0, 1}, TimeUnit.MILLISECONDS.toNanos(500), TimeUnit.SECONDS.toNanos(1),
            DRAIN_NANOS, o.payloadBytes(), MediaLoad.WindowProbe.NONE);
      }
      List<Client> clients = new ArrayList<>();
      List<Call> up = new ArrayList<>();
      AtomicInteger dropped = new AtomicInteger();
      for (int n : steps) {
        users.ensure(2 * n);
        int from = clients.size();
        List<Client> fresh = Phases.onLoop(driver, () -> {
          List<Client> added = new ArrayList<>();
          for (int i = from; i < 2 * n; i++) {
            added.add(driver.addClient(i, BenchUsers.name(i)));
          }
          return added;
        });
        clients.addAll(fresh);
        progress.printf("step %d calls: signing in %d clients...%n", n, fresh.size());
        Phases.SignIns si = Phases.signInAll(driver, fresh, Duration.ofSeconds(60 + fresh.size() / 20));
        List<Client[]> pairs = new ArrayList<>();
        for (int i = from; i + 1 < 2 * n; i += 2) {
          pairs.add(new Client[] {clients.get(i), clients.get(i + 1)});
        }
        progress.printf("step %d calls: %d signed in (%d failed) in %d ms; setting up %d calls...%n", n,
            si.signedIn(), si.failed(), si.millis(), pairs.size());
        Phases.Calls calls = Phases.callAll(driver, pairs, Duration.ofSeconds(60 + pairs.size() / 20));
        up.addAll(calls.up());
        driver.setListener(new SignallingDriver.Listener() {
          @Override
          public void onCallFailed(Call call, String why) {
            dropped.incrementAndGet();
          }
        });
        long quiet = Phases.awaitQuiet(driver, QUIET_MILLIS, MAX_QUIET_WAIT_MILLIS);
        progress.printf("step %d calls: %d up (%d failed%s) in %d ms, quiet after %d ms; media...%n", n,
            calls.up().size(), calls.failed(), calls.lastError() == null ? "" : ": " + calls.lastError(),
            calls.millis(), quiet);
        int[] active = Phases.onLoop(driver, () -> up.stream().filter(c -> !c.finished())
            .flatMap(c -> Stream.of(c.caller(), c.callee())).mapToInt(Client::index).sorted().toArray());
        int[] ports = Phases.onLoop(driver, () -> clients.stream().mapToInt(Client::mediaPort).toArray());
        int[] ids = Phases.onLoop(driver, () -> clients.stream().mapToInt(Client::mediaId).toArray());
        boolean portsShared = o.mediaMode() == MediaMode.PORTS && o.portsGenerator() == PortsGenerator.SHARED;
        if (shared == null && ports.length > 0 && (portsShared || o.mediaMode() == MediaMode.SINGLE_PORT)) {
          shared = portsShared ? SinglePortLoad.forPorts(o.generatorBusyPoll())
              : new SinglePortLoad(ports[0], o.generatorBusyPoll());
          generator = shared.transport();
        }
        for (Call c : calls.up()) {
          int a = c.caller().index();
          int b = c.callee().index();
          if (portsShared) {
            shared.register(a, SinglePortLoad.portsModeSsrc(a), ports[a]);
            shared.register(b, SinglePortLoad.portsModeSsrc(b), ports[b]);
          } else if (shared != null) {
            shared.register(a, ids[a]);
            shared.register(b, ids[b]);
          } else {
            media.connect(a, ports[a]);
            media.connect(b, ports[b]);
          }
        }
        Step step = null;
        for (int attempt = 0; attempt <= o.busyRetries(); attempt++) {
          double idle = o.busyRetries() == 0 ? Double.NaN
              : CpuWindow.awaitIdleMachine(MAX_IDLE_WAIT_MILLIS, CpuWindow.IDLE_MACHINE_PERCENT);
          collectGeneratorGarbage();
          int droppedBefore = dropped.get();
          Probe probe = new Probe(server, driver, o.generatorBusyPoll());
          MediaLoad.Result r = shared != null
              ? shared.run(active, (long) (o.warmupSeconds() * 1e9), TimeUnit.SECONDS.toNanos(o.seconds()),
                  DRAIN_NANOS, o.payloadBytes(), probe)
              : media.run(active, (long) (o.warmupSeconds() * 1e9), TimeUnit.SECONDS.toNanos(o.seconds()),
                  DRAIN_NANOS, o.payloadBytes(), probe);
          Step s = probe.step(n, active.length / 2, calls.failed(), dropped.get() - droppedBefore, si.millis(),
              calls.millis(), quiet, r, attempt + 1);
          if (step == null || s.otherCpuPercent() < step.otherCpuPercent()) {
            step = s;
          }
          if (!(s.otherCpuPercent() > CpuWindow.BUSY_OTHERS_PERCENT)) {
            break;
          }
          progress.printf(Locale.ROOT, "step %d calls: other processes used %.0f %% of a CPU during the window "
              + "(machine %.0f %% busy before it)%s%n", n, s.otherCpuPercent(), idle,
              attempt < o.busyRetries() ? "; measuring again" : "");
        }
        MediaLoad.Result r = step.media();
        done.add(step);
        progress.printf(Locale.ROOT, "step %d calls: loss %.3f %%, p99 %s µs, server CPU %.1f %%, %.2f µs/packet, "
                + "RSS %.0f MB -> %s%n", n, r.lossPercent(), us(r.latency().quantile(0.99)), step.serverCpuPercent(),
            step.serverCpuMicrosPerPacket(), step.serverRssBytes() / 1e6, step.pass() ? "pass" : "FAIL");
        if (o.sweep() && (r.lossPercent() >= SWEEP_STOP_LOSS_PERCENT || step.generatorSaturated()
            || step.callsUp() < step.calls())) {
          break;
        }
        if (!server.alive()) {
          error = "the server exited; see its log";
          break;
        }
      }
      driverStats = driver.stats();
      droppedWarnings = server.countLogLines("too many notifications in flight");
      if (!server.alive()) {
        error = "the server exited: " + server.tail(10);
      }
    } catch (IOException | IllegalStateException e) {
      error = e.getMessage();
    } finally {
      if (shared != null) {
        shared.close();
      }
    }
    return new Report(machine, o, command, serverSettings, pinned, signalling, generator, baseline, done, error,
        driverStats, droppedWarnings);
  }

  /** Reads server, generator and machine CPU at the edges of the measured window. */
  private static final class Probe implements MediaLoad.WindowProbe {
    final ServerProcess server;
    final SignallingDriver driver;
    final CpuWindow cpu;
    long driver0;
    long driver1;
    long rss;

    /** The generator polls without sleeping: its CPU share says nothing about saturation. */
    private final boolean busyPoll;
    Probe(ServerProcess server, SignallingDriver driver, boolean busyPoll) {
      this.server = server;
      this.driver = driver;
      this.busyPoll = busyPoll;
      this.cpu = new CpuWindow(server.pid());
    }

    @Override
    public void atMeasureStart() {
      cpu.start();
      driver0 = driver.stats().loopCpuNanos();
    }

    @Override
    public void atMeasureEnd() {
      cpu.end();
      driver1 = driver.stats().loopCpuNanos();
      rss = server.rssBytes();
    }

    Step step(int calls, int up, int failed, int dropped, long signInMillis, long setupMillis, long quietMillis,
        MediaLoad.Result r, int attempts) {
      double perPacket = r.received() == 0 ? Double.NaN : cpu.serverNanos() / 1000.0 / r.received();
      double window = r.measuredNanos();
      double sender = 100.0 * r.senderCpuNanos() / window;
      double receiver = 100.0 * r.receiverCpuNanos() / window;
      // A busy-polling generator's core is always busy: only its lateness and failed sends tell.
      boolean saturated = r.lateness().quantile(0.9) > SATURATED_LATENESS_NANOS || r.sendFailures() > 0
          || !busyPoll && (sender > 100 * SATURATED_THREAD_SHARE || receiver > 100 * SATURATED_THREAD_SHARE
              || cpu.generatorSharePercent() > 100 * SATURATED_THREAD_SHARE);
      return new Step(calls, up, failed, dropped, signInMillis, setupMillis, quietMillis, r, cpu.serverPercent(),
          perPacket, rss, cpu.generatorPercent(), sender, receiver, 100.0 * (driver1 - driver0) / cpu.wallNanos(),
          saturated, cpu.othersPercent(), cpu.interruptPercent(), cpu.stealPercent(), cpu.toJson(),
          cpu.threadSummary(), attempts, cpu.udpReceiveDrops());
    }
  }

  /**
   * A full collection of this (the generator's) JVM before a step's media starts: the sign-ins and set-ups just
   * before leave garbage and class metadata behind, and the full collection they would otherwise bring about later
   * (seen: 49 ms, "Metadata GC Threshold", as a fresh 2,000-call window opened) stops the generator's sending and
   * reading while the window is measured, which shows as relay latency and, when it sends what it owes at once,
   * as loss. Taken here, before the warm-up, it stops nothing that is measured. Nothing in the server is touched.
   */
  static void collectGeneratorGarbage() {
    System.gc();
  }

  static String us(long nanos) {
    return String.format(Locale.ROOT, nanos < 10_000 ? "%.1f" : "%.0f", nanos / 1000.0);
  }

  static Json latencyJson(LatencyHistogram h) {
    return Json.object().put("count", h.count()).put("p50", h.quantile(0.5) / 1000.0)
        .put("p90", h.quantile(0.9) / 1000.0).put("p99", h.quantile(0.99) / 1000.0)
        .put("p999", h.quantile(0.999) / 1000.0).put("max", h.max() / 1000.0).put("mean", h.mean() / 1000.0);
  }

  static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // best effort: it is a temp directory
        }
      });
    } catch (IOException e) {
      // best effort
    }
  }
}
