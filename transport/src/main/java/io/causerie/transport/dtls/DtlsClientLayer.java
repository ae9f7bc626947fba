package io.causerie.transport.dtls;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of DTLS 1.2 for signalling: one association with the server, authenticated by
 * the server certificate's fingerprint ({@link ServerFingerprintPolicy}); the client itself presents
 * no certificate (the user signs in with SCRAM inside the channel).
 *
 * <p><b>Threading.</b> {@link #onDatagram} and {@link #send} must be called on the loop thread;
 * {@link #connect}, {@link #reconnect} and {@link #close} may be called from any thread (they run
 * on the loop). The {@link Sender}, the {@link PlaintextHandler} and the {@link Listener} are called
 * on the loop thread. Each handshake runs on its own daemon thread named {@value
 * #HANDSHAKE_THREAD_NAME}.
 */
public final class DtlsClientLayer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DtlsClientLayer.class);

  /** Name of the handshake thread. */
  public static final String HANDSHAKE_THREAD_NAME = "causerie-dtls-client-handshake";

  /** What happened to the association; called on the loop thread. */
  public interface Listener {
    /** The handshake completed: {@link #send} now works. */
    void onEstablished();

    /**
     * The handshake failed (timeout, alert, or a {@link FingerprintMismatchException} from the
     * policy), or the established association ended (the server closed it: {@link EOFException}, or
     * a fatal error). Call {@link #reconnect()} to try again.
     */
    void onFailed(Exception e);
  }

  private final DtlsConfig config;
  /** Read and packing buffers of the established association (loop thread). */
  private final LoopBuffers buffers;
  private final Sender out;
  private final PlaintextHandler in;
  private final ServerFingerprintPolicy policy;
  private final Executor loop;
  private final Listener listener;
  private final BcTlsCrypto crypto = new RecordCrypto(new SecureRandom());
  private final DtlsCounters counters = new DtlsCounters();

  // Loop thread only.
  private InetSocketAddress server;
  private volatile DtlsConnection connection;
  private int generation;
  private boolean closed;

  /** A layer; nothing happens until {@link #connect}. */
  public DtlsClientLayer(DtlsConfig config, Sender out, PlaintextHandler in, ServerFingerprintPolicy policy,
      Executor loop, Listener listener) {
    this.config = Objects.requireNonNull(config, "config");
    this.buffers = new LoopBuffers(config.mtu());
    this.out = Objects.requireNonNull(out, "out");
    this.in = Objects.requireNonNull(in, "in");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.loop = Objects.requireNonNull(loop, "loop");
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /** Starts a handshake with {@code server} (dropping any previous association). Any thread. */
  public void connect(InetSocketAddress server) {
    Objects.requireNonNull(server, "server");
    loop.execute(() -> {
      if (!closed) {
        this.server = server;
        start();
      }
    });
  }

  /**
   * Drops the current association and handshakes again with the same server, e.g. when the client
   * suspects that its address changed (the server then sees a new source address). Any thread.
   */
  public void reconnect() {
    loop.execute(() -> {
      if (!closed && server != null) {
        start();
      }
    });
  }

  /** Whether a handshake is under way: started, neither established nor failed yet (loop thread). */
  public boolean isHandshaking() {
    return connection != null && !connection.isEstablished();
  }

  /** Whether the association is established (loop thread). */
  public boolean isEstablished() {
    return connection != null && connection.isEstablished();
  }

  /** Loop thread. */
  private void start() {
    if (connection != null) {
      connection.abandon();
    }
    int gen = ++generation;
    InetSocketAddress to = server;
    QueueTransport transport = new QueueTransport(to, out, loop, config);
    DtlsConnection c = new DtlsConnection(to, transport, null, System.nanoTime());
    connection = c;
    counters.handshakesStarted.incrementAndGet();
    log.debug("DTLS: handshake with {} started", to);
    Thread t = new Thread(() -> handshake(gen, c), HANDSHAKE_THREAD_NAME);
    t.setDaemon(true);
    t.start();
  }

  /** Handshake thread. */
  private void handshake(int gen, DtlsConnection c) {
    Peers.Client peer = new Peers.Client(crypto, config, c.peer, policy);
    DTLSTransport dtls = null;
    Exception failure = null;
    try {
      dtls = new DTLSClientProtocol().connect(peer, c.transport);
    } catch (IOException | RuntimeException e) {
      failure = peer.mismatch != null ? peer.mismatch : e;
    }
    DTLSTransport result = dtls;
    Exception error = failure;
    try {
      loop.execute(() -> handshakeDone(gen, c, result, error));
    } catch (RejectedExecutionException e) {
      c.abandon();
    }
  }

  /** Loop thread. */
  private void handshakeDone(int gen, DtlsConnection c, DTLSTransport dtls, Exception error) {
    if (gen != generation || closed || c != connection) {
      log.debug("DTLS: stale handshake with {} ended", c.peer);
      c.abandon();
      return;
    }
    if (dtls == null) {
      counters.handshakesFailed.incrementAndGet();
      log.debug("DTLS: handshake with {} failed: {}", c.peer, String.valueOf(error));
      c.abandon();
      connection = null;
      listener.onFailed(error);
      return;
    }
    counters.handshakesCompleted.incrementAndGet();
    log.debug("DTLS: handshake with {} completed", c.peer);
    if (!c.attach(dtls, buffers)) {
      connection = null;
      listener.onFailed(new IOException("DTLS association with " + c.peer + " unusable"));
      return;
    }
    listener.onEstablished();
    if (c == connection && !c.drainQueued(in)) {
      lost(c);
    }
  }

  private void lost(DtlsConnection c) {
    if (c == connection) {
      connection = null;
      listener.onFailed(new EOFException("the DTLS association with " + c.peer + " ended"));
    }
  }

  /**
   * One datagram (loop thread). Datagrams not from the server are dropped. Never throws.
   */
  public void onDatagram(byte[] buf, int len, InetSocketAddress src) {
    try {
      DtlsConnection c = connection;
      if (c == null || len <= 0 || !src.equals(c.peer)) {
        counters.reject(RejectReason.NO_CONNECTION);
        return;
      }
      if (len > config.mtu()) {
        counters.reject(RejectReason.OVERSIZE);
        return;
      }
      if (!c.isEstablished()) {
        if (!c.transport.offer(Arrays.copyOf(buf, len))) {
          counters.reject(RejectReason.QUEUE_FULL);
        }
        return;
      }
      if (!c.onDatagram(buf, len, in, counters)) {
        lost(c);
      }
    } catch (RuntimeException e) {
      counters.reject(RejectReason.MALFORMED);
      log.debug("DTLS: datagram from {} dropped: {}", src, e.toString());
    }
  }

  /** Encrypts {@code plaintext} as one record to the server; false until established (loop thread). */
  public boolean send(byte[] plaintext) {
    DtlsConnection c = connection;
    if (c == null || !c.isEstablished()) {
      return false;
    }
    if (c.send(plaintext, 0, plaintext.length)) {
      return true;
    }
    if (c.isGone()) {
      lost(c);
    }
    return false;
  }

  /** Counters (any thread); connectionsOpen is 0 or 1 as last seen. */
  public DtlsStats stats() {
    DtlsConnection c = connection;
    boolean up = c != null && c.isEstablished();
    return counters.snapshot(up ? 1 : 0, c != null && !up ? 1 : 0);
  }

  /** Sends close_notify if established and stops (any thread). */
  @Override
  public void close() {
    loop.execute(() -> {
      closed = true;
      generation++;
      if (connection != null) {
        connection.close();
        connection = null;
      }
    });
  }
}
