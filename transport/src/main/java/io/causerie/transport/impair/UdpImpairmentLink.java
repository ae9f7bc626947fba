package io.causerie.transport.impair;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.Objects;

/**
 * A send-side decorator of a {@link DatagramChannel} that passes outgoing datagrams through an
 * {@link Impairment}, driven by the caller's own loop.
 *
 * <p>The caller replaces {@code channel.send(buffer, target)} with {@link #send(ByteBuffer,
 * SocketAddress, long)} and calls {@link #flushDue(long)} whenever {@link #nextDeliveryNanos()} has
 * passed (for instance by bounding its selector timeout with it). There is no thread and no clock
 * here; times are the caller's.
 *
 * <p>Not thread-safe: use it from the thread that drives the channel.
 */
public final class UdpImpairmentLink {

  private final DatagramChannel channel;
  private final Impairment<Outgoing> impairment;
  private long sendFailures;

  /**
   * Creates a link that impairs what is sent through {@code channel}.
   *
   * @param channel the channel to send on, blocking or not; the caller keeps ownership
   * @param spec what to do to outgoing datagrams
   */
  public UdpImpairmentLink(DatagramChannel channel, ImpairmentSpec spec) {
    this.channel = Objects.requireNonNull(channel, "channel");
    this.impairment = new Impairment<>(spec);
  }

  /**
   * Hands one datagram to the impairment instead of sending it at once; like {@link
   * DatagramChannel#send}, it consumes the buffer's remaining bytes (they are copied).
   *
   * @param datagram the bytes between position and limit
   * @param target where to send it when it is due
   * @param nowNanos the current time
   * @return whether the datagram was scheduled (false if the impairment lost it)
   */
  public boolean send(ByteBuffer datagram, SocketAddress target, long nowNanos) {
    Objects.requireNonNull(target, "target");
    byte[] copy = new byte[datagram.remaining()];
    datagram.get(copy);
    return impairment.submit(new Outgoing(copy, target), nowNanos);
  }

  /**
   * Sends every datagram due at or before {@code nowNanos}, in delivery order.
   *
   * @param nowNanos the current time
   * @return how many datagrams the channel accepted
   * @throws IOException the first send failure, after every due datagram has been tried
   */
  public int flushDue(long nowNanos) throws IOException {
    List<Impairment.Delivery<Outgoing>> due = impairment.pollDue(nowNanos);
    IOException failure = null;
    int sent = 0;
    for (Impairment.Delivery<Outgoing> delivery : due) {
      Outgoing outgoing = delivery.datagram();
      try {
        if (channel.send(ByteBuffer.wrap(outgoing.bytes()), outgoing.target()) > 0) {
          sent++;
        } else {
          sendFailures++;
        }
      } catch (IOException e) {
        sendFailures++;
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
    return sent;
  }

  /** Returns when the next datagram is due, or {@link Long#MAX_VALUE} if none is pending. */
  public long nextDeliveryNanos() {
    return impairment.nextDeliveryNanos();
  }

  /** Returns a snapshot of the impairment's counters. */
  public ImpairmentCounters counters() {
    return impairment.counters();
  }

  /** Returns how many due datagrams the channel did not take (buffer full or I/O error). */
  public long sendFailures() {
    return sendFailures;
  }

  private record Outgoing(byte[] bytes, SocketAddress target) {}
}
