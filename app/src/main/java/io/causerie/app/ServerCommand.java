package io.causerie.app;

import io.causerie.server.CauserieServer;
import io.causerie.server.MetricsEndpoint;
import io.causerie.server.ServerConfig;
import io.causerie.server.store.StoreException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs the server until interrupted. */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the Causerie server: signalling, media relay and user database.",
      "Signalling on UDP --port, one media port per signed-in client from --media-ports, users in --db.",
      "Stops cleanly on Ctrl-C or SIGTERM (calls in progress are told they ended)."
    })
final class ServerCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(ServerCommand.class);

  /** Keys accepted in a --config file; each mirrors the flag of the same name. */
  static final Set<String> CONFIG_KEYS = Set.of("port", "media-ports", "bind", "db", "metrics", "no-answer-timeout",
      "keepalive-interval", "session-timeout", "max-sessions", "max-sessions-per-address", "lockout-failures",
      "lockout-window", "lockout-duration", "unauthenticated-rate", "unauthenticated-burst",
      "media-max-packets", "media-max-bytes", "insecure-plaintext-signalling", "media-mode", "presence-interval",
      "dtls-max-handshakes", "dtls-max-associations", "dtls-idle-timeout");

  @Spec CommandSpec spec;

  @Option(names = "--port", paramLabel = "PORT", description = "Signalling UDP port (default: 6100).")
  Integer port;

  @Option(names = "--media-ports", paramLabel = "FROM-TO",
      description = "Media UDP port range, one port per signed-in client (default: 6001-6099; 0 for any free ports).")
  String mediaPorts;

  @Option(names = "--media-mode", paramLabel = "ports|single-port",
      description = "ports (default): one media port per signed-in client, the spec's layout. single-port: every"
          + " call's media on the first port of --media-ports, told apart by the SSRC the server assigns in"
          + " CALL_STARTED, read and written in batches (recvmmsg/sendmmsg) where Linux epoll is available; needs"
          + " Causerie clients (docs/PROTOCOL.md §8.7).")
  String mediaMode;

  @Option(names = "--bind", paramLabel = "ADDRESS", description = "Address to listen on (default: all).")
  String bind;

  @Option(names = "--db", paramLabel = "PATH|JDBC-URL",
      description = "SQLite file or JDBC URL, e.g. jdbc:postgresql://host/causerie (default: data/causerie.db).")
  String db;

  @Option(names = "--config", paramLabel = "FILE",
      description = "Settings file (key = value, keys as the flags without '--'); flags override it.")
  Path configFile;

  @Option(names = "--metrics", paramLabel = "ADDR:PORT",
      description = "Serve Prometheus metrics on http://ADDR:PORT/metrics and a probe on /health (default: off).")
  String metrics;

  @Option(names = "--print-config", description = "Print the effective settings and exit.")
  boolean printConfig;

  @Option(names = "--insecure-plaintext-signalling",
      description = "Signalling without DTLS (the spec's plain protocol): who calls whom and session tokens are"
          + " visible on the network. Voice stays end-to-end encrypted. For debugging only.")
  Boolean plaintextSignalling;

  @Option(names = "--print-fingerprint",
      description = "Print the server certificate's fingerprint (creating the key on first use) and exit; give it to"
          + " users for their client's --server-fingerprint.")
  boolean printFingerprint;

  @Option(names = "--no-answer-timeout", paramLabel = "SECONDS", description = "How long a call rings (default: 30).")
  Integer noAnswerSeconds;

  @Option(names = "--keepalive-interval", paramLabel = "SECONDS",
      description = "Seconds between client keepalives, told to clients at sign-in (default: 15).")
  Integer keepaliveSeconds;

  @Option(names = "--session-timeout", paramLabel = "SECONDS",
      description = "Seconds of silence after which a session expires and its call ends (default: 45).")
  Integer sessionSeconds;

  @Option(names = "--max-sessions", paramLabel = "N", description = "Sessions the server accepts in all (default: 10000).")
  Integer maxSessions;

  @Option(names = "--max-sessions-per-address", paramLabel = "N",
      description = "Sessions from one IP address (default: 32).")
  Integer maxSessionsPerAddress;

  @Option(names = "--lockout-failures", paramLabel = "N",
      description = "Failed sign-ins of one user name that lock it out (default: 5; an address: four times as many).")
  Integer lockoutFailures;

  @Option(names = "--lockout-window", paramLabel = "SECONDS",
      description = "Window in which --lockout-failures count (default: 120).")
  Integer lockoutWindow;

  @Option(names = "--lockout-duration", paramLabel = "SECONDS", description = "How long a lockout lasts (default: 300).")
  Integer lockoutDuration;

  @Option(names = "--unauthenticated-rate", paramLabel = "N",
      description = "Datagrams per second one address may send without a valid session (default: 20).")
  Integer unauthenticatedRate;

  @Option(names = "--unauthenticated-burst", paramLabel = "N",
      description = "Burst allowed above --unauthenticated-rate (default: 40).")
  Integer unauthenticatedBurst;

  @Option(names = "--media-max-packets", paramLabel = "N",
      description = "Packets per second one client's media port forwards (default: 200; a call sends 50).")
  Integer mediaMaxPackets;

  @Option(names = "--media-max-bytes", paramLabel = "N",
      description = "Bytes per second one client's media port forwards (default: 64000).")
  Integer mediaMaxBytes;

  @Option(names = "--presence-interval", paramLabel = "MILLIS",
      description = "Shortest time between two presence batches to one client (default: 200; 0-5000).")
  Integer presenceIntervalMillis;

  @Option(names = "--dtls-max-handshakes", paramLabel = "N",
      description = "DTLS handshakes in progress at once; more wait for their client's resend (default: 64).")
  Integer dtlsMaxHandshakes;

  @Option(names = "--dtls-max-associations", paramLabel = "N",
      description = "Established DTLS associations kept at once; beyond it new ones are refused (default: 10000).")
  Integer dtlsMaxAssociations;

  @Option(names = "--dtls-idle-timeout", paramLabel = "SECONDS",
      description = "Silence after which a DTLS association is dropped (default: 90, at least --session-timeout).")
  Integer dtlsIdleSeconds;

  @Override
  public Integer call() throws Exception {
    ServerConfig config;
    try {
      config = buildConfig();
    } catch (IllegalArgumentException | IOException e) {
      spec.commandLine().getErr().println("causerie server: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    InetSocketAddress metricsAddress;
    try {
      metricsAddress = metricsAddress(pick(metrics, fileSettings, "metrics"));
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("causerie server: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    if (printConfig) {
      printConfig(config, metricsAddress);
      return ExitCodes.OK;
    }
    if (printFingerprint) {
      try {
        spec.commandLine().getOut().println(CauserieServer.fingerprintOf(config));
        return ExitCodes.OK;
      } catch (StoreException e) {
        spec.commandLine().getErr().println("causerie server: " + e.getMessage());
        return ExitCodes.FAILED;
      }
    }
    CauserieServer server;
    try {
      server = CauserieServer.start(config);
    } catch (StoreException e) {
      spec.commandLine().getErr().println("causerie server: " + e.getMessage());
      return ExitCodes.FAILED;
    } catch (IOException e) {
      spec.commandLine().getErr().println("causerie server: " + e.getMessage());
      return ExitCodes.FAILED;
    }
    MetricsEndpoint endpoint = null;
    if (metricsAddress != null) {
      try {
        endpoint = MetricsEndpoint.start(server, metricsAddress);
      } catch (IOException e) {
        server.close();
        spec.commandLine().getErr().println("causerie server: " + e.getMessage());
        return ExitCodes.FAILED;
      }
      log.info("metrics on http://{}:{}/metrics, health on /health", metricsAddress.getHostString(),
          endpoint.address().getPort());
    }
    MetricsEndpoint metricsEndpoint = endpoint;
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      log.info("stopping");
      if (metricsEndpoint != null) {
        metricsEndpoint.close();
      }
      server.close();
      stopped.countDown();
    }, "causerie-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    String media = config.mediaMode() == io.causerie.server.MediaMode.SINGLE_PORT
        ? "single port " + server.relay().singlePort() + " (" + server.relay().transportDescription() + ")"
        : config.mediaPortFrom() == 0 ? "any free ports" : config.mediaPortFrom() + "-" + config.mediaPortTo();
    String host = config.bindAddress().isAnyLocalAddress() ? "*" : config.bindAddress().getHostAddress();
    log.info("Causerie server listening on udp {}:{} (signalling), media {}", host,
        server.signallingAddress().getPort(), media);
    log.info("user database: {}", server.databaseDescription());
    if (server.fingerprint() != null) {
      log.info("server fingerprint: {} (clients pin it on first use; give it to users for --server-fingerprint)",
          server.fingerprint());
    }
    log.info("add a user with: ./causerie user add NAME{}", config.db().equals(ServerConfig.DEFAULT_DB) ? ""
        : " --db " + config.db());
    stopped.await();
    return ExitCodes.OK;
  }

  private Properties fileSettings = new Properties();

  static InetSocketAddress metricsAddress(String spec) {
    if (spec == null || spec.isBlank()) {
      return null;
    }
    int colon = spec.lastIndexOf(':');
    try {
      if (colon <= 0) {
        throw new NumberFormatException();
      }
      int p = Integer.parseInt(spec.substring(colon + 1));
      if (p < 0 || p > 65535) {
        throw new NumberFormatException();
      }
      return new InetSocketAddress(spec.substring(0, colon).replace("[", "").replace("]", ""), p);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad metrics address '" + spec + "': expected ADDR:PORT, e.g. 127.0.0.1:9100");
    }
  }

  private void printConfig(ServerConfig c, InetSocketAddress metricsAddress) {
    var out = spec.commandLine().getOut();
    out.println("# effective settings (flags over " + (configFile == null ? "defaults" : configFile) + ")");
    out.println("bind = " + c.bindAddress().getHostAddress());
    out.println("port = " + c.signallingPort());
    out.println("media-ports = " + (c.mediaPortFrom() == 0 ? "0" : c.mediaPortFrom() + "-" + c.mediaPortTo()));
    out.println("media-mode = " + c.mediaMode());
    out.println("db = " + c.db());
    out.println("metrics = " + (metricsAddress == null ? "" : metricsAddress.getHostString() + ":"
        + metricsAddress.getPort()));
    out.println("no-answer-timeout = " + c.noAnswerTimeout().toSeconds());
    out.println("keepalive-interval = " + c.keepaliveInterval().toSeconds());
    out.println("session-timeout = " + c.sessionTimeout().toSeconds());
    out.println("max-sessions = " + c.maxSessions());
    out.println("max-sessions-per-address = " + c.maxSessionsPerAddress());
    out.println("lockout-failures = " + c.abuse().lockoutFailures());
    out.println("lockout-window = " + c.abuse().lockoutWindow().toSeconds());
    out.println("lockout-duration = " + c.abuse().lockoutDuration().toSeconds());
    out.println("unauthenticated-rate = " + (int) c.abuse().unauthenticatedPerSecond());
    out.println("unauthenticated-burst = " + (int) c.abuse().unauthenticatedBurst());
    out.println("media-max-packets = " + (int) c.abuse().mediaPacketsPerSecond());
    out.println("media-max-bytes = " + (int) c.abuse().mediaBytesPerSecond());
    out.println("insecure-plaintext-signalling = " + c.plaintextSignalling());
    out.println("presence-interval = " + c.tuning().presenceInterval().toMillis());
    out.println("dtls-max-handshakes = " + c.tuning().dtlsMaxHandshakes());
    out.println("dtls-max-associations = " + c.tuning().dtlsMaxAssociations());
    out.println("dtls-idle-timeout = " + c.tuning().dtlsIdleTimeout().toSeconds());
    out.flush();
  }

  ServerConfig buildConfig() throws IOException {
    Properties file = new Properties();
    fileSettings = file;
    if (configFile != null) {
      try (var r = Files.newBufferedReader(configFile)) {
        file.load(r);
      } catch (IOException e) {
        throw new IOException("cannot read --config " + configFile + ": " + e.getMessage(), e);
      }
      for (String key : file.stringPropertyNames()) {
        if (!CONFIG_KEYS.contains(key)) {
          throw new IllegalArgumentException(configFile + ": unknown setting '" + key + "' (known: "
              + String.join(", ", new java.util.TreeSet<>(CONFIG_KEYS)) + ")");
        }
      }
    }
    ServerConfig c = ServerConfig.defaults();
    String b = pick(bind, file, "bind");
    if (b != null) {
      try {
        c = c.withBind(InetAddress.getByName(b));
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("bad --bind address '" + b + "'");
      }
    }
    int signalling = intSetting(port == null ? null : port.toString(), file, "port", c.signallingPort());
    int from = c.mediaPortFrom();
    int to = c.mediaPortTo();
    String range = pick(mediaPorts, file, "media-ports");
    if (range != null) {
      if (range.equals("0")) {
        from = 0;
        to = 0;
      } else {
        String[] parts = range.split("-");
        try {
          from = Integer.parseInt(parts[0].trim());
          to = parts.length == 2 ? Integer.parseInt(parts[1].trim()) : -1;
        } catch (NumberFormatException e) {
          to = -1;
        }
        if (parts.length != 2 || to < 0) {
          throw new IllegalArgumentException("bad media-ports '" + range + "': expected FROM-TO, e.g. 6001-6099");
        }
      }
    }
    c = c.withPorts(signalling, from, to);
    String d = pick(db, file, "db");
    if (d != null) {
      c = c.withDb(d);
    }
    int noAnswer = intSetting(str(noAnswerSeconds), file,
        "no-answer-timeout", (int) c.noAnswerTimeout().toSeconds());
    int keepalive = intSetting(str(keepaliveSeconds), file, "keepalive-interval",
        (int) c.keepaliveInterval().toSeconds());
    int session = intSetting(str(sessionSeconds), file, "session-timeout", (int) c.sessionTimeout().toSeconds());
    // The DTLS idle timeout follows a longer session timeout unless it is set: an association must outlive the
    // silence a session is allowed (ServerConfig checks it). Set before the timeouts for the same reason.
    ServerConfig.Tuning t = c.tuning();
    int idle = intSetting(str(dtlsIdleSeconds), file, "dtls-idle-timeout",
        (int) Math.max(t.dtlsIdleTimeout().toSeconds(), session));
    c = c.withTuning(new ServerConfig.Tuning(
        Duration.ofMillis(intSetting(str(presenceIntervalMillis), file, "presence-interval",
            (int) t.presenceInterval().toMillis())),
        intSetting(str(dtlsMaxHandshakes), file, "dtls-max-handshakes", t.dtlsMaxHandshakes()),
        intSetting(str(dtlsMaxAssociations), file, "dtls-max-associations", t.dtlsMaxAssociations()),
        Duration.ofSeconds(idle)));
    c = c.withTimeouts(Duration.ofSeconds(keepalive), Duration.ofSeconds(session), Duration.ofSeconds(noAnswer));
    c = c.withLimits(intSetting(str(maxSessions), file, "max-sessions", c.maxSessions()),
        intSetting(str(maxSessionsPerAddress), file, "max-sessions-per-address", c.maxSessionsPerAddress()),
        c.maxPendingLogins());
    ServerConfig.Abuse a = c.abuse();
    c = c.withAbuse(new ServerConfig.Abuse(
        intSetting(str(lockoutFailures), file, "lockout-failures", a.lockoutFailures()),
        Duration.ofSeconds(intSetting(str(lockoutWindow), file, "lockout-window", (int) a.lockoutWindow().toSeconds())),
        Duration.ofSeconds(intSetting(str(lockoutDuration), file, "lockout-duration",
            (int) a.lockoutDuration().toSeconds())),
        intSetting(str(unauthenticatedRate), file, "unauthenticated-rate", (int) a.unauthenticatedPerSecond()),
        intSetting(str(unauthenticatedBurst), file, "unauthenticated-burst", (int) a.unauthenticatedBurst()),
        intSetting(str(mediaMaxPackets), file, "media-max-packets", (int) a.mediaPacketsPerSecond()),
        intSetting(str(mediaMaxBytes), file, "media-max-bytes", (int) a.mediaBytesPerSecond())));
    String plain = plaintextSignalling != null ? plaintextSignalling.toString()
        : file.getProperty("insecure-plaintext-signalling", "false").trim();
    if (!plain.equals("true") && !plain.equals("false")) {
      throw new IllegalArgumentException("insecure-plaintext-signalling must be true or false, not '" + plain + "'");
    }
    c = c.withPlaintextSignalling(Boolean.parseBoolean(plain));
    String mode = pick(mediaMode, file, "media-mode");
    if (mode != null) {
      c = c.withMediaMode(io.causerie.server.MediaMode.parse(mode));
    }
    return c;
  }

  private static String str(Integer flag) {
    return flag == null ? null : flag.toString();
  }

  private static String pick(String flag, Properties file, String key) {
    return flag != null ? flag : file.getProperty(key);
  }

  private static int intSetting(String flag, Properties file, String key, int dflt) {
    String v = pick(flag, file, key);
    if (v == null) {
      return dflt;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad " + key + " '" + v + "': expected a whole number");
    }
  }
}
