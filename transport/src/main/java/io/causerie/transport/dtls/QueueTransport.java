package io.causerie.transport.dtls;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.DatagramTransport;

/**
 * A BouncyCastle {@link DatagramTransport} for one peer, fed by the loop thread through a bounded
 * queue.
 *
 * <p>In <em>blocking</em> mode (during a handshake, on a handshake thread) {@link #receive} waits on
 * the queue, and {@link #send} hands a copy of each datagram to the loop thread, so that the {@link
 * Sender} is only ever called there. After the handshake the loop thread switches it to
 * <em>non-blocking</em> mode: {@link #receive} then returns a queued datagram or, when the queue is
 * empty, throws {@link WouldBlock}, an {@link InterruptedIOException} that BouncyCastle's record
 * layer passes straight up ({@code DTLSRecordLayer.receiveDatagram} only swallows {@link
 * SocketTimeoutException}, which would make {@code receive(..., 0)} retry forever); sends go to the
 * {@link Sender} directly.
 *
 * <p><b>Packing.</b> BouncyCastle writes one record per {@link #send} call (a whole flight is
 * ServerHello, Certificate, ServerKeyExchange, ServerHelloDone, or ClientKeyExchange,
 * ChangeCipherSpec, Finished). Sends are buffered and packed, in order, into as few datagrams of at
 * most the MTU as possible (RFC 6347 4.1.1 allows several records per datagram), and flushed when
 * BouncyCastle has finished writing: before a blocking receive (the end of a flight), when the loop
 * thread has finished processing a datagram or a send ({@link #flush()}), and on close. Fewer
 * datagrams per flight means fewer chances to lose one, which matters because BouncyCastle backs off
 * its retransmissions exponentially (1, 2, 4, 8 s ...) within the handshake timeout.
 */
final class QueueTransport implements DatagramTransport {
  /** Receive found the queue empty in non-blocking mode; carries no stack trace. */
  static final class WouldBlock extends InterruptedIOException {
    private static final long serialVersionUID = 1L;

    WouldBlock() {
      super("no datagram queued");
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }

  private static final byte[] CLOSED_MARKER = new byte[0];

  private final BlockingQueue<byte[]> queue;
  private final InetSocketAddress peer;
  private final Sender out;
  private final Executor loop;
  private final int mtu;
  private final int maxWaitMillis;
  private volatile boolean nonBlocking;
  private volatile boolean closed;
  /**
   * During the handshake: records written but not yet sent, packed into {@code packed[0, packedLength)}; guarded
   * by this. Dropped when the handshake is done: from then on records are packed in the loop's {@link
   * LoopBuffers}.
   */
  private byte[] packed;
  private int packedLength;
  /** After the handshake (loop thread): the loop's shared buffers. */
  private LoopBuffers shared;
  /**
   * Epoch-1 sequence numbers handed to BouncyCastle while nobody watched which records it accepted
   * (during the handshake and the first drain), so that later duplicates of them count as replays.
   */
  final SeenWindow handedOver = new SeenWindow();
  private volatile boolean trackHandedOver = true;

  QueueTransport(InetSocketAddress peer, Sender out, Executor loop, DtlsConfig config) {
    this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
    this.peer = peer;
    this.out = out;
    this.loop = loop;
    this.mtu = config.mtu();
    this.maxWaitMillis = config.handshakeTimeoutMillis();
    this.packed = new byte[mtu];
  }

  /** Queues a datagram (the caller's copy); false if the queue is full or the transport closed. */
  boolean offer(byte[] datagram) {
    return !closed && queue.offer(datagram);
  }

  /**
   * Loop thread, after the handshake: receive no longer waits, sends go out directly, and records are packed in
   * {@code buffers} (what the handshake left is sent first).
   */
  void setNonBlocking(LoopBuffers buffers) {
    nonBlocking = true;
    flush();
    synchronized (this) {
      shared = buffers;
      packed = null;
      packedLength = 0;
    }
  }

  boolean isClosed() {
    return closed;
  }

  InetSocketAddress peer() {
    return peer;
  }

  @Override
  public int getReceiveLimit() {
    return mtu;
  }

  @Override
  public int getSendLimit() {
    return mtu;
  }

  @Override
  public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
    if (closed) {
      throw new IOException("DTLS transport to " + peer + " closed");
    }
    byte[] d;
    if (nonBlocking) {
      d = queue.poll();
      if (d == null) {
        throw new WouldBlock();
      }
    } else {
      flush(); // BouncyCastle has written its flight and now waits for the peer's
      int wait = waitMillis <= 0 ? maxWaitMillis : Math.min(waitMillis, maxWaitMillis);
      try {
        d = queue.poll(wait, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("handshake with " + peer + " interrupted");
      }
      if (d == null) {
        throw new SocketTimeoutException();
      }
    }
    if (d == CLOSED_MARKER || closed) {
      throw new IOException("DTLS transport to " + peer + " closed");
    }
    if (d.length > len) {
      return -1; // BouncyCastle discards it
    }
    if (trackHandedOver) {
      markEpochOne(d);
    }
    System.arraycopy(d, 0, buf, off, d.length);
    return d.length;
  }

  @Override
  public void send(byte[] buf, int off, int len) throws IOException {
    if (closed) {
      return;
    }
    if (len > mtu) {
      throw new IOException("record of " + len + " bytes exceeds the MTU " + mtu);
    }
    LoopBuffers b = shared;
    if (b != null) {
      sendShared(b, buf, off, len);
      return;
    }
    byte[] full = null;
    synchronized (this) {
      if (packedLength + len > mtu) {
        full = Arrays.copyOf(packed, packedLength);
        packedLength = 0;
      }
      System.arraycopy(buf, off, packed, packedLength, len);
      packedLength += len;
    }
    if (full != null) {
      emit(full);
    }
  }

  /** After the handshake (loop thread): packs the record in the loop's buffer, another association's sent first. */
  private void sendShared(LoopBuffers b, byte[] buf, int off, int len) {
    if (b.packedFor != this && b.packedLength > 0) {
      b.packedFor.flush(); // every operation flushes what it wrote, so this is only a safeguard
    }
    b.packedFor = this;
    if (b.packedLength + len > mtu) {
      byte[] full = Arrays.copyOf(b.packed, b.packedLength);
      b.packedLength = 0;
      emit(full);
    }
    System.arraycopy(buf, off, b.packed, b.packedLength, len);
    b.packedLength += len;
  }

  /** Sends the buffered records (on the loop thread, or via the loop during the handshake). */
  void flush() {
    LoopBuffers b = shared;
    if (b != null) {
      if (b.packedFor == this && b.packedLength > 0) {
        byte[] datagram = Arrays.copyOf(b.packed, b.packedLength);
        b.packedLength = 0;
        emit(datagram);
      }
      return;
    }
    byte[] datagram;
    synchronized (this) {
      if (packedLength == 0) {
        return;
      }
      datagram = Arrays.copyOf(packed, packedLength);
      packedLength = 0;
    }
    emit(datagram);
  }

  private void emit(byte[] datagram) {
    if (nonBlocking) {
      out.send(datagram, 0, datagram.length, peer);
    } else {
      // Sent even if the transport closes meanwhile: that is how a fatal alert gets out.
      loop.execute(() -> out.send(datagram, 0, datagram.length, peer));
    }
  }

  /** From now on the caller watches record acceptance itself. */
  void stopTrackingHandedOver() {
    trackHandedOver = false;
  }

  private void markEpochOne(byte[] d) {
    int off = 0;
    int rlen;
    while (off < d.length && (rlen = Records.recordLength(d, off, d.length)) > 0) {
      if (Records.epoch(d, off) == DtlsConnection.ESTABLISHED_EPOCH) {
        handedOver.mark(Records.sequence(d, off));
      }
      off += rlen;
    }
  }

  /** Closes without sending what is buffered (the association was dropped). */
  void discard() {
    synchronized (this) {
      packedLength = 0;
    }
    LoopBuffers b = shared;
    if (b != null && b.packedFor == this) {
      b.packedLength = 0;
    }
    closed = true;
    queue.clear();
    queue.offer(CLOSED_MARKER);
  }

  /** Sends what is buffered, stops sending, and wakes a handshake thread waiting in receive so that it fails. */
  @Override
  public void close() {
    if (!closed) {
      flush(); // e.g. the close_notify or fatal alert just written
    }
    closed = true;
    queue.clear();
    queue.offer(CLOSED_MARKER);
  }
}
