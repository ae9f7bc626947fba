package io.causerie.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The media relay as the signalling core sees it: a UDP port per signed-in client, joined in pairs
 * while a call is up. Methods are called from the signalling thread.
 */
public interface MediaRelay {

  /** One client's media port on the server. */
  interface Port {
    int port();

    /**
     * The media id (SSRC) this client must send with in its current call when every call shares one port
     * (docs/PROTOCOL.md §8.7); 0 when the client has a port of its own or is not in a call.
     */
    default int mediaId() {
      return 0;
    }
  }

  /**
   * Opens a media port for a client whose signalling comes from {@code clientIp}; media from any other
   * host is dropped. {@code fixedReply}, when not null, is where this client receives media (the spec's
   * legacy layout); otherwise the relay answers the address the client's media comes from.
   *
   * @return the port, or null if the range is exhausted
   */
  Port open(String user, InetAddress clientIp, InetSocketAddress fixedReply);

  /** The client's signalling moved to another address (NAT rebinding): accept its media from there. */
  void moved(Port port, InetAddress clientIp);

  /** Forwards everything each port receives to the other, until {@link #disconnect}. */
  void connect(Port a, Port b);

  /** Stops forwarding from and to this port. */
  void disconnect(Port p);

  /** Closes the port. */
  void close(Port p);
}
