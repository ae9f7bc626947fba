package io.causerie.protocol;

/** Error codes carried by ERROR answers (docs/PROTOCOL.md §5). */
public enum ErrorCode {
  MALFORMED(1, "malformed message"),
  UNSUPPORTED_VERSION(2, "unsupported protocol version"),
  AUTH_FAILED(3, "wrong user name or password"),
  NO_SESSION(4, "no such session: sign in again"),
  UNKNOWN_USER(5, "no such user"),
  USER_OFFLINE(6, "user is offline"),
  BUSY(7, "user is busy"),
  NO_SUCH_CALL(8, "no such call"),
  INVALID_STATE(9, "not allowed in the current call state"),
  RATE_LIMITED(10, "too many requests: slow down"),
  LOCKED_OUT(11, "too many failed sign-ins: try again later"),
  SELF_CALL(12, "cannot call yourself"),
  SERVER_FULL(13, "server is full"),
  UNSUPPORTED_CODEC(14, "no codec in common"),
  INTERNAL(15, "internal server error"),
  SESSION_REPLACED(16, "signed in from elsewhere"),
  LOGIN_EXPIRED(17, "sign-in took too long: start again");

  private final int wire;
  private final String defaultText;

  ErrorCode(int wire, String defaultText) {
    this.wire = wire;
    this.defaultText = defaultText;
  }

  public int wire() {
    return wire;
  }

  public String defaultText() {
    return defaultText;
  }

  /** The JSON / log spelling, e.g. {@code auth-failed}. */
  public String jsonName() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  public static ErrorCode fromWire(int wire) throws ProtocolException {
    for (ErrorCode c : values()) {
      if (c.wire == wire) {
        return c;
      }
    }
    throw new ProtocolException("unknown error code " + wire);
  }
}
