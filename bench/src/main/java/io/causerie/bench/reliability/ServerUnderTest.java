package io.causerie.bench.reliability;

import io.causerie.bench.Ports;
import io.causerie.bench.ProcStats;
import io.causerie.bench.ServerProcess;
import io.causerie.server.ServerJvm;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Causerie server process for one scenario: {@code causerie server} when the app is on the class path, else
 * {@link StandaloneServerMain}; bound to 127.0.0.1 on fixed ports chosen once, so that {@link #kill9()} and
 * {@link #start()} bring it back on the same ports and database. Serves metrics on a loopback port, which is also how
 * readiness is seen (GET /health), independent of how signalling is secured. Wrapped in {@code timeout} so it dies by
 * itself if the suite does.
 */
final class ServerUnderTest implements AutoCloseable {
  static final String APP_MAIN = "io.causerie.app.Main";
  static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final Path dir;
  private final String db;
  private final int port;
  private final int mediaFrom;
  private final int mediaTo;
  private final int metricsPort;
  private final Path log;
  private final Map<String, String> settings;
  private final Duration lifetime;
  private final List<String> jvmOptions;
  private Process process;
  private long pid;
  private int starts;
  private final Thread cleanup = new Thread(this::stopQuietly, "reliability-server-cleanup");

  private ServerUnderTest(Path dir, String db, int mediaPorts, Map<String, String> settings, Duration lifetime,
      List<String> jvmOptions) throws IOException {
    this.dir = dir;
    this.db = db;
    this.port = Ports.freeUdpPort();
    int[] media = Ports.randomFreeRange(mediaPorts);
    this.mediaFrom = media[0];
    this.mediaTo = media[1];
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      this.metricsPort = s.getLocalPort();
    }
    this.log = dir.resolve("server.log");
    this.settings = new LinkedHashMap<>(settings);
    this.lifetime = lifetime;
    this.jvmOptions = List.copyOf(jvmOptions);
    Runtime.getRuntime().addShutdownHook(cleanup);
  }

  /** Starts a server with a fresh SQLite database in {@code dir}. */
  static ServerUnderTest start(Path dir, int mediaPorts, Map<String, String> settings, Duration lifetime)
      throws IOException {
    return start(dir, dir.resolve("causerie.db").toString(), mediaPorts, settings, lifetime);
  }

  static ServerUnderTest start(Path dir, String db, int mediaPorts, Map<String, String> settings, Duration lifetime)
      throws IOException {
    // The server as shipped: the JVM options and environment ./causerie server starts it with (ServerJvm).
    ServerUnderTest s = new ServerUnderTest(dir, db, mediaPorts, settings, lifetime, ServerJvm.merge(List.of()));
    try {
      s.start();
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
    return s;
  }

  /** Settings that let every client of a scenario sign in from 127.0.0.1 (rows not about abuse limits). */
  static Map<String, String> roomy() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("max-sessions", "100000");
    m.put("max-sessions-per-address", "100000");
    m.put("unauthenticated-rate", "100000");
    m.put("unauthenticated-burst", "100000");
    return m;
  }

  static boolean appAvailable() {
    try {
      Class.forName(APP_MAIN, false, ServerUnderTest.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /** (Re)starts the process on the same ports and database, and waits until /health answers. */
  void start() throws IOException {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("already running");
    }
    Path config = dir.resolve("server.conf");
    StringBuilder sb = new StringBuilder("# written by causerie bench reliability\n");
    settings.forEach((k, v) -> sb.append(k).append(" = ").append(v).append('\n'));
    Files.writeString(config, sb, StandardCharsets.UTF_8);
    List<String> cmd = new ArrayList<>();
    if (ServerProcess.onPath("timeout")) {
      cmd.addAll(List.of("timeout", "-k", "10", Long.toString(Math.max(60, lifetime.toSeconds()))));
    }
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-cp", ServerProcess.absoluteClassPath()));
    if (appAvailable()) {
      cmd.addAll(List.of(APP_MAIN, "server"));
    } else {
      cmd.add(StandaloneServerMain.class.getName());
    }
    cmd.addAll(List.of("--db", db, "--bind", "127.0.0.1", "--port", Integer.toString(port), "--media-ports",
        mediaFrom + "-" + mediaTo, "--config", config.toString(), "--metrics", "127.0.0.1:" + metricsPort));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().put("CAUSERIE_LOG_LEVEL", "INFO");
    ServerJvm.DEFAULT_ENVIRONMENT.forEach(pb.environment()::putIfAbsent);
    Files.writeString(log, "==== start " + (++starts) + " ====\n", StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    process = pb.start();
    pid = javaPid(process);
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("the server exited with " + process.exitValue() + " before it was ready:\n" + tail(30));
      }
      if (health()) {
        return;
      }
      sleep(50);
    }
    throw new IOException("the server was not ready within " + READY_TIMEOUT.toSeconds() + " s:\n" + tail(30));
  }

  boolean health() {
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + metricsPort + "/health").toURL()
          .openConnection();
      c.setConnectTimeout(500);
      c.setReadTimeout(2000);
      int code = c.getResponseCode();
      c.disconnect();
      return code == 200;
    } catch (IOException e) {
      return false;
    }
  }

  /** The Prometheus text of /metrics. */
  String scrape() throws IOException {
    HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + metricsPort + "/metrics").toURL()
        .openConnection();
    c.setConnectTimeout(2000);
    c.setReadTimeout(10_000);
    try (var in = c.getInputStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } finally {
      c.disconnect();
    }
  }

  /** Sum of every sample of {@code name} whose labels contain {@code labelPart} (null: all); NaN if none. */
  static double metric(String scrape, String name, String labelPart) {
    double sum = 0;
    boolean found = false;
    for (String line : scrape.split("\n")) {
      if (line.startsWith("#") || !line.startsWith(name)) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.lastIndexOf(' ');
      String n = brace > 0 && brace < space ? line.substring(0, brace) : line.substring(0, space);
      if (!n.equals(name)) {
        continue;
      }
      String labels = brace > 0 && brace < space ? line.substring(brace, line.indexOf('}') + 1) : "";
      if (labelPart != null && !labels.contains(labelPart)) {
        continue;
      }
      try {
        sum += Double.parseDouble(line.substring(space + 1).trim());
        found = true;
      } catch (NumberFormatException e) {
        // skip
      }
    }
    return found ? sum : Double.NaN;
  }

  double metric(String name) throws IOException {
    return metric(scrape(), name, null);
  }

  /** Runs a full GC in the server (jcmd) and returns the heap in use afterwards, from /metrics. */
  long heapAfterGc() throws IOException {
    try {
      Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
          Long.toString(pid), "GC.run").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      p.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    sleep(200);
    return (long) metric(scrape(), "jvm_memory_used_bytes", "area=\"heap\"");
  }

  long rssBytes() {
    return ProcStats.rssBytes(pid);
  }

  /** Threads of the server JVM, from /proc. */
  long threads() {
    try (Stream<Path> s = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      return s.count();
    } catch (IOException e) {
      return -1;
    }
  }

  /** Open file descriptors (sockets, database, jars) of the server JVM, from /proc. */
  long fds() {
    try (Stream<Path> s = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      return s.count();
    } catch (IOException e) {
      return -1;
    }
  }

  /** Open sockets of the server JVM. */
  long sockets() {
    try (Stream<Path> s = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      return s.filter(p -> {
        try {
          return Files.readSymbolicLink(p).toString().startsWith("socket:");
        } catch (IOException e) {
          return false;
        }
      }).count();
    } catch (IOException e) {
      return -1;
    }
  }

  /** kill -9 of the server JVM; returns once it is gone. */
  void kill9() {
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    try {
      process.waitFor(10, TimeUnit.SECONDS);
      ProcessHandle.of(pid).ifPresent(h -> h.onExit().orTimeout(10, TimeUnit.SECONDS).join());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // gone or timed out; start() will tell
    }
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  long pid() {
    return pid;
  }

  InetSocketAddress signalling() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }

  int port() {
    return port;
  }

  int mediaFrom() {
    return mediaFrom;
  }

  int mediaTo() {
    return mediaTo;
  }

  String db() {
    return db;
  }

  Path logFile() {
    return log;
  }

  List<String> logLines() {
    try {
      return Files.readAllLines(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return List.of();
    }
  }

  /** Log lines that contain any of {@code needles}. */
  long countLog(String... needles) {
    return logLines().stream().filter(l -> {
      for (String n : needles) {
        if (l.contains(n)) {
          return true;
        }
      }
      return false;
    }).count();
  }

  /** What the server logs when an exception escapes: the event loops' catch-alls and the JVM's last resort. */
  static final String[] UNCAUGHT = {"handler failed on a datagram", ": task failed", ": event loop failed",
      "internal error handling", "Exception in thread"};

  /**
   * Exceptions that escaped a server thread: each one the event loops catch is logged (and counted in
   * CauserieServer.uncaughtFailures, which the server process does not export), and the JVM prints "Exception in
   * thread" for anything nobody caught. ERROR lines about a failing database are handled failures, not counted.
   */
  long uncaught() {
    return countLog(UNCAUGHT);
  }

  /** All ERROR lines, handled or not. */
  long errorLines() {
    return countLog(" ERROR ");
  }

  /** The first few error lines of the log (with the line after each: usually the exception), for the report. */
  String errorSample() {
    List<String> all = logLines();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < all.size() && out.size() < 6; i++) {
      String l = all.get(i);
      if (l.contains(" ERROR ") || l.contains("Exception in thread")) {
        out.add(l.trim());
        if (i + 1 < all.size()) {
          out.add(all.get(i + 1).trim());
        }
      }
    }
    return String.join(" | ", out);
  }

  String tail(int lines) {
    List<String> all = logLines();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  private void stopQuietly() {
    if (process != null) {
      ServerProcess.stop(process, pid);
    }
  }

  @Override
  public void close() {
    stopQuietly();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException e) {
      // shutting down
    }
  }

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

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
