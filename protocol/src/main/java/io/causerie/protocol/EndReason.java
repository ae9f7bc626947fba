package io.causerie.protocol;

/** Why a call ended, as carried by CALL_ENDED (docs/PROTOCOL.md §4). */
public enum EndReason {
  /** The peer hung up an established call. */
  REMOTE_HANGUP(1),
  /** This side hung up (only reported locally, never sent). */
  HANGUP(2),
  /** The callee refused. */
  REFUSED(3),
  /** The callee was already in a call. */
  BUSY(4),
  /** Nobody answered before the no-answer timeout. */
  NO_ANSWER(5),
  /** The caller cancelled before the callee answered. */
  CANCELLED(6),
  /** The peer's session vanished (expired, signed out, or replaced). */
  PEER_LOST(7),
  /** This side lost its own session (server restarted or unreachable). */
  CONNECTION_LOST(8),
  /** The server is shutting down. */
  SHUTDOWN(9),
  /** The callee does not exist. */
  UNKNOWN_USER(10),
  /** The callee exists but is not signed in. */
  OFFLINE(11),
  /** The call could not be placed for another reason (see the error event). */
  FAILED(12),
  /**
   * The end-to-end key check failed: the peer's key did not match its commitment, was invalid, or never came.
   * Reported locally by the client that noticed; the peer hears REMOTE_HANGUP.
   */
  E2E_FAILED(13);

  private final int wire;

  EndReason(int wire) {
    this.wire = wire;
  }

  public int wire() {
    return wire;
  }

  /** The JSON spelling, e.g. {@code no-answer}. */
  public String jsonName() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  public static EndReason fromWire(int wire) throws ProtocolException {
    for (EndReason r : values()) {
      if (r.wire == wire) {
        return r;
      }
    }
    throw new ProtocolException("unknown end reason " + wire);
  }
}
