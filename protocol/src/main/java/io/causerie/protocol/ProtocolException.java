package io.causerie.protocol;

/** The one exception a decoder throws for a datagram that is not a well-formed Causerie message. */
public final class ProtocolException extends Exception {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  public ProtocolException(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  public ProtocolException(String message) {
    this(ErrorCode.MALFORMED, message);
  }

  /** The error code to answer with, when an answer is due at all. */
  public ErrorCode code() {
    return code;
  }
}
