package io.causerie.bench;

import io.causerie.server.CauserieServer;
import io.causerie.server.ServerConfig;
import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * The server as the bench spawns it, for this module's tests, which cannot see the app's {@code causerie server}
 * command: the same flags the bench passes (--db --bind --port --media-ports --config, and
 * --insecure-plaintext-signalling, --media-mode), mapped straight onto {@link ServerConfig}. Signalling is DTLS unless that flag
 * is given, as with the real command. Runs until SIGTERM.
 */
public final class TestServerMain {
  private TestServerMain() {}

  static ServerProcess.Launch launch() {
    return new ServerProcess.Launch(TestServerMain.class.getName(), java.util.List.of());
  }

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length == 1 && args[0].equals("--print-config")) {
      System.out.println("# the settings this test server reads from --config");
      System.out.println("max-sessions = " + ServerConfig.DEFAULT_MAX_SESSIONS);
      System.out.println("max-sessions-per-address = " + ServerConfig.DEFAULT_MAX_SESSIONS_PER_ADDRESS);
      return;
    }
    Map<String, String> flags = new HashMap<>();
    boolean plaintext = false;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals(ServerProcess.PLAINTEXT_FLAG)) {
        plaintext = true;
      } else if (i + 1 < args.length) {
        flags.put(args[i], args[++i]);
      }
    }
    Properties file = new Properties();
    try (Reader r = Files.newBufferedReader(Path.of(flags.get("--config")))) {
      file.load(r);
    }
    String[] range = flags.get("--media-ports").split("-");
    ServerConfig config = ServerConfig.defaults().withBind(InetAddress.getByName(flags.get("--bind")))
        .withPorts(Integer.parseInt(flags.get("--port")), Integer.parseInt(range[0]), Integer.parseInt(range[1]))
        .withDb(flags.get("--db")).withPlaintextSignalling(plaintext)
        .withMediaMode(io.causerie.server.MediaMode.parse(flags.getOrDefault(ServerProcess.MEDIA_MODE_FLAG, "ports")));
    config = config.withLimits(Integer.parseInt(file.getProperty("max-sessions").trim()),
        Integer.parseInt(file.getProperty("max-sessions-per-address").trim()), config.maxPendingLogins());
    CauserieServer server = CauserieServer.start(config);
    if (server.fingerprint() != null) {
      System.out.println("server fingerprint: " + server.fingerprint());
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }));
    stopped.await();
  }
}
