package io.causerie.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A UDP socket served by an {@link EventLoop}; sends are non-blocking and may be dropped when the kernel buffer is full. */
public final class UdpEndpoint implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(UdpEndpoint.class);

  private final DatagramChannel channel;
  private final DatagramHandler handler;
  private final InetSocketAddress localAddress;
  volatile SelectionKey key;

  UdpEndpoint(DatagramChannel channel, DatagramHandler handler) throws IOException {
    this.channel = channel;
    this.handler = handler;
    this.localAddress = (InetSocketAddress) channel.getLocalAddress();
  }

  public InetSocketAddress localAddress() {
    return localAddress;
  }

  DatagramChannel channel() {
    return channel;
  }

  DatagramHandler handler() {
    return handler;
  }

  /** Sends one datagram; returns false if it could not be sent (logged, never thrown: UDP may lose it anyway). */
  public boolean send(byte[] data, SocketAddress destination) {
    return send(ByteBuffer.wrap(data), destination);
  }

  public boolean send(ByteBuffer data, SocketAddress destination) {
    try {
      return channel.send(data, destination) > 0;
    } catch (IOException | UncheckedIOException | java.nio.channels.UnresolvedAddressException e) {
      log.debug("send to {} failed: {}", destination, e.toString());
      return false;
    }
  }

  @Override
  public void close() {
    SelectionKey k = key;
    if (k != null) {
      k.cancel();
    }
    try {
      channel.close();
    } catch (IOException e) {
      log.debug("close of {} failed: {}", localAddress, e.toString());
    }
  }
}
