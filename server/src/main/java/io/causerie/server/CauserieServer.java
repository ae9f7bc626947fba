package io.causerie.server;

import io.causerie.protocol.scram.FakeCredentials;
import io.causerie.server.store.Database;
import io.causerie.server.store.ServerSecrets;
import io.causerie.server.store.JdbcCallHistoryStore;
import io.causerie.server.store.JdbcUserStore;
import io.causerie.transport.Clock;
import io.causerie.transport.EventLoop;
import io.causerie.transport.UdpEndpoint;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running Causerie server: signalling endpoint, media relay and user database wired together. */
public final class CauserieServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CauserieServer.class);

  /** Name of the stored secret behind the SCRAM parameters shown for unknown user names. */
  static final String FAKE_CREDENTIALS_SECRET = "scram-unknown-users";

  /** How often the signalling core's timers run. */
  public static final long TICK_MILLIS = 50;

  private final ServerConfig config;
  private final Database database;
  private final StoreUserDirectory directory;
  private final UdpMediaRelay relay;
  private final EventLoop loop;
  private final SignallingCore core;
  private final UdpEndpoint endpoint;
  private volatile boolean closed;

  private CauserieServer(ServerConfig config, Database database) throws IOException {
    this.config = config;
    this.database = database;
    this.loop = new EventLoop("causerie-signalling", Clock.SYSTEM);
    this.relay = new UdpMediaRelay(config.bindAddress(), config.mediaPortFrom(), config.mediaPortTo(), Clock.SYSTEM,
        config.abuse().mediaLimits());
    this.directory = new StoreUserDirectory(new JdbcUserStore(database), new JdbcCallHistoryStore(database), loop);
    UdpEndpoint[] ep = new UdpEndpoint[1];
    SecureRandom random = new SecureRandom();
    FakeCredentials fakes = new FakeCredentials(new ServerSecrets(database).getOrCreate(FAKE_CREDENTIALS_SECRET, random));
    this.core = new SignallingCore(config, Clock.SYSTEM, (bytes, to) -> ep[0].send(bytes, to), directory, relay,
        random, fakes);
    loop.start();
    try {
      ep[0] = loop.bind(new InetSocketAddress(config.bindAddress(), config.signallingPort()),
          (e, buf, len, src) -> core.onDatagram(buf, len, src));
    } catch (IOException e) {
      loop.close();
      relay.close();
      directory.close();
      throw new IOException("cannot listen on udp " + config.bindAddress().getHostAddress() + ":"
          + config.signallingPort() + ": " + e.getMessage(), e);
    }
    this.endpoint = ep[0];
    loop.schedule(TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS), this::tick);
  }

  /**
   * Opens the database and starts serving.
   *
   * @throws IOException if a port cannot be bound
   * @throws io.causerie.server.store.StoreException if the database cannot be opened
   */
  public static CauserieServer start(ServerConfig config) throws IOException {
    Database db = Database.open(config.db());
    try {
      return new CauserieServer(config, db);
    } catch (IOException | RuntimeException e) {
      db.close();
      throw e;
    }
  }

  private void tick() {
    if (closed) {
      return;
    }
    core.tick();
    loop.schedule(TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS), this::tick);
  }

  public InetSocketAddress signallingAddress() {
    return endpoint.localAddress();
  }

  public ServerConfig config() {
    return config;
  }

  /** Exceptions that escaped the signalling or relay threads (each is logged): zero in a healthy server. */
  public long uncaughtFailures() {
    return loop.failures() + relay.loopFailures();
  }

  public String databaseDescription() {
    return database.describe();
  }

  public UdpMediaRelay relay() {
    return relay;
  }

  /** The signalling figures, copied on the signalling thread (throws if it does not answer in time). */
  public ServerStats.Snapshot snapshot() {
    return inspect(SignallingCore::snapshot);
  }

  /** Runs {@code task} on the signalling thread with the core, and waits: for tests and admin views. */
  public <T> T inspect(java.util.function.Function<SignallingCore, T> task) {
    Object[] result = new Object[1];
    loop.runAndWait(() -> result[0] = task.apply(core));
    @SuppressWarnings("unchecked")
    T t = (T) result[0];
    return t;
  }

  /** Tells every caller their call ended, closes sessions, the relay and the database. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      loop.runAndWait(core::shutdown);
    } catch (RuntimeException e) {
      log.warn("shutdown of signalling failed: {}", e.getMessage());
    }
    loop.close();
    relay.close();
    directory.close();
    database.close();
    log.info("server stopped");
  }
}
