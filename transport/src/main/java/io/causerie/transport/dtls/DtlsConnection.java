package io.causerie.transport.dtls;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.util.Arrays;
import org.bouncycastle.tls.DTLSRecordCallback;
import org.bouncycastle.tls.DTLSTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One association with a peer, shared by both layers: the queue transport, and once the handshake
 * is done the {@link DTLSTransport}. Everything but construction happens on the loop thread.
 */
final class DtlsConnection {
  private static final Logger log = LoggerFactory.getLogger(DtlsConnection.class);

  /** The read epoch after a full handshake (we never renegotiate). */
  static final int ESTABLISHED_EPOCH = 1;

  final InetSocketAddress peer;
  final QueueTransport transport;
  /** ClientHello.random that started this association (server side), to tell a new client from a retransmission. */
  final byte[] clientRandom;
  /** Mirror of the record layer's replay window for the established epoch. */
  private final SeenWindow window;
  private final DTLSRecordCallback onAccepted = flags -> accepted = true;
  private volatile DTLSTransport dtls;
  private byte[] plain;
  private boolean accepted;
  private volatile boolean gone;
  long lastReceiveNanos;
  /** Counted in the server's open-connections gauge. */
  boolean counted;

  DtlsConnection(InetSocketAddress peer, QueueTransport transport, byte[] clientRandom, long nowNanos) {
    this.peer = peer;
    this.transport = transport;
    this.clientRandom = clientRandom;
    this.lastReceiveNanos = nowNanos;
    this.window = transport.handedOver;
  }

  boolean isEstablished() {
    return dtls != null && !gone;
  }

  boolean isGone() {
    return gone || transport.isClosed();
  }

  /**
   * Switches to non-blocking mode with the handshake's result, reading and packing in the loop's {@code buffers}
   * (their own buffers if the record layer wants more than the loop's); false if that failed.
   */
  boolean attach(DTLSTransport transportAfterHandshake, LoopBuffers buffers) {
    this.dtls = transportAfterHandshake;
    try {
      int limit = dtls.getReceiveLimit();
      this.plain = limit <= buffers.plaintext.length ? buffers.plaintext : new byte[Math.max(1, limit)];
    } catch (IOException e) {
      abandon();
      return false;
    }
    transport.setNonBlocking(buffers);
    return true;
  }

  /** Processes what arrived while the handshake thread finished; false if the connection is gone. */
  boolean drainQueued(PlaintextHandler in) {
    boolean alive = drain(in);
    transport.stopTrackingHandedOver();
    return alive;
  }

  /**
   * Processes one datagram from the peer, record by record, so that each dropped record can be
   * classified. Returns false if the connection is gone (peer closed it, or a fatal error).
   */
  boolean onDatagram(byte[] buf, int len, PlaintextHandler in, DtlsCounters counters) {
    int off = 0;
    while (off < len) {
      int rlen = Records.recordLength(buf, off, len);
      if (rlen < 0) {
        counters.reject(RejectReason.MALFORMED);
        log.debug("DTLS: malformed record from {}", peer);
        return true;
      }
      int epoch = Records.epoch(buf, off);
      long seq = Records.sequence(buf, off);
      if (!transport.offer(Arrays.copyOfRange(buf, off, off + rlen))) {
        counters.reject(RejectReason.QUEUE_FULL);
        return !isGone();
      }
      off += rlen;
      accepted = false;
      if (!drain(in)) {
        return false;
      }
      if (accepted) {
        if (epoch == ESTABLISHED_EPOCH) {
          window.mark(seq);
        }
      } else {
        RejectReason reason = epoch != ESTABLISHED_EPOCH ? RejectReason.STALE_EPOCH
            : window.seen(seq) ? RejectReason.REPLAYED : RejectReason.BAD_MAC;
        counters.reject(reason);
        log.debug("DTLS: record epoch {} seq {} from {} dropped: {}", epoch, seq, peer, reason);
      }
    }
    return true;
  }

  /** Receives until the queue is empty; never blocks (the transport throws WouldBlock). */
  private boolean drain(PlaintextHandler in) {
    while (true) {
      int n;
      try {
        n = dtls.receive(plain, 0, plain.length, 0, onAccepted);
      } catch (InterruptedIOException wouldBlock) {
        break;
      } catch (IOException | RuntimeException e) {
        log.debug("DTLS: connection with {} failed: {}", peer, e.toString());
        abandon();
        return false;
      }
      if (n > 0) {
        try {
          in.onPlaintext(plain, n, peer);
        } catch (RuntimeException e) {
          log.warn("DTLS: plaintext handler failed on a message from {}", peer, e);
        }
      }
    }
    transport.flush(); // e.g. a retransmitted final flight, or a close_notify in reply
    if (transport.isClosed()) {
      log.debug("DTLS: {} closed the connection", peer);
      gone = true;
      return false;
    }
    return true;
  }

  /** Encrypts and sends one record; false if too large or not established. */
  boolean send(byte[] plaintext, int off, int len) {
    if (!isEstablished() || len <= 0) {
      return false;
    }
    try {
      if (len > dtls.getSendLimit()) {
        log.debug("DTLS: {} plaintext bytes exceed the send limit to {}", len, peer);
        return false;
      }
      dtls.send(plaintext, off, len);
      transport.flush();
      return true;
    } catch (IOException | RuntimeException e) {
      log.debug("DTLS: send to {} failed: {}", peer, e.toString());
      abandon();
      return false;
    }
  }

  /** Sends close_notify (if established) and forgets the connection. */
  void close() {
    if (dtls != null && !gone) {
      try {
        dtls.close();
      } catch (IOException | RuntimeException e) {
        log.debug("DTLS: close to {} failed: {}", peer, e.toString());
      }
    }
    gone = true;
    transport.close();
  }

  /** Forgets the connection without sending anything (e.g. the peer restarted). */
  void abandon() {
    gone = true;
    transport.discard();
    if (dtls != null) {
      try {
        dtls.close(); // the transport is closed, so nothing is sent
      } catch (IOException | RuntimeException e) {
        // ignore
      }
    }
  }
}
