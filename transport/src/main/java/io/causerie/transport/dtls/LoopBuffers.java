package io.causerie.transport.dtls;

/**
 * The buffers one layer's loop thread lends to every association whose handshake is done: the plaintext of the
 * record being read, and the records being packed into the next datagram. Everything an established association
 * does runs on the loop thread, one datagram or send at a time, so one of each serves all of them; a server with
 * 4,000 signed-in clients kept 4,000 of each (about 2.4 KB per association) before. Loop thread only.
 */
final class LoopBuffers {
  /** Plaintext of the record being read; handed to the {@link PlaintextHandler}, which must not keep it. */
  final byte[] plaintext;
  /** Records waiting to go out together in one datagram, and whose they are. */
  final byte[] packed;
  int packedLength;
  QueueTransport packedFor;

  /** Buffers for datagrams of at most {@code mtu} bytes. */
  LoopBuffers(int mtu) {
    this.plaintext = new byte[mtu];
    this.packed = new byte[mtu];
  }
}
