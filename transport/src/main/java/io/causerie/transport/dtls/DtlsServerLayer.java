package io.causerie.transport.dtls;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.bouncycastle.tls.DTLSRequest;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DTLSVerifier;
import org.bouncycastle.tls.DatagramSender;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of DTLS 1.2 for signalling, between the UDP socket and the plaintext core.
 *
 * <p><b>Threading.</b> {@link #onDatagram}, {@link #send}, {@link #close(InetSocketAddress)}, {@link
 * #tick} and {@link #close()} must be called on the loop thread (the thread behind {@code loop});
 * {@link #stats()} from any thread. The {@link Sender} and the {@link PlaintextHandler} are only
 * called on the loop thread. Handshakes run on a bounded pool of daemon threads named {@value
 * #HANDSHAKE_THREAD_PREFIX}N; their datagrams are sent via {@code loop}, and a finished handshake is
 * handed back to the loop thread, which from then on decrypts without blocking.
 *
 * <p><b>Cookies.</b> A ClientHello without a valid cookie for its source address (IP and port) gets
 * a HelloVerifyRequest from {@link DTLSVerifier} and allocates nothing. Only a verified ClientHello
 * starts a handshake.
 *
 * <p><b>Restarted clients.</b> Connections are keyed by source address. A verified ClientHello
 * whose random differs from the one that started the current association is a new client instance
 * (restart, or another app behind the same NAT mapping): the old association is dropped silently and
 * a new handshake starts. A ClientHello with the same random is a retransmission or a late duplicate
 * and goes to the running handshake (or is ignored).
 */
public final class DtlsServerLayer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DtlsServerLayer.class);

  /** Name prefix of handshake threads. */
  public static final String HANDSHAKE_THREAD_PREFIX = "causerie-dtls-handshake-";
  /** The cookie secret is replaced this often (RFC 6347 4.2.1); cookies of the previous one stay valid. */
  public static final long COOKIE_SECRET_ROTATION_NANOS = TimeUnit.MINUTES.toNanos(5);
  /** Idle handshake threads end after this long. */
  static final long HANDSHAKE_THREAD_KEEPALIVE_SECONDS = 30;

  private final DtlsConfig config;
  /** Read and packing buffers every established association uses in turn (loop thread). */
  private final LoopBuffers buffers;
  private final Sender out;
  private final PlaintextHandler in;
  private final Executor loop;
  private final Predicate<InetSocketAddress> admit;
  private final LongSupplier nanoClock;
  private final BcTlsCrypto crypto;
  private final ServerIdentity identity;
  /** {@link #identity}'s certificate, parsed once and presented by every handshake. */
  private final org.bouncycastle.tls.Certificate certificate;
  /** Loop thread only: the current and the previous cookie secrets. */
  private DTLSVerifier verifier;
  private DTLSVerifier previousVerifier;
  private long verifierSinceNanos;
  private final ThreadPoolExecutor pool;
  private final DtlsCounters counters = new DtlsCounters();
  /** Loop thread only. */
  private final Map<InetSocketAddress, DtlsConnection> connections = new HashMap<>();
  /** Written on the loop thread, read by stats(). */
  private volatile int handshakesInFlight;
  private volatile int established;
  private boolean closed;

  /** A layer on the system clock ({@link System#nanoTime()}) for idle times. */
  public DtlsServerLayer(ServerIdentity id, DtlsConfig config, Sender out, PlaintextHandler in,
      Executor loop, Predicate<InetSocketAddress> admit) {
    this(id, config, out, in, loop, admit, System::nanoTime);
  }

  /**
   * A layer on {@code nanoClock} (use the loop's clock, the same one that drives {@link #tick}).
   */
  public DtlsServerLayer(ServerIdentity id, DtlsConfig config, Sender out, PlaintextHandler in,
      Executor loop, Predicate<InetSocketAddress> admit, LongSupplier nanoClock) {
    this.identity = Objects.requireNonNull(id, "id");
    this.config = Objects.requireNonNull(config, "config");
    this.buffers = new LoopBuffers(config.mtu());
    this.out = Objects.requireNonNull(out, "out");
    this.in = Objects.requireNonNull(in, "in");
    this.loop = Objects.requireNonNull(loop, "loop");
    this.admit = Objects.requireNonNull(admit, "admit");
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    this.crypto = new RecordCrypto(new SecureRandom());
    try {
      this.certificate = Peers.serverCertificate(crypto, id);
    } catch (IOException e) {
      throw new IllegalArgumentException("the server certificate does not parse: " + e.getMessage(), e);
    }
    this.verifier = new DTLSVerifier(crypto);
    this.verifierSinceNanos = nanoClock.getAsLong();
    AtomicInteger threadNumber = new AtomicInteger();
    ThreadFactory threads = r -> {
      Thread t = new Thread(r, HANDSHAKE_THREAD_PREFIX + threadNumber.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    this.pool = new ThreadPoolExecutor(config.maxConcurrentHandshakes(), config.maxConcurrentHandshakes(),
        HANDSHAKE_THREAD_KEEPALIVE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threads);
    this.pool.allowCoreThreadTimeOut(true);
  }

  /** The server's identity (for logging its fingerprint). */
  public ServerIdentity identity() {
    return identity;
  }

  /**
   * One datagram from {@code src} (loop thread). Never throws: bad input is counted and dropped.
   * {@code buf} may be reused after the call.
   */
  public void onDatagram(byte[] buf, int len, InetSocketAddress src) {
    try {
      if (closed || len <= 0) {
        return;
      }
      if (len > config.mtu()) {
        counters.reject(RejectReason.OVERSIZE);
        log.debug("DTLS: oversize datagram of {} bytes from {}", len, src);
        return;
      }
      DtlsConnection c = connections.get(src);
      if (Records.isClientHello(buf, len)) {
        onClientHello(buf, len, src, c);
        return;
      }
      if (c == null) {
        counters.reject(RejectReason.NO_CONNECTION);
        log.debug("DTLS: datagram from {} without a connection", src);
        return;
      }
      c.lastReceiveNanos = nanoClock.getAsLong();
      if (!c.isEstablished()) {
        if (!c.transport.offer(Arrays.copyOf(buf, len))) {
          counters.reject(RejectReason.QUEUE_FULL);
        }
        return;
      }
      if (!c.onDatagram(buf, len, in, counters)) {
        forget(c);
      }
    } catch (RuntimeException e) {
      counters.reject(RejectReason.MALFORMED);
      log.debug("DTLS: datagram from {} dropped: {}", src, e.toString());
    }
  }

  private void onClientHello(byte[] buf, int len, InetSocketAddress src, DtlsConnection c) {
    byte[] random = Records.clientRandom(buf);
    if (c != null && Arrays.equals(random, c.clientRandom)) {
      // A retransmission (or late duplicate) of the hello that started this association.
      if (!c.isEstablished() && !c.transport.offer(Arrays.copyOf(buf, len))) {
        counters.reject(RejectReason.QUEUE_FULL);
      }
      return;
    }
    if (!admit.test(src)) {
      counters.admissionRefused.incrementAndGet();
      log.debug("DTLS: ClientHello from {} refused by admission", src);
      return;
    }
    DTLSRequest request = verify(buf, len, src);
    if (request == null) {
      return; // no or bad cookie: a HelloVerifyRequest was sent, nothing allocated
    }
    if (c == null && connections.size() >= config.maxConnections()) {
      counters.connectionsRefusedAtCap.incrementAndGet();
      log.debug("DTLS: connection cap reached, dropping ClientHello from {}", src);
      return;
    }
    if (handshakesInFlight >= config.maxConcurrentHandshakes()) {
      counters.handshakesDroppedAtCap.incrementAndGet();
      log.debug("DTLS: handshake cap reached, dropping ClientHello from {}", src);
      return;
    }
    if (c != null) {
      log.debug("DTLS: new ClientHello from {}: client restarted, dropping the old association", src);
      forget(c);
      c.abandon();
    }
    startHandshake(src, random, request);
  }

  /**
   * Checks the cookie against the current secret, then the previous one; if neither accepts it,
   * sends the HelloVerifyRequest of the current secret. Stateless.
   */
  private DTLSRequest verify(byte[] buf, int len, InetSocketAddress src) {
    byte[] clientId = Records.clientId(src);
    HelloVerifyCapture hvr = new HelloVerifyCapture(config.mtu());
    DTLSRequest request = verifier.verifyRequest(clientId, buf, 0, len, hvr);
    if (request == null && previousVerifier != null && hvr.datagram != null) {
      request = previousVerifier.verifyRequest(clientId, buf, 0, len, new HelloVerifyCapture(config.mtu()));
    }
    if (request == null && hvr.datagram != null) {
      counters.cookiesSent.incrementAndGet();
      log.debug("DTLS: HelloVerifyRequest ({} bytes) to {}", hvr.datagram.length, src);
      out.send(hvr.datagram, 0, hvr.datagram.length, src);
    }
    return request;
  }

  /** Holds the HelloVerifyRequest DTLSVerifier wants to send, so that we decide whether to send it. */
  private static final class HelloVerifyCapture implements DatagramSender {
    private final int limit;
    byte[] datagram;

    HelloVerifyCapture(int limit) {
      this.limit = limit;
    }

    @Override
    public int getSendLimit() {
      return limit;
    }

    @Override
    public void send(byte[] b, int off, int len) {
      datagram = Arrays.copyOfRange(b, off, off + len);
    }
  }

  private void startHandshake(InetSocketAddress src, byte[] random, DTLSRequest request) {
    QueueTransport transport = new QueueTransport(src, out, loop, config);
    DtlsConnection c = new DtlsConnection(src, transport, random, nanoClock.getAsLong());
    connections.put(src, c);
    handshakesInFlight++;
    counters.handshakesStarted.incrementAndGet();
    log.debug("DTLS: handshake with {} started", src);
    try {
      pool.execute(() -> handshake(c, request));
    } catch (RejectedExecutionException e) {
      handshakesInFlight--;
      counters.handshakesFailed.incrementAndGet();
      connections.remove(src, c);
    }
  }

  /** Handshake thread. */
  private void handshake(DtlsConnection c, DTLSRequest request) {
    DTLSTransport dtls = null;
    Exception failure = null;
    try {
      dtls = new DTLSServerProtocol().accept(new Peers.Server(crypto, identity, certificate, config), c.transport,
          request);
    } catch (IOException | RuntimeException e) {
      failure = e;
    }
    DTLSTransport result = dtls;
    Exception error = failure;
    try {
      loop.execute(() -> handshakeDone(c, result, error));
    } catch (RejectedExecutionException e) {
      c.abandon();
    }
  }

  /** Loop thread. */
  private void handshakeDone(DtlsConnection c, DTLSTransport dtls, Exception error) {
    handshakesInFlight--;
    boolean current = connections.get(c.peer) == c && !closed;
    if (dtls == null) {
      counters.handshakesFailed.incrementAndGet();
      log.debug("DTLS: handshake with {} failed: {}", c.peer, String.valueOf(error));
      if (current) {
        connections.remove(c.peer);
      }
      c.abandon();
      return;
    }
    if (!current || c.isGone()) {
      counters.handshakesFailed.incrementAndGet();
      log.debug("DTLS: handshake with {} completed after the association was dropped", c.peer);
      if (current) {
        connections.remove(c.peer);
      }
      c.abandon();
      return;
    }
    counters.handshakesCompleted.incrementAndGet();
    c.counted = true;
    established++;
    log.debug("DTLS: handshake with {} completed", c.peer);
    if (!c.attach(dtls, buffers) || !c.drainQueued(in)) {
      forget(c);
    }
  }

  /** Removes {@code c} if it is the current association for its address. Loop thread. */
  private void forget(DtlsConnection c) {
    connections.remove(c.peer, c);
    if (c.counted) {
      c.counted = false;
      established--;
    }
  }

  /**
   * Encrypts {@code plaintext} as one record to {@code to} (loop thread). Returns false if there is
   * no established connection to {@code to}, or the plaintext exceeds one record.
   */
  public boolean send(byte[] plaintext, InetSocketAddress to) {
    DtlsConnection c = connections.get(to);
    if (c == null || !c.isEstablished()) {
      return false;
    }
    if (c.send(plaintext, 0, plaintext.length)) {
      return true;
    }
    if (c.isGone()) {
      forget(c);
    }
    return false;
  }

  /** Whether an established connection with {@code peer} exists (loop thread). */
  public boolean isEstablished(InetSocketAddress peer) {
    DtlsConnection c = connections.get(peer);
    return c != null && c.isEstablished();
  }

  /** Sends close_notify to {@code peer} (if established) and forgets it (loop thread). */
  public void close(InetSocketAddress peer) {
    DtlsConnection c = connections.get(peer);
    if (c != null) {
      forget(c);
      c.close();
    }
  }

  /** Closes connections idle for longer than the idle timeout (loop thread). */
  public void tick(long nowNanos) {
    if (nowNanos - verifierSinceNanos > COOKIE_SECRET_ROTATION_NANOS) {
      previousVerifier = verifier;
      verifier = new DTLSVerifier(crypto);
      verifierSinceNanos = nowNanos;
      log.debug("DTLS: cookie secret rotated");
    }
    long idle = config.idleTimeout().toNanos();
    List<DtlsConnection> expired = new ArrayList<>();
    for (DtlsConnection c : connections.values()) {
      if (c.isEstablished() && nowNanos - c.lastReceiveNanos > idle) {
        expired.add(c);
      }
    }
    for (DtlsConnection c : expired) {
      log.debug("DTLS: connection with {} idle, closing", c.peer);
      close(c.peer);
    }
  }

  /** Associations (handshaking or established) held now; loop thread, for tests. */
  int associations() {
    return connections.size();
  }

  /** A snapshot of the counters (any thread). */
  public DtlsStats stats() {
    return counters.snapshot(established, handshakesInFlight);
  }

  /** Closes every connection (close_notify), aborts handshakes and stops the pool (loop thread). */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    for (DtlsConnection c : new ArrayList<>(connections.values())) {
      close(c.peer);
    }
    closed = true;
    pool.shutdownNow();
  }
}
