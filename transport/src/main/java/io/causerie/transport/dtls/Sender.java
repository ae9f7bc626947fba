package io.causerie.transport.dtls;

import java.net.InetSocketAddress;

/**
 * Where a DTLS layer puts its ciphertext datagrams (typically {@code UdpEndpoint.send}). Always
 * called on the loop thread. The array is only valid during the call: copy it to keep it.
 */
@FunctionalInterface
public interface Sender {
  /** Sends {@code data[off, off + len)} as one datagram to {@code to}; returns whether it was sent. */
  boolean send(byte[] data, int off, int len, InetSocketAddress to);
}
