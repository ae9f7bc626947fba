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

/**
 * A real server on loopback with a real SQLite file, and the headless clients a test opens against it. Every
 * user's password is their name followed by {@code -pw}. Shared with other modules' tests (client test-jar).
 */
public final class ServerFixture implements AutoCloseable {
  /** Cheap key stretching: tests exercise the protocol, not PBKDF2. */
  public static final int TEST_ITERATIONS = 4096;

  final Path db;
  public ServerConfig config;
  public CauserieServer server;
  private final List<SignallingClient> clients = new ArrayList<>();

  public ServerFixture(Path dir, String... users) {
    this.db = dir.resolve("causerie.db");
    try (Database d = Database.open(db.toString())) {
      JdbcUserStore store = new JdbcUserStore(d);
      for (String u : users) {
        store.add(u, ScramCredential.generate(password(u), TEST_ITERATIONS, new SecureRandom()), null);
      }
    }
    config = ServerConfig.forTests(db.toString());
  }

  public static char[] password(String user) {
    return (user + "-pw").toCharArray();
  }

  public ServerFixture noAnswerTimeout(Duration d) {
    config = config.withTimeouts(config.keepaliveInterval(), config.sessionTimeout(), d);
    return this;
  }

  public ServerFixture timeouts(Duration keepalive, Duration session, Duration noAnswer) {
    config = config.withTimeouts(keepalive, session, noAnswer);
    return this;
  }

  public ServerFixture start() throws IOException {
    server = CauserieServer.start(config);
    return this;
  }

  /** Stops the server and starts a new one on the same signalling port (a restart). */
  public void restart() throws IOException {
    int port = server.signallingAddress().getPort();
    server.close();
    config = config.withPorts(port, 0, 0);
    server = CauserieServer.start(config);
  }

  /** The address as a user would type it. */
  public String addressText() {
    return "127.0.0.1:" + address().getPort();
  }

  public InetSocketAddress address() {
    return server.signallingAddress();
  }

  /** A client of this server: over DTLS pinned to its fingerprint, or plaintext when the server is. */
  public ClientConfig clientConfig(String user) {
    return ClientConfig.of(address(), user, password(user)).withConnectTimeout(Duration.ofSeconds(5))
        .withPlaintextSignalling(config.plaintextSignalling())
        .withServerFingerprint(server.fingerprint());
  }

  public SignallingClient connect(String user, RecordingListener listener) throws Exception {
    return connect(clientConfig(user), listener);
  }

  public SignallingClient connect(ClientConfig cfg, RecordingListener listener) throws Exception {
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
