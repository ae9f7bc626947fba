package io.causerie.bench;

import io.causerie.bench.SignallingDriver.Call;
import io.causerie.bench.SignallingDriver.Client;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code causerie bench signalling}: open-loop load on a real server's call router and sign-in path. Calls: at
 * a fixed rate, a pre-signed-in idle pair runs CALL, INCOMING, ACCEPT, CALL_STARTED, HANGUP, CALL_ENDED.
 * Sign-ins: at a fixed rate, a pool user runs the full SCRAM exchange, takes its presence snapshot and signs
 * out. Latencies are measured from when each attempt was due, so a slow server cannot hide its queueing
 * (no coordinated omission); an arrival that finds no idle pair or user counts as shed.
 */
public final class SignallingBench {
  /** Targets from the issue: call set-ups per second, p95 set-up time, sign-ins per second. */
  public static final int TARGET_SETUPS_PER_SECOND = 2000;
  public static final long TARGET_SETUP_P95_NANOS = 10_000_000;
  public static final int TARGET_SIGN_INS_PER_SECOND = 1000;
  /** After this long without an answer, a sign-in signs out without waiting for its presence snapshot. */
  static final long SNAPSHOT_WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);
  /** How long after the last arrival the phase waits for attempts in flight. */
  static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(10);
  static final long PUMP_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  /** Fresh DTLS handshakes timed by default after the sign-ins. */
  public static final int DEFAULT_HANDSHAKES = 200;
  /** ... at most this many at once (a handful of clients connecting together). */
  static final int HANDSHAKE_CONCURRENCY = 4;

  /** Fresh DTLS handshakes and what they cost the server. */
  public record Handshakes(DtlsHandshakes.Result result, double serverCpuPercent, double serverCpuMillisEach,
      double generatorCpuPercent, double otherCpuPercent, String serverThreads) {
    Json toJson() {
      return result.toJson().put("concurrency", HANDSHAKE_CONCURRENCY).put("serverCpuPercent", serverCpuPercent)
          .put("serverCpuMillisPerHandshake", serverCpuMillisEach).put("generatorCpuPercent", generatorCpuPercent)
          .put("otherProcessesCpuPercent", otherCpuPercent);
    }

    String toText() {
      LatencyHistogram l = result.latency();
      return String.format(Locale.ROOT, "handshakes %d fresh DTLS handshakes (%d at once): %d done, %d failed, "
              + "%.1f/s%n          connect to established p50 %s p95 %s p99 %s max %s ms%n"
              + "          CPU: server %.0f %% = %.2f ms per handshake, generator %.0f %%, other processes %.0f %%%n"
              + "          server threads (user%%+system%%): %s%s",
          result.attempted(), HANDSHAKE_CONCURRENCY, result.completed(), result.failed(), result.perSecond(),
          ms(l.quantile(0.5)), ms(l.quantile(0.95)), ms(l.quantile(0.99)), ms(l.max()), serverCpuPercent,
          serverCpuMillisEach, generatorCpuPercent, otherCpuPercent, serverThreads,
          result.lastError() == null ? "" : "\n          last error: " + result.lastError());
    }
  }

  /**
   * What to run.
   *
   * @param rate call set-ups per second offered
   * @param signInRate sign-ins per second offered
   * @param pairs signed-in pairs taking turns at calls (each pair is busy for one call at a time)
   * @param signInUsers users taking turns at signing in and out
   * @param fullScram run PBKDF2 in the generator on every sign-in, as the product client does
   * @param plaintextSignalling run the server with plaintext signalling (for comparison; DTLS otherwise)
   * @param handshakes fresh DTLS handshakes to time after the sign-ins (what each product client pays before its
   *     first sign-in; the driver's own sessions share one association per socket); 0 for none
   */
  public record Options(int rate, int seconds, int signInRate, int pairs, int signInUsers, String serverCpus,
      List<String> serverJvmOptions, Path serverJfr, String serverLogLevel, ServerProcess.Launch launch,
      int signallingSockets, boolean fullScram, boolean keepFiles, int busyRetries, int warmupSeconds,
      boolean plaintextSignalling, int handshakes) {
    /** DTLS signalling (the server's default) and {@link #DEFAULT_HANDSHAKES} handshakes. */
    public Options(int rate, int seconds, int signInRate, int pairs, int signInUsers, String serverCpus,
        List<String> serverJvmOptions, Path serverJfr, String serverLogLevel, ServerProcess.Launch launch,
        int signallingSockets, boolean fullScram, boolean keepFiles, int busyRetries, int warmupSeconds) {
      this(rate, seconds, signInRate, pairs, signInUsers, serverCpus, serverJvmOptions, serverJfr, serverLogLevel,
          launch, signallingSockets, fullScram, keepFiles, busyRetries, warmupSeconds, false, DEFAULT_HANDSHAKES);
    }

    public Options {
      if (rate < 1 || seconds < 1 || signInRate < 1 || pairs < 1 || signInUsers < 1 || warmupSeconds < 0) {
        throw new IllegalArgumentException("rates, seconds, pairs and users must be at least 1");
      }
      if (handshakes < 0) {
        throw new IllegalArgumentException("--handshakes must be 0 or more");
      }
      serverJvmOptions = List.copyOf(serverJvmOptions);
    }

    /** Sign-in rate when none is given: half the call rate, as the targets are. */
    public static int defaultSignInRate(int rate) {
      return Math.max(1, rate / 2);
    }

    /** Pairs when none are given: each pair is reused every 100 ms at the offered rate. */
    public static int defaultPairs(int rate) {
      return Math.max(8, (rate + 9) / 10);
    }

    /** Sign-in users when none are given: each signs in again after 200 ms at the offered rate. */
    public static int defaultSignInUsers(int signInRate) {
      return Math.max(16, (signInRate + 4) / 5);
    }
  }

  /** One open-loop phase. Latencies in nanoseconds. */
  public record Phase(String name, int offeredPerSecond, int seconds, long attempted, long completed, long failed,
      long shed, long unfinished, double achievedPerSecond, LatencyHistogram latency, String latencyName,
      LatencyHistogram full, String fullName, double serverCpuPercent, double generatorCpuPercent,
      double driverCpuPercent, long serverRssBytes, String lastError, double otherCpuPercent,
      double stealCpuPercent, Json cpu, String serverThreads, long udpReceiveDrops) {

    Json toJson() {
      return Json.object().put("offeredPerSecond", offeredPerSecond).put("seconds", seconds)
          .put("attempted", attempted).put("completed", completed).put("failed", failed).put("shed", shed)
          .put("unfinished", unfinished).put("achievedPerSecond", achievedPerSecond)
          .put(latencyName + "Millis", millisJson(latency)).put(fullName + "Millis", millisJson(full))
          .put("serverCpuPercent", serverCpuPercent).put("generatorCpuPercent", generatorCpuPercent)
          .put("driverCpuPercent", driverCpuPercent).put("serverRssMB", serverRssBytes / 1e6)
          .put("otherProcessesCpuPercent", otherCpuPercent).put("stealCpuPercent", stealCpuPercent)
          .put("cpu", cpu).put("lastError", lastError);
    }

    String toText() {
      return String.format(Locale.ROOT, "%-9s offered %5d/s  achieved %7.1f/s  done %6d  failed %5d  shed %5d  "
              + "unfinished %4d%n          %s p50 %s p95 %s p99 %s max %s ms; %s p50 %s p95 %s p99 %s ms%n"
              + "          CPU: server %.0f %%, generator %.0f %% (driver thread %.0f %%), other processes %.0f %%%n"
          + "          server threads (user%%+system%%): %s%n"
          + "          UDP datagrams dropped for full receive buffers (machine-wide): %d%s",
          name, offeredPerSecond, achievedPerSecond, completed, failed, shed, unfinished, latencyName,
          ms(latency.quantile(0.5)), ms(latency.quantile(0.95)), ms(latency.quantile(0.99)), ms(latency.max()),
          fullName, ms(full.quantile(0.5)), ms(full.quantile(0.95)), ms(full.quantile(0.99)), serverCpuPercent,
          generatorCpuPercent, driverCpuPercent, otherCpuPercent, serverThreads, udpReceiveDrops,
          lastError == null ? "" : "\n          last error: " + lastError);
    }
  }

  /** Everything a run found. */
  public record Report(Machine machine, Options options, List<String> serverCommand, String serverSettings,
      boolean serverPinned, String signalling, List<Long> driverHandshakeNanos,
      int usersInDatabase, Phase calls, Phase signIns, Handshakes handshakes, SignallingDriver.Stats driver,
      long derivations, String error) {

    public Json toJson() {
      Json o = Json.object().put("bench", "signalling").put("machine", machine.toJson())
          .put("options", Json.object().put("rate", options.rate()).put("seconds", options.seconds())
              .put("signInRate", options.signInRate()).put("pairs", options.pairs())
              .put("signInUsers", options.signInUsers()).put("fullScram", options.fullScram())
              .put("warmupSeconds", options.warmupSeconds())
              .put("plaintextSignalling", options.plaintextSignalling()).put("handshakes", options.handshakes())
              .put("serverCpus", options.serverCpus()).put("serverLogLevel", options.serverLogLevel()))
          .put("serverPinned", serverPinned).put("signallingSecurity", signalling)
          .put("driverHandshakeMillis", driverHandshakeNanos.stream().map(n -> n / 1e6).toList().toString())
          .put("serverCommand", String.join(" ", serverCommand))
          .put("serverSettings", serverSettings)
          .put("usersInDatabase", usersInDatabase)
          .put("targets", Json.object().put("setupsPerSecond", TARGET_SETUPS_PER_SECOND)
              .put("setupP95Millis", TARGET_SETUP_P95_NANOS / 1e6).put("signInsPerSecond", TARGET_SIGN_INS_PER_SECOND))
          .put("callSetups", calls == null ? null : calls.toJson())
          .put("signIns", signIns == null ? null : signIns.toJson())
          .put("dtlsHandshakes", handshakes == null ? null : handshakes.toJson())
          .put("generatorPbkdf2Derivations", derivations);
      if (driver != null) {
        o.put("signalling", Json.object().put("datagramsIn", driver.datagramsIn())
            .put("datagramsOut", driver.datagramsOut()).put("presence", driver.presence())
            .put("duplicateNotifications", driver.duplicateNotifications())
            .put("retransmissions", driver.retransmissions()).put("giveUps", driver.giveUps())
            .put("associationsLost", driver.associationsLost()));
      }
      return o.put("error", error);
    }

    public String toText() {
      StringBuilder sb = new StringBuilder("causerie bench signalling\n");
      sb.append("machine: ").append(machine.summary()).append('\n');
      sb.append("server: ").append(serverPinned ? "pinned with taskset -c " + options.serverCpus() : "not pinned")
          .append(", log level ").append(options.serverLogLevel()).append(", settings: ").append(serverSettings)
          .append("; ").append(usersInDatabase)
          .append(" users in the database, ").append(2 * options.pairs()).append(" signed in for calls\n");
      sb.append("signalling: ").append(signalling);
      if (!driverHandshakeNanos.isEmpty()) {
        sb.append("; the driver's ").append(driverHandshakeNanos.size())
            .append(" sockets each handshook once, all sessions multiplexed over them (")
            .append(String.join(", ", driverHandshakeNanos.stream().map(SignallingBench::ms).toList()))
            .append(" ms)");
      }
      sb.append('\n');
      sb.append("open loop after ").append(options.warmupSeconds())
          .append(" s of unmeasured warm-up per phase, latencies from when each attempt was due; ")
          .append(options.fullScram() ? "generator runs PBKDF2 per sign-in" : "generator caches SaltedPassword")
          .append('\n');
      if (calls != null) {
        sb.append(calls.toText()).append('\n');
      }
      if (signIns != null) {
        sb.append(signIns.toText()).append('\n');
      }
      if (handshakes != null) {
        sb.append(handshakes.toText()).append('\n');
      }
      if (driver != null) {
        sb.append(String.format(Locale.ROOT, "generator: %d datagrams in (%d presence), %d out, %d retransmissions, "
            + "%d give-ups%n", driver.datagramsIn(), driver.presence(), driver.datagramsOut(), driver.retransmissions(),
            driver.giveUps()));
      }
      if (error != null) {
        sb.append("error: ").append(error).append('\n');
      }
      return sb.toString();
    }
  }

  private SignallingBench() {}

  public static Report run(Options o, PrintStream progress) throws IOException, InterruptedException {
    Machine machine = Machine.describe();
    Path dir = Files.createTempDirectory("causerie-bench-signalling-");
    try {
      return run(o, progress, machine, dir);
    } finally {
      if (!o.keepFiles()) {
        RelayBench.deleteTree(dir);
      } else {
        progress.println("kept " + dir);
      }
    }
  }

  private static Report run(Options o, PrintStream progress, Machine machine, Path dir)
      throws IOException, InterruptedException {
    String db = dir.resolve("bench.db").toString();
    int users = 2 * o.pairs() + o.signInUsers();
    progress.printf("creating %d users...%n", users);
    new BenchUsers(db).ensure(users);
    ServerProcess.Settings settings = new ServerProcess.Settings(o.launch(), dir, db, users + 64, o.serverCpus(),
        o.serverJvmOptions(), o.serverJfr(), o.serverLogLevel(),
        Duration.ofSeconds(180 + 3L * o.seconds() + o.handshakes() / 10), o.plaintextSignalling());
    String signalling = o.plaintextSignalling() ? "plaintext" : "DTLS 1.2";
    List<Long> driverHandshakes = List.of();
    Handshakes handshakes = null;
    List<String> command = List.of();
    String serverSettings = "";
    boolean pinned = false;
    Phase calls = null;
    Phase signIns = null;
    SignallingDriver.Stats stats = null;
    long derivations = 0;
    String error = null;
    try (ServerProcess server = ServerProcess.start(settings);
        SignallingDriver driver = SignallingDriver.forServer(server, o.signallingSockets(), 10_000, o.fullScram())) {
      command = server.command();
      serverSettings = server.settings().replaceAll("(?m)^#.*\\n", "").trim().replace('\n', ';');
      pinned = server.pinned();
      signalling = RelayBench.signallingLabel(server);
      driverHandshakes = driver.handshakeNanos();
      progress.printf("server pid %d on %s%s; signalling %s%n", server.pid(), server.signallingAddress(),
          pinned ? ", pinned to CPUs " + o.serverCpus() : "", signalling);
      List<Client> all = Phases.onLoop(driver, () -> {
        List<Client> cs = new ArrayList<>();
        for (int i = 0; i < users; i++) {
          cs.add(driver.addClient(i, BenchUsers.name(i)));
        }
        return cs;
      });
      List<Client> pairClients = all.subList(0, 2 * o.pairs());
      Phases.SignIns si = Phases.signInAll(driver, pairClients, Duration.ofSeconds(60 + pairClients.size() / 20));
      if (si.failed() > 0) {
        throw new IllegalStateException(si.failed() + " of the pairs could not sign in: " + si.lastError());
      }
      Phases.awaitQuiet(driver, 500, 20_000);
      progress.printf("%d pairs signed in; call set-ups at %d/s for %d s...%n", o.pairs(), o.rate(), o.seconds());
      Client[][] pairs = new Client[o.pairs()][];
      for (int p = 0; p < pairs.length; p++) {
        pairs[p] = new Client[] {pairClients.get(2 * p), pairClients.get(2 * p + 1)};
      }
      if (o.warmupSeconds() > 0) {
        progress.printf("warming the server up: %d s of call set-ups, not measured%n", o.warmupSeconds());
        measure(server, driver, o.warmupSeconds(), new CallLoad(driver, pairs, o.rate(), o.warmupSeconds()));
      }
      calls = measureQuietly(o, progress, () -> {
        Phases.awaitQuiet(driver, 500, 20_000);
        return measure(server, driver, o.seconds(), new CallLoad(driver, pairs, o.rate(), o.seconds()));
      });
      progress.println(calls.toText());
      Phases.awaitQuiet(driver, 500, 20_000);
      progress.printf("sign-ins at %d/s for %d s...%n", o.signInRate(), o.seconds());
      List<Client> pool = all.subList(2 * o.pairs(), users);
      if (o.warmupSeconds() > 0) {
        progress.printf("warming the server up: %d s of sign-ins, not measured%n", o.warmupSeconds());
        Phases.awaitQuiet(driver, 500, 20_000);
        measure(server, driver, o.warmupSeconds(), new SignInLoad(driver, pool, o.signInRate(), o.warmupSeconds()));
      }
      signIns = measureQuietly(o, progress, () -> {
        Phases.awaitQuiet(driver, 500, 20_000);
        return measure(server, driver, o.seconds(), new SignInLoad(driver, pool, o.signInRate(), o.seconds()));
      });
      progress.println(signIns.toText());
      if (!server.plaintextSignalling() && o.handshakes() > 0) {
        Phases.awaitQuiet(driver, 500, 20_000);
        if (o.warmupSeconds() > 0) {
          // Cold, the JIT compiles BouncyCastle's EC code on both sides during the first handshakes.
          progress.printf("warming up: %d fresh DTLS handshakes, not measured%n", o.handshakes());
          DtlsHandshakes.measure(server.signallingAddress(), server.fingerprintPolicy(), o.handshakes(),
              HANDSHAKE_CONCURRENCY);
        }
        progress.printf("%d fresh DTLS handshakes, %d at once...%n", o.handshakes(), HANDSHAKE_CONCURRENCY);
        handshakes = measureHandshakes(server, o.handshakes());
        progress.println(handshakes.toText());
      }
      stats = driver.stats();
      derivations = driver.derivations();
      if (!server.alive()) {
        error = "the server exited: " + server.tail(10);
      }
    } catch (IOException | IllegalStateException e) {
      error = e.getMessage();
    }
    return new Report(machine, o, command, serverSettings, pinned, signalling, driverHandshakes, users, calls,
        signIns, handshakes, stats, derivations, error);
  }

  /** Fresh handshakes from new sockets, with the server's CPU over them. */
  private static Handshakes measureHandshakes(ServerProcess server, int count) throws IOException {
    CpuWindow cpu = new CpuWindow(server.pid());
    cpu.start();
    DtlsHandshakes.Result r = DtlsHandshakes.measure(server.signallingAddress(), server.fingerprintPolicy(), count,
        HANDSHAKE_CONCURRENCY);
    cpu.end();
    double each = r.completed() == 0 ? Double.NaN : cpu.serverNanos() / 1e6 / r.completed();
    return new Handshakes(r, cpu.serverPercent(), each, cpu.generatorPercent(), cpu.othersPercent(),
        cpu.threadSummary());
  }

  /** A phase that can be run again. */
  private interface PhaseRun {
    Phase run() throws InterruptedException;
  }

  /**
   * Runs a phase once the machine is idle, and again (up to {@code busyRetries} times) while other processes
   * used more than {@link CpuWindow#BUSY_OTHERS_PERCENT} of a CPU during it; keeps the quietest run.
   */
  private static Phase measureQuietly(Options o, PrintStream progress, PhaseRun run) throws InterruptedException {
    Phase best = null;
    for (int attempt = 0; attempt <= o.busyRetries(); attempt++) {
      if (o.busyRetries() > 0) {
        CpuWindow.awaitIdleMachine(RelayBench.MAX_IDLE_WAIT_MILLIS, CpuWindow.IDLE_MACHINE_PERCENT);
      }
      Phase p = run.run();
      if (best == null || p.otherCpuPercent() < best.otherCpuPercent()) {
        best = p;
      }
      if (!(p.otherCpuPercent() > CpuWindow.BUSY_OTHERS_PERCENT)) {
        break;
      }
      progress.printf(Locale.ROOT, "%s: other processes used %.0f %% of a CPU meanwhile%s%n", p.name(),
          p.otherCpuPercent(), attempt < o.busyRetries() ? "; measuring again" : "");
    }
    return best;
  }

  /** What an open-loop load does on the driver's thread. */
  private abstract static class Load implements SignallingDriver.Listener {
    final SignallingDriver d;
    final int rate;
    final int seconds;
    final long total;
    final long intervalNanos;
    final CompletableFuture<Void> done = new CompletableFuture<>();
    final LatencyHistogram latency = new LatencyHistogram();
    final LatencyHistogram full = new LatencyHistogram();
    long t0;
    long launched;
    long inFlight;
    long completed;
    long failed;
    long shed;
    long lastCompletionNanos;
    String lastError;

    Load(SignallingDriver d, int rate, int seconds) {
      this.d = d;
      this.rate = rate;
      this.seconds = seconds;
      this.total = (long) rate * seconds;
      this.intervalNanos = 1_000_000_000L / rate;
    }

    abstract String name();

    /** Starts one attempt due at {@code dueNanos}; false if nobody is idle (shed). */
    abstract boolean launch(long dueNanos);

    void start() {
      t0 = System.nanoTime();
      pump();
    }

    private void pump() {
      long due = Math.min(total, (System.nanoTime() - t0) / intervalNanos + 1);
      while (launched < due) {
        long at = t0 + launched * intervalNanos;
        launched++;
        if (launch(at)) {
          inFlight++;
        } else {
          shed++;
        }
      }
      if (launched < total) {
        d.schedule(PUMP_NANOS, this::pump);
      } else {
        checkDone();
      }
    }

    void finished(boolean ok, String why) {
      inFlight--;
      if (ok) {
        completed++;
        lastCompletionNanos = System.nanoTime();
      } else {
        failed++;
        lastError = why;
      }
      checkDone();
    }

    void checkDone() {
      if (launched == total && inFlight == 0) {
        done.complete(null);
      }
    }

    /** Completions per second from the first arrival to the last completion (at least the offered window). */
    double achieved() {
      double window = Math.max(seconds * 1e9, lastCompletionNanos - t0);
      return completed * 1e9 / window;
    }
  }

  /** Calls between idle pairs, hung up as soon as both sides were told CALL_STARTED. */
  private static final class CallLoad extends Load {
    final Client[][] pairs;
    final boolean[] busy;
    final boolean[] broken;
    int next;

    CallLoad(SignallingDriver d, Client[][] pairs, int rate, int seconds) {
      super(d, rate, seconds);
      this.pairs = pairs;
      this.busy = new boolean[pairs.length];
      this.broken = new boolean[pairs.length];
    }

    @Override
    String name() {
      return "call set-ups";
    }

    @Override
    boolean launch(long dueNanos) {
      for (int i = 0; i < pairs.length; i++) {
        int p = (next + i) % pairs.length;
        if (!busy[p] && !broken[p]) {
          next = p + 1;
          busy[p] = true;
          Call c = d.call(pairs[p][0], pairs[p][1], dueNanos);
          c.tag = p;
          return true;
        }
      }
      return false;
    }

    @Override
    public void onCallStarted(Call call) {
      latency.record(call.startedNanos() - call.startNanos());
      d.hangUp(call);
    }

    @Override
    public void onCallHungUp(Call call) {
      full.record(System.nanoTime() - call.startNanos());
      busy[(Integer) call.tag] = false;
      finished(true, null);
    }

    @Override
    public void onCallFailed(Call call, String why) {
      int p = (Integer) call.tag;
      busy[p] = false;
      if (why.startsWith("no answer") || why.startsWith("session lost")) {
        broken[p] = true; // the server may still hold this call: do not trip over it
      }
      finished(false, why);
    }
  }

  /** Pool users signing in (full SCRAM exchange), taking their presence snapshot, signing out. */
  private static final class SignInLoad extends Load {
    final List<Client> pool;
    final boolean[] busy;
    final int[] generation;
    int next;

    SignInLoad(SignallingDriver d, List<Client> pool, int rate, int seconds) {
      super(d, rate, seconds);
      this.pool = pool;
      this.busy = new boolean[pool.size()];
      this.generation = new int[pool.size()];
    }

    @Override
    String name() {
      return "sign-ins";
    }

    private int slot(Client c) {
      return c.index() - pool.get(0).index();
    }

    @Override
    boolean launch(long dueNanos) {
      for (int i = 0; i < pool.size(); i++) {
        int u = (next + i) % pool.size();
        if (!busy[u]) {
          next = u + 1;
          busy[u] = true;
          d.signIn(pool.get(u), dueNanos);
          return true;
        }
      }
      return false;
    }

    @Override
    public void onSignedIn(Client c) {
      latency.record(c.signInDoneNanos() - c.signInStartNanos());
      int slot = slot(c);
      int gen = ++generation[slot];
      d.schedule(SNAPSHOT_WAIT_NANOS, () -> {
        if (generation[slot] == gen && c.state() == SignallingDriver.State.ONLINE) {
          d.signOut(c); // no snapshot came: sign out anyway
        }
      });
    }

    @Override
    public void onSnapshot(Client c) {
      full.record(System.nanoTime() - c.signInStartNanos());
      d.signOut(c);
    }

    @Override
    public void onSignedOut(Client c) {
      busy[slot(c)] = false;
      finished(true, null);
    }

    @Override
    public void onSignInFailed(Client c, String why) {
      busy[slot(c)] = false;
      finished(false, why);
    }

    @Override
    public void onSessionLost(Client c, String why) {
      busy[slot(c)] = false;
      finished(false, why);
    }
  }

  private static Phase measure(ServerProcess server, SignallingDriver driver, int seconds, Load load)
      throws InterruptedException {
    CpuWindow cpu = new CpuWindow(server.pid());
    cpu.start();
    long driver0 = driver.stats().loopCpuNanos();
    driver.setListener(load);
    driver.execute(load::start);
    try {
      load.done.get(TimeUnit.SECONDS.toMillis(seconds) + TimeUnit.NANOSECONDS.toMillis(DRAIN_NANOS) + 2_000,
          TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      // attempts still in flight: counted as unfinished below
    }
    cpu.end();
    long driver1 = driver.stats().loopCpuNanos();
    driver.setListener(new SignallingDriver.Listener() {});
    // Read the load's counters on its own thread.
    return Phases.onLoop(driver, () -> new Phase(load.name(), load.rate, load.seconds, load.launched,
        load.completed, load.failed, load.shed, load.inFlight, load.achieved(), copy(load.latency),
        load instanceof CallLoad ? "setup" : "signIn", copy(load.full),
        load instanceof CallLoad ? "setupAndHangup" : "signInAndSnapshot", cpu.serverPercent(),
        cpu.generatorPercent(), 100.0 * (driver1 - driver0) / cpu.wallNanos(), server.rssBytes(), load.lastError,
        cpu.othersPercent(), cpu.stealPercent(), cpu.toJson(), cpu.threadSummary(), cpu.udpReceiveDrops()));
  }

  private static LatencyHistogram copy(LatencyHistogram h) {
    LatencyHistogram c = new LatencyHistogram();
    c.add(h);
    return c;
  }

  static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.2f", nanos / 1e6);
  }

  static Json millisJson(LatencyHistogram h) {
    return Json.object().put("count", h.count()).put("p50", h.quantile(0.5) / 1e6).put("p95", h.quantile(0.95) / 1e6)
        .put("p99", h.quantile(0.99) / 1e6).put("max", h.max() / 1e6).put("mean", h.mean() / 1e6);
  }
}
