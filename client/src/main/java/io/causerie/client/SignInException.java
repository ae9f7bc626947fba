package io.causerie.client;

import io.causerie.protocol.ErrorCode;

/** The first sign-in failed: {@code code} is the server's reason, or null when it never answered. */
public final class SignInException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient ErrorCode code;

  public SignInException(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  /** The server's error code, or null if the server was unreachable. */
  public ErrorCode code() {
    return code;
  }

  public boolean unreachable() {
    return code == null;
  }
}
