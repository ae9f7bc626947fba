package io.causerie.transport;

import java.net.InetSocketAddress;

/** Receives datagrams on the event-loop thread; {@code buf} is reused after the call returns. */
@FunctionalInterface
public interface DatagramHandler {
  void onDatagram(UdpEndpoint endpoint, byte[] buf, int len, InetSocketAddress source);
}
