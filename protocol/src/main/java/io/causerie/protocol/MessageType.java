package io.causerie.protocol;

/** The type byte of a signalling datagram (docs/PROTOCOL.md §3). */
public enum MessageType {
  AUTH_START(0x01, true),
  AUTH_FINISH(0x02, true),
  LOGOUT(0x03, true),
  KEEPALIVE(0x04, true),
  CALL(0x05, true),
  ACCEPT(0x06, true),
  REFUSE(0x07, true),
  CANCEL(0x08, true),
  HANGUP(0x09, true),
  WHO(0x0A, true),
  CALL_QUALITY(0x0B, true),
  CALL_KEY(0x0C, true),
  PRESENCE(0x20, true),
  INCOMING(0x21, true),
  RINGING(0x22, true),
  CALL_STARTED(0x23, true),
  CALL_ENDED(0x24, true),
  PEER_KEY(0x25, true),
  OK(0x40, false),
  ERROR(0x41, false),
  AUTH_CHALLENGE(0x42, false),
  AUTH_OK(0x43, false),
  CALL_PROCEEDING(0x44, false);

  private static final MessageType[] BY_WIRE = new MessageType[256];

  static {
    for (MessageType t : values()) {
      BY_WIRE[t.wire] = t;
    }
  }

  private final int wire;
  private final boolean request;

  MessageType(int wire, boolean request) {
    this.wire = wire;
    this.request = request;
  }

  public int wire() {
    return wire;
  }

  public boolean isRequest() {
    return request;
  }

  /** Returns the type for a wire byte, or null if there is none. */
  public static MessageType fromWire(int wire) {
    return wire >= 0 && wire < 256 ? BY_WIRE[wire] : null;
  }
}
