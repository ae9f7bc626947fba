package io.causerie.server;

/**
 * How the relay lays out its media ports (docs/PROTOCOL.md §1.1 and §8.7, docs/OPERATIONS.md).
 *
 * <p>{@link #PORTS} is the spec's plan and the default: one port per signed-in client. {@link #SINGLE_PORT} carries
 * every call on one port (the first of the media range) and tells the calls apart by the RTP/RTCP SSRC the server
 * assigns each party in CALL_STARTED; it reads and writes datagrams in batches where the platform allows.
 */
public enum MediaMode {
  /** One UDP port per signed-in client (the spec's layout). */
  PORTS("ports"),
  /** Every client's media on one UDP port, demultiplexed by the server-assigned SSRC. */
  SINGLE_PORT("single-port");

  private final String label;

  MediaMode(String label) {
    this.label = label;
  }

  /** The name in the configuration file and on the command line. */
  public String label() {
    return label;
  }

  /** Parses {@code ports} or {@code single-port}. */
  public static MediaMode parse(String s) {
    for (MediaMode m : values()) {
      if (m.label.equalsIgnoreCase(s.trim())) {
        return m;
      }
    }
    throw new IllegalArgumentException("bad media mode '" + s + "': expected ports or single-port");
  }

  @Override
  public String toString() {
    return label;
  }
}
