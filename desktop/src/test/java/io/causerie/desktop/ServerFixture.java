package io.causerie.desktop;

import io.causerie.client.ClientConfig;
import io.causerie.client.SignallingClient;
import io.causerie.protocol.scram.ScramCredential;
import io.causerie.server.CauserieServer;
import io.causerie.server.ServerConfig;
import io.causerie.server.store.Database;
import io.causerie.server.store.JdbcUserStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real server on loopback with a real SQLite file, and the headless clients a test opens against it. Every
 * user's password is their name followed by {@code -pw}.
 */
final class ServerFixture implements AutoCloseable {
  /** Cheap key stretching: tests exercise the app, not PBKDF2. */
  static final int TEST_ITERATIONS = 4096;

  final Path db;
  ServerConfig config;
  CauserieServer server;
  private final List<SignallingClient> clients = new ArrayList<>();

  ServerFixture(Path dir, String... users) {
    this.db = dir.resolve("causerie.db");
    try (Database d = Database.open(db.toString())) {
      JdbcUserStore store = new JdbcUserStore(d);
      for (String u : users) {
        store.add(u, ScramCredential.generate(password(u), TEST_ITERATIONS, new SecureRandom()), null);
      }
    }
    config = ServerConfig.forTests(db.toString());
  }

  static char[] password(String user) {
    return (user + "-pw").toCharArray();
  }

  ServerFixture noAnswerTimeout(Duration d) {
    config = config.withTimeouts(config.keepaliveInterval(), config.sessionTimeout(), d);
    return this;
  }

  ServerFixture timeouts(Duration keepalive, Duration session, Duration noAnswer) {
    config = config.withTimeouts(keepalive, session, noAnswer);
    return this;
  }

  /** Stops the server and starts a new one on the same signalling port (a restart: every session is gone). */
  void restart() throws IOException {
    int port = server.signallingAddress().getPort();
    server.close();
    config = config.withPorts(port, 0, 0);
    server = CauserieServer.start(config);
  }

  ServerFixture start() throws IOException {
    server = CauserieServer.start(config);
    return this;
  }

  InetSocketAddress address() {
    return server.signallingAddress();
  }

  /** The address as a user would type it. */
  String addressText() {
    return "127.0.0.1:" + address().getPort();
  }

  /** Signs {@code user} in with a headless client. */
  SignallingClient connect(String user, RecordingListener listener) throws Exception {
    SignallingClient c = new SignallingClient(
        ClientConfig.of(address(), user, password(user)).withConnectTimeout(Duration.ofSeconds(5)), listener);
    clients.add(c);
    c.connect().get();
    return c;
  }

  @Override
  public void close() {
    for (SignallingClient c : clients) {
      c.close();
    }
    if (server != null) {
      server.close();
    }
  }
}
