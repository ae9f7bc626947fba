package io.causerie.transport.dtls;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;

/** Minimal parsing of DTLS 1.2 record headers (RFC 6347 4.1), for routing and counting only. */
final class Records {
  static final int RECORD_HEADER_LENGTH = 13;
  static final int HANDSHAKE_HEADER_LENGTH = 12;
  static final int CONTENT_CHANGE_CIPHER_SPEC = 20;
  static final int CONTENT_APPLICATION_DATA = 23;
  static final int CONTENT_HANDSHAKE = 22;
  static final int HANDSHAKE_CLIENT_HELLO = 1;
  static final int DTLS_MAJOR_VERSION = 0xFE;
  static final int RANDOM_LENGTH = 32;
  /** Offset of ClientHello.random in a datagram whose first record holds an unfragmented ClientHello. */
  static final int CLIENT_RANDOM_OFFSET = RECORD_HEADER_LENGTH + HANDSHAKE_HEADER_LENGTH + 2;
  private static final int PORT_BYTES = 2;

  private Records() {}

  static int u16(byte[] b, int off) {
    return (b[off] & 0xff) << 8 | (b[off + 1] & 0xff);
  }

  static long u48(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 6; i++) {
      v = v << 8 | (b[off + i] & 0xff);
    }
    return v;
  }

  /** Whether the datagram starts with an epoch-0 handshake record carrying a ClientHello. */
  static boolean isClientHello(byte[] buf, int len) {
    return len >= CLIENT_RANDOM_OFFSET + RANDOM_LENGTH
        && (buf[0] & 0xff) == CONTENT_HANDSHAKE
        && (buf[1] & 0xff) == DTLS_MAJOR_VERSION
        && u16(buf, 3) == 0
        && (buf[RECORD_HEADER_LENGTH] & 0xff) == HANDSHAKE_CLIENT_HELLO;
  }

  /** ClientHello.random of a datagram for which {@link #isClientHello} holds. */
  static byte[] clientRandom(byte[] buf) {
    return Arrays.copyOfRange(buf, CLIENT_RANDOM_OFFSET, CLIENT_RANDOM_OFFSET + RANDOM_LENGTH);
  }

  /**
   * Length of the record at {@code off}, or -1 if it is not a well-formed DTLS record of a content
   * type we accept (change_cipher_spec, alert, handshake, application_data).
   */
  static int recordLength(byte[] buf, int off, int end) {
    if (end - off < RECORD_HEADER_LENGTH) {
      return -1;
    }
    int type = buf[off] & 0xff;
    if (type < CONTENT_CHANGE_CIPHER_SPEC || type > CONTENT_APPLICATION_DATA
        || (buf[off + 1] & 0xff) != DTLS_MAJOR_VERSION) {
      return -1;
    }
    int length = RECORD_HEADER_LENGTH + u16(buf, off + RECORD_HEADER_LENGTH - 2);
    return length <= end - off ? length : -1;
  }

  static int epoch(byte[] buf, int off) {
    return u16(buf, off + 3);
  }

  static long sequence(byte[] buf, int off) {
    return u48(buf, off + 5);
  }

  /** The cookie's client identity: IP address bytes followed by the port, big-endian. */
  static byte[] clientId(InetSocketAddress a) {
    byte[] ip = a.getAddress().getAddress();
    return ByteBuffer.allocate(ip.length + PORT_BYTES).put(ip).putShort((short) a.getPort()).array();
  }
}
