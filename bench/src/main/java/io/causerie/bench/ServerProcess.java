package io.causerie.bench;

import io.causerie.protocol.Message;
import io.causerie.protocol.MessageCodec;
import io.causerie.protocol.ProtocolException;
import io.causerie.server.CauserieServer;
import io.causerie.server.MediaMode;
import io.causerie.server.ServerJvm;
import io.causerie.server.ServerConfig;
import io.causerie.transport.dtls.ServerFingerprintPolicy;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real Causerie server in its own JVM, spawned with this JVM's java binary and class path, bound to
 * 127.0.0.1 only, optionally pinned to CPUs with {@code taskset} and always wrapped in {@code timeout} (when
 * present) so it stops by itself even if the bench dies.
 */
public final class ServerProcess implements AutoCloseable {

  /** The main class and leading arguments that run the server command, e.g. {@code io.causerie.app.Main server}. */
  public record Launch(String mainClass, List<String> args) {
    public Launch {
      args = List.copyOf(args);
    }

    /** {@code causerie server}. */
    public static Launch app() {
      return new Launch("io.causerie.app.Main", List.of("server"));
    }
  }

  /**
   * How to start the server.
   *
   * @param launch the server command
   * @param dir working directory: database, config and log live here
   * @param db database path
   * @param mediaPorts how many media ports the server needs (one per signed-in client)
   * @param cpus taskset CPU list for the server, or null for no pinning
   * @param jvmOptions extra JVM options (e.g. -Xmx), after the server's defaults ({@link ServerJvm#merge})
   * @param jfr where to write a JFR recording of the whole run, or null
   * @param logLevel the server's log level (CAUSERIE_LOG_LEVEL)
   * @param lifetime hard limit: the server is killed after this even if nobody stops it
   * @param plaintextSignalling start the server with {@code --insecure-plaintext-signalling} (for comparison);
   *     otherwise signalling is DTLS 1.2, the server's default
   */
  public record Settings(Launch launch, Path dir, String db, int mediaPorts, String cpus, List<String> jvmOptions,
      Path jfr, String logLevel, Duration lifetime, boolean plaintextSignalling, MediaMode mediaMode) {
    public Settings {
      jvmOptions = List.copyOf(jvmOptions);
      java.util.Objects.requireNonNull(mediaMode, "mediaMode");
    }

    /** One media port per client (the server's default). */
    public Settings(Launch launch, Path dir, String db, int mediaPorts, String cpus, List<String> jvmOptions,
        Path jfr, String logLevel, Duration lifetime, boolean plaintextSignalling) {
      this(launch, dir, db, mediaPorts, cpus, jvmOptions, jfr, logLevel, lifetime, plaintextSignalling,
          MediaMode.PORTS);
    }

    /** A DTLS server (the default). */
    public Settings(Launch launch, Path dir, String db, int mediaPorts, String cpus, List<String> jvmOptions,
        Path jfr, String logLevel, Duration lifetime) {
      this(launch, dir, db, mediaPorts, cpus, jvmOptions, jfr, logLevel, lifetime, false);
    }
  }

  /** The server flag that chooses the media port layout. */
  public static final String MEDIA_MODE_FLAG = "--media-mode";

  /** The server flag that turns DTLS off. */
  public static final String PLAINTEXT_FLAG = "--insecure-plaintext-signalling";

  /**
   * Settings a bench from one address must raise, each to far above any bench: sessions in all and per address
   * (the issue's two), and, where the server has them, the per-address rate limit on datagrams without a
   * session (sign-ins).
   */
  static final java.util.Map<String, String> RAISED = new java.util.LinkedHashMap<>();

  static {
    RAISED.put("max-sessions", "1000000");
    RAISED.put("max-sessions-per-address", "1000000");
    RAISED.put("unauthenticated-rate", "1000000");
    RAISED.put("unauthenticated-burst", "1000000");
  }

  /** Settings that every server version so far accepts in its --config file. */
  static final java.util.Set<String> ALWAYS_KNOWN = java.util.Set.of("max-sessions", "max-sessions-per-address");
  /** How long the server may take to answer its first datagram. */
  static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final long pid;
  private final InetSocketAddress signalling;
  private final int mediaFrom;
  private final int mediaTo;
  private final Path log;
  private final List<String> command;
  private final boolean pinned;
  private final boolean plaintext;
  /** The server certificate's fingerprint when learnt before start (pinned), else null (trust on first use). */
  private final String fingerprint;
  private final ServerFingerprintPolicy policy;
  private final Thread cleanup;

  private ServerProcess(Process process, long pid, InetSocketAddress signalling, int mediaFrom, int mediaTo, Path log,
      List<String> command, boolean pinned, boolean plaintext, String fingerprint) {
    this.plaintext = plaintext;
    this.fingerprint = fingerprint;
    this.policy = plaintext ? null
        : fingerprint != null ? ServerFingerprintPolicy.pinned(fingerprint) : DtlsHandshakes.trustOnFirstUse();
    this.process = process;
    this.pid = pid;
    this.signalling = signalling;
    this.mediaFrom = mediaFrom;
    this.mediaTo = mediaTo;
    this.log = log;
    this.command = command;
    this.pinned = pinned;
    this.cleanup = new Thread(this::stop, "bench-server-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
  }

  /** Spawns the server and waits until it answers on its signalling port. */
  public static ServerProcess start(Settings s) throws IOException {
    int port = Ports.freeUdpPort();
    int[] media = Ports.randomFreeRange(s.mediaPorts());
    Path config = s.dir().resolve("server.properties");
    java.util.Set<String> known = knownSettings(s.launch(), s.dir());
    StringBuilder settings =
        new StringBuilder("# written by causerie bench: one address signs in every bench client\n");
    RAISED.forEach((k, v) -> {
      if (known.contains(k)) {
        settings.append(k).append(" = ").append(v).append('\n');
      }
    });
    Files.writeString(config, settings, StandardCharsets.UTF_8);
    Path log = s.dir().resolve("server.log");
    String fingerprint = s.plaintextSignalling() ? null : learnFingerprint(s.db());

    List<String> cmd = new ArrayList<>();
    long lifetimeSeconds = Math.max(30, s.lifetime().toSeconds());
    if (onPath("timeout")) {
      cmd.addAll(List.of("timeout", "-k", "10", Long.toString(lifetimeSeconds)));
    }
    boolean pin = s.cpus() != null && !s.cpus().isBlank() && onPath("taskset");
    if (pin) {
      cmd.addAll(List.of("taskset", "-c", s.cpus()));
    }
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(ServerJvm.merge(s.jvmOptions())); // the server's defaults, as ./causerie server starts it
    if (s.jfr() != null) {
      cmd.add("-XX:StartFlightRecording=filename=" + s.jfr().toAbsolutePath() + ",settings=profile,dumponexit=true");
    }
    cmd.addAll(List.of("-cp", absoluteClassPath(), s.launch().mainClass()));
    cmd.addAll(s.launch().args());
    cmd.addAll(List.of("--db", s.db(), "--bind", "127.0.0.1", "--port", Integer.toString(port),
        "--media-ports", media[0] + "-" + media[1], "--config", config.toString()));
    if (s.plaintextSignalling()) {
      cmd.add(PLAINTEXT_FLAG);
    }
    if (s.mediaMode() != MediaMode.PORTS) {
      cmd.addAll(List.of(MEDIA_MODE_FLAG, s.mediaMode().label()));
    }

    ProcessBuilder pb = new ProcessBuilder(cmd).directory(s.dir().toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().put("CAUSERIE_LOG_LEVEL", s.logLevel());
    ServerJvm.DEFAULT_ENVIRONMENT.forEach(pb.environment()::putIfAbsent);
    Process p = pb.start();
    long javaPid = javaPid(p);
    ServerProcess sp = new ServerProcess(p, javaPid, new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
        media[0], media[1], log, cmd, pin, s.plaintextSignalling(), fingerprint);
    try {
      sp.awaitReady();
    } catch (IOException | RuntimeException e) {
      sp.close();
      throw e;
    }
    return sp;
  }

  /**
   * The fingerprint of the DTLS certificate the server will present: the server keeps its key in the database and
   * creates it on first use, so creating it here first (what {@code causerie server --print-fingerprint --db DB}
   * does, without starting another JVM) tells the bench what to pin. Null if the database cannot say; the bench
   * then trusts on first use.
   */
  static String learnFingerprint(String db) {
    try {
      return CauserieServer.fingerprintOf(ServerConfig.defaults().withDb(db));
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * The settings the server's --config accepts, from {@code --print-config} (one "key = value" per line);
   * just {@link #ALWAYS_KNOWN} if it cannot say.
   */
  static java.util.Set<String> knownSettings(Launch launch, Path dir) {
    java.util.Set<String> keys = new java.util.TreeSet<>(ALWAYS_KNOWN);
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", absoluteClassPath(), launch.mainClass()));
    cmd.addAll(launch.args());
    cmd.add("--print-config");
    try {
      Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return keys;
      }
      if (p.exitValue() == 0) {
        for (String line : out.split("\n")) {
          int eq = line.indexOf('=');
          if (!line.startsWith("#") && eq > 0) {
            keys.add(line.substring(0, eq).trim());
          }
        }
      }
    } catch (IOException e) {
      // keep the known minimum
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return keys;
  }

  /** The settings file the server was started with. */
  public String settings() {
    try {
      return Files.readString(log.resolveSibling("server.properties"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** The JVM's pid: the process itself, or the child of the {@code timeout} wrapper (taskset execs java in place). */
  private static long javaPid(Process p) throws IOException {
    if (!p.info().command().map(c -> c.endsWith("/timeout") || c.equals("timeout")).orElse(false)) {
      return p.pid();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      Optional<ProcessHandle> child = p.toHandle().children().findFirst();
      if (child.isPresent()) {
        return child.get().pid();
      }
      if (!p.isAlive()) {
        break;
      }
      sleep(10);
    }
    throw new IOException("the server process did not start");
  }

  /**
   * Plaintext: sends a KEEPALIVE for a session that does not exist; any answer (NO_SESSION) means the server is up.
   * DTLS: a handshake (pinned when the fingerprint is known) from a fresh socket completes.
   */
  private void awaitReady() throws IOException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    if (!plaintext) {
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IOException("the server exited with " + process.exitValue() + " before it was ready; see " + log
              + ":\n" + tail(20));
        }
        if (DtlsHandshakes.once(signalling, policy, Duration.ofSeconds(1))) {
          return;
        }
      }
      throw new IOException("no DTLS handshake with the server within " + READY_TIMEOUT.toSeconds() + " s; see "
          + log);
    }
    byte[] probe = MessageCodec.encode(new Message.Keepalive(1, 1, System.currentTimeMillis()));
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      s.setSoTimeout(200);
      byte[] buf = new byte[2048];
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IOException("the server exited with " + process.exitValue() + " before it was ready; see " + log
              + ":\n" + tail(20));
        }
        s.send(new DatagramPacket(probe, probe.length, signalling));
        try {
          DatagramPacket in = new DatagramPacket(buf, buf.length);
          s.receive(in);
          MessageCodec.decode(buf, 0, in.getLength());
          return;
        } catch (SocketTimeoutException e) {
          // not up yet
        } catch (ProtocolException e) {
          throw new IOException("the server answered something unexpected: " + e.getMessage(), e);
        }
      }
    }
    throw new IOException("the server did not answer within " + READY_TIMEOUT.toSeconds() + " s; see " + log);
  }

  public long pid() {
    return pid;
  }

  /** True if the server was started with {@link #PLAINTEXT_FLAG}. */
  public boolean plaintextSignalling() {
    return plaintext;
  }

  /** The pinned server fingerprint ("SHA256:…"), or null (plaintext, or trust on first use). */
  public String fingerprint() {
    return fingerprint;
  }

  /** How clients check the server's certificate: pinned if known, else trust on first use; null if plaintext. */
  public ServerFingerprintPolicy fingerprintPolicy() {
    return policy;
  }

  public InetSocketAddress signallingAddress() {
    return signalling;
  }

  public String mediaRange() {
    return mediaFrom + "-" + mediaTo;
  }

  public Path log() {
    return log;
  }

  public boolean pinned() {
    return pinned;
  }

  public List<String> command() {
    return command;
  }

  public boolean alive() {
    return process.isAlive();
  }

  public long cpuNanos() {
    return ProcStats.cpuNanos(pid);
  }

  public long rssBytes() {
    return ProcStats.rssBytes(pid);
  }

  /** The last lines of the server's log. */
  public String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | RuntimeException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  /** Counts log lines containing {@code text} (e.g. warnings about dropped notifications). */
  public long countLogLines(String text) {
    try (var lines = Files.lines(log, StandardCharsets.UTF_8)) {
      return lines.filter(l -> l.contains(text)).count();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Stops the server (SIGTERM, so it ends calls and a JFR recording is written), killing it if it hangs. */
  private void stop() {
    stop(process, pid);
  }

  /**
   * Stops a server process: SIGTERM (a clean shutdown tells its clients), then after 20 s SIGKILL. The pid is the
   * server's own, which may differ from the process's when a wrapper (`timeout`) started it.
   */
  public static void stop(Process process, long pid) {
    if (!process.isAlive()) {
      return;
    }
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException e) {
      // already shutting down
    }
  }

  /** This JVM's class path with every entry made absolute: the server runs in another directory. */
  public static String absoluteClassPath() {
    List<String> out = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      if (!e.isEmpty()) {
        out.add(Path.of(e).toAbsolutePath().toString());
      }
    }
    return String.join(java.io.File.pathSeparator, out);
  }

  /** Whether {@code program} is an executable on the PATH. */
  public static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
