package io.causerie.client;

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

/** A real server on loopback with a real SQLite file, and the clients a test opens against it. */
final class ServerFixture implements AutoCloseable {
  /** Cheap key stretching: tests exercise the protocol, not PBKDF2. */
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
        store.add(u, ScramCredential.generate((u + "-pw").toCharArray(), TEST_ITERATIONS, new SecureRandom()), null);
      }
    }
    config = ServerConfig.forTests(db.toString());
  }

  ServerFixture timeouts(Duration keepalive, Duration session, Duration noAnswer) {
    config = config.withTimeouts(keepalive, session, noAnswer);
    return this;
  }

  ServerFixture start() throws IOException {
    server = CauserieServer.start(config);
    return this;
  }

  /** Stops the server and starts a new one on the same signalling port (a restart). */
  void restart() throws IOException {
    int port = server.signallingAddress().getPort();
    server.close();
    config = config.withPorts(port, 0, 0);
    server = CauserieServer.start(config);
  }

  InetSocketAddress address() {
    return server.signallingAddress();
  }

  ClientConfig clientConfig(String user) {
    return ClientConfig.of(address(), user, (user + "-pw").toCharArray()).withConnectTimeout(Duration.ofSeconds(5));
  }

  SignallingClient connect(String user, RecordingListener listener) throws Exception {
    return connect(clientConfig(user), listener);
  }

  SignallingClient connect(ClientConfig cfg, RecordingListener listener) throws Exception {
    SignallingClient c = new SignallingClient(cfg, listener);
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
