package io.causerie.transport.dtls;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The server presented a certificate other than the pinned one: either the server's key was
 * regenerated, or someone is in the middle. The message names both fingerprints and the fix.
 */
public final class FingerprintMismatchException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String presented;
  private final String expected;

  /**
   * @param server the server's address
   * @param presented what it presented
   * @param expected what is pinned
   * @param pinnedIn where it is pinned (a file name, or "--server-fingerprint")
   * @param fix how to accept the new key on purpose
   */
  public FingerprintMismatchException(InetSocketAddress server, String presented, String expected,
      String pinnedIn, String fix) {
    super("the server at " + KnownServers.hostPort(server) + " presented " + presented + " but "
        + expected + " is pinned in " + pinnedIn + "; if the server's key was regenerated on purpose, "
        + fix);
    this.presented = presented;
    this.expected = expected;
  }

  /** The fingerprint the server presented. */
  public String presented() {
    return presented;
  }

  /** The pinned fingerprint. */
  public String expected() {
    return expected;
  }
}
