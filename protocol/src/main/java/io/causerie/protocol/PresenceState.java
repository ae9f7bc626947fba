package io.causerie.protocol;

/** A user's presence as the server reports it. */
public enum PresenceState {
  OFFLINE(0),
  ONLINE(1),
  IN_CALL(2);

  private final int wire;

  PresenceState(int wire) {
    this.wire = wire;
  }

  public int wire() {
    return wire;
  }

  /** The JSON spelling: {@code offline}, {@code online}, {@code in-call}. */
  public String jsonName() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  public static PresenceState fromWire(int wire) throws ProtocolException {
    for (PresenceState s : values()) {
      if (s.wire == wire) {
        return s;
      }
    }
    throw new ProtocolException("unknown presence state " + wire);
  }
}
