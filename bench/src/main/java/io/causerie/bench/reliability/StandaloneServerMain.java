package io.causerie.bench.reliability;

import io.causerie.server.CauserieServer;
import io.causerie.server.MetricsEndpoint;
import io.causerie.server.ServerConfig;
import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * The server for the reliability suite when the {@code causerie} command is not on the class path (this module's
 * own tests): the flags the suite passes (--db --bind --port --media-ports --config --metrics) and the settings it
 * writes, mapped onto {@link ServerConfig} the way {@code causerie server} maps them. Runs until SIGTERM.
 */
public final class StandaloneServerMain {
  private StandaloneServerMain() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    Map<String, String> flags = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      flags.put(args[i], args[i + 1]);
    }
    Properties file = new Properties();
    if (flags.containsKey("--config")) {
      try (Reader r = Files.newBufferedReader(Path.of(flags.get("--config")))) {
        file.load(r);
      }
    }
    String[] range = flags.get("--media-ports").split("-");
    ServerConfig c = ServerConfig.defaults().withBind(InetAddress.getByName(flags.get("--bind")))
        .withPorts(Integer.parseInt(flags.get("--port")), Integer.parseInt(range[0]), Integer.parseInt(range[1]))
        .withDb(flags.get("--db"));
    c = c.withTimeouts(Duration.ofSeconds(num(file, "keepalive-interval", c.keepaliveInterval().toSeconds())),
        Duration.ofSeconds(num(file, "session-timeout", c.sessionTimeout().toSeconds())), c.noAnswerTimeout());
    c = c.withLimits((int) num(file, "max-sessions", c.maxSessions()),
        (int) num(file, "max-sessions-per-address", c.maxSessionsPerAddress()), c.maxPendingLogins());
    ServerConfig.Abuse a = c.abuse();
    c = c.withAbuse(new ServerConfig.Abuse((int) num(file, "lockout-failures", a.lockoutFailures()),
        Duration.ofSeconds(num(file, "lockout-window", a.lockoutWindow().toSeconds())),
        Duration.ofSeconds(num(file, "lockout-duration", a.lockoutDuration().toSeconds())),
        num(file, "unauthenticated-rate", (long) a.unauthenticatedPerSecond()),
        num(file, "unauthenticated-burst", (long) a.unauthenticatedBurst()),
        num(file, "media-max-packets", (long) a.mediaPacketsPerSecond()),
        num(file, "media-max-bytes", (long) a.mediaBytesPerSecond())));
    CauserieServer server = CauserieServer.start(c);
    MetricsEndpoint metrics = null;
    if (flags.containsKey("--metrics")) {
      String m = flags.get("--metrics");
      int colon = m.lastIndexOf(':');
      metrics = MetricsEndpoint.start(server,
          new InetSocketAddress(m.substring(0, colon), Integer.parseInt(m.substring(colon + 1))));
    }
    MetricsEndpoint endpoint = metrics;
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (endpoint != null) {
        endpoint.close();
      }
      server.close();
      stopped.countDown();
    }));
    stopped.await();
  }

  private static long num(Properties p, String key, long dflt) {
    String v = p.getProperty(key);
    return v == null || v.isBlank() ? dflt : Long.parseLong(v.trim());
  }
}
