package io.causerie.media.codec;

/**
 * Unchecked failure of a codec on a payload it cannot decode (corrupt or oversized Opus packet)
 * or on a misconfiguration; a receiver catches it and conceals the frame instead.
 */
public final class CodecException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CodecException(String message) {
    super(message);
  }

  public CodecException(String message, Throwable cause) {
    super(message, cause);
  }
}
