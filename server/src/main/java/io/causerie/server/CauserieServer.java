package io.causerie.server;

import io.causerie.protocol.Message;
import io.causerie.protocol.MessageCodec;
import io.causerie.protocol.ProtocolException;
import io.causerie.protocol.scram.FakeCredentials;
import io.causerie.server.store.Database;
import io.causerie.server.store.ServerSecrets;
import io.causerie.server.store.JdbcCallHistoryStore;
import io.causerie.server.store.JdbcUserStore;
import io.causerie.transport.Clock;
import io.causerie.transport.EventLoop;
import io.causerie.transport.UdpEndpoint;
import io.causerie.transport.dtls.DtlsServerLayer;
import io.causerie.transport.dtls.DtlsStats;
import io.causerie.transport.dtls.ServerIdentity;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running Causerie server: signalling endpoint, media relay and user database wired together. */
public final class CauserieServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CauserieServer.class);

  /** Name of the stored secret behind the SCRAM parameters shown for unknown user names. */
  static final String FAKE_CREDENTIALS_SECRET = "scram-unknown-users";

  /** Name of the stored DTLS identity: the server's private key and self-signed certificate. */
  static final String DTLS_IDENTITY_SECRET = "dtls-identity";

  /** Legacy-layout reply ports remembered (the spec's port 5101 of each signed-in legacy client), at most. */
  static final int MAX_LEGACY_REPLY_ADDRESSES = 10_000;

  /** How often the signalling core's timers run. */
  public static final long TICK_MILLIS = 50;

  private final ServerConfig config;
  private final Database database;
  private final StoreUserDirectory directory;
  private final UdpMediaRelay relay;
  private final EventLoop loop;
  private final SignallingCore core;
  private volatile UdpEndpoint endpoint;
  /** Null when signalling is plaintext (an explicit, insecure choice). */
  private final DtlsServerLayer dtls;
  private final ServerIdentity identity;
  /**
   * Legacy layout under DTLS (loop thread): the connection is the client's sending address (port 5000), its
   * answers go to its signalling port (5101). Reply address → connection, and connection → reply address.
   */
  private final Map<InetSocketAddress, InetSocketAddress> legacyConnectionOf = boundedMap();
  private final Map<InetSocketAddress, InetSocketAddress> legacyReplyTo = boundedMap();
  private volatile boolean closed;

  private CauserieServer(ServerConfig config, Database database) throws IOException {
    this.config = config;
    this.database = database;
    this.loop = new EventLoop("causerie-signalling", Clock.SYSTEM);
    try {
      this.relay = new UdpMediaRelay(config.bindAddress(), config.mediaPortFrom(), config.mediaPortTo(),
          Clock.SYSTEM, config.abuse().mediaLimits(), config.mediaMode());
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause(); // the single media port is taken: one clear line
    }
    this.directory = new StoreUserDirectory(new JdbcUserStore(database), new JdbcCallHistoryStore(database), loop);
    UdpEndpoint[] ep = new UdpEndpoint[1];
    SecureRandom random = new SecureRandom();
    ServerSecrets secrets = new ServerSecrets(database);
    FakeCredentials fakes = new FakeCredentials(secrets.getOrCreate(FAKE_CREDENTIALS_SECRET, random));
    this.identity = config.plaintextSignalling() ? null : ServerIdentity.decode(
        secrets.getOrCreate(DTLS_IDENTITY_SECRET, () -> ServerIdentity.generate(random).encode()));
    this.core = new SignallingCore(config, Clock.SYSTEM, this::sendSignalling, directory, relay, random, fakes);
    if (identity != null) {
      RateLimiter handshakes = new RateLimiter(config.abuse().unauthenticatedPerSecond(),
          config.abuse().unauthenticatedBurst(), RateLimiter.DEFAULT_MAX_KEYS);
      this.dtls = new DtlsServerLayer(identity, config.tuning().dtls(),
          (data, off, len, to) -> ep[0].send(ByteBuffer.wrap(data, off, len), legacyReplyTo.getOrDefault(to, to)),
          this::onPlaintext, loop, src -> handshakes.allow(src.getAddress(), loop.clock().nanoTime()),
          loop.clock()::nanoTime);
    } else {
      this.dtls = null;
    }
    loop.start();
    try {
      ep[0] = loop.bind(new InetSocketAddress(config.bindAddress(), config.signallingPort()),
          dtls == null ? (e, buf, len, src) -> core.onDatagram(buf, len, src)
              : (e, buf, len, src) -> dtls.onDatagram(buf, len, src));
    } catch (IOException e) {
      loop.close();
      relay.close();
      directory.close();
      throw new IOException("cannot listen on udp " + config.bindAddress().getHostAddress() + ":"
          + config.signallingPort() + ": " + e.getMessage(), e);
    }
    this.endpoint = ep[0];
    if (identity != null) {
      log.info("signalling is DTLS 1.2; server certificate fingerprint {}", identity.fingerprint());
    } else {
      log.warn("signalling is PLAINTEXT (--insecure-plaintext-signalling): who calls whom is visible on the network"
          + " and sessions can be taken over; voice stays end-to-end encrypted");
    }
    loop.schedule(TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS), this::tick);
  }

  private static Map<InetSocketAddress, InetSocketAddress> boundedMap() {
    return new LinkedHashMap<>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<InetSocketAddress, InetSocketAddress> eldest) {
        return size() > MAX_LEGACY_REPLY_ADDRESSES;
      }
    };
  }

  /** A decrypted signalling datagram (loop thread). */
  private void onPlaintext(byte[] buf, int len, InetSocketAddress src) {
    if (len > 3 && buf[3] == (byte) io.causerie.protocol.MessageType.AUTH_START.wire()) {
      noteLegacyReplyPort(buf, len, src);
    }
    core.onDatagram(buf, len, src);
  }

  /** A legacy-layout sign-in names the port its answers go to: route that connection's records there. */
  private void noteLegacyReplyPort(byte[] buf, int len, InetSocketAddress src) {
    try {
      if (MessageCodec.decode(buf, 0, len) instanceof Message.AuthStart a && a.replySignalPort() != 0) {
        InetSocketAddress reply = new InetSocketAddress(src.getAddress(), a.replySignalPort());
        legacyConnectionOf.put(reply, src);
        legacyReplyTo.put(src, reply);
      }
    } catch (ProtocolException e) {
      // The core answers it.
    }
  }

  /** The core's datagrams (loop thread): through the client's DTLS connection, or plain. */
  private void sendSignalling(byte[] bytes, InetSocketAddress to) {
    UdpEndpoint e = endpoint;
    if (e == null) {
      return; // a datagram raced the end of start-up: the client retransmits
    }
    if (dtls == null) {
      e.send(bytes, to);
    } else if (!dtls.send(bytes, legacyConnectionOf.getOrDefault(to, to))) {
      log.debug("no DTLS connection to {}: {} bytes not sent", to, bytes.length);
    }
  }

  /**
   * The fingerprint of the server certificate kept in {@code config}'s database, created there on first use (for
   * {@code causerie server --print-fingerprint}).
   */
  public static String fingerprintOf(ServerConfig config) {
    try (Database db = Database.open(config.db())) {
      return ServerIdentity.decode(new ServerSecrets(db).getOrCreate(DTLS_IDENTITY_SECRET,
          () -> ServerIdentity.generate(new SecureRandom()).encode())).fingerprint();
    }
  }

  /** The server certificate's fingerprint ("SHA256:AB:CD:…"), or null when signalling is plaintext. */
  public String fingerprint() {
    return identity == null ? null : identity.fingerprint();
  }

  /** DTLS figures (handshakes, cookies, rejected records), or null when signalling is plaintext. */
  public DtlsStats dtlsStats() {
    return dtls == null ? null : dtls.stats();
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
    if (dtls != null) {
      dtls.tick(loop.clock().nanoTime());
    }
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
      loop.runAndWait(() -> {
        core.shutdown();
        if (dtls != null) {
          dtls.close();
        }
      });
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
