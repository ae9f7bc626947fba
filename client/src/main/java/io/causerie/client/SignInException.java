package io.causerie.client;

import io.causerie.protocol.ErrorCode;

/** The first sign-in failed: {@code code} is the server's reason, or null when it never answered. */
public final class SignInException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient ErrorCode code;
  private final boolean serverKeyChanged;

  public SignInException(ErrorCode code, String message) {
    this(code, message, false);
  }

  public SignInException(ErrorCode code, String message, boolean serverKeyChanged) {
    super(message);
    this.code = code;
    this.serverKeyChanged = serverKeyChanged;
  }

  /** The server presented a certificate other than the pinned one (the message names both fingerprints). */
  public boolean serverKeyChanged() {
    return serverKeyChanged;
  }

  /** The server's error code, or null if the server was unreachable. */
  public ErrorCode code() {
    return code;
  }

  public boolean unreachable() {
    return code == null && !serverKeyChanged;
  }
}
