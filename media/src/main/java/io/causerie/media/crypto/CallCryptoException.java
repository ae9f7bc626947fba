package io.causerie.media.crypto;

/**
 * The end-to-end key agreement of a call failed: the peer's key does not match its commitment, is
 * malformed or a low-order point, or a message is missing. The call must not carry media.
 */
public final class CallCryptoException extends Exception {
  /** A failure described by {@code message}. */
  public CallCryptoException(String message) {
    super(message);
  }

  /** A failure described by {@code message}, caused by {@code cause}. */
  public CallCryptoException(String message, Throwable cause) {
    super(message, cause);
  }
}
