package io.causerie.transport.dtls;

import java.net.InetSocketAddress;

/**
 * Receives the decrypted, authenticated contents of application-data records, one call per record,
 * on the loop thread. The buffer is reused after the call returns.
 */
@FunctionalInterface
public interface PlaintextHandler {
  /** One plaintext message of {@code len} bytes at the start of {@code buf}, from {@code src}. */
  void onPlaintext(byte[] buf, int len, InetSocketAddress src);
}
