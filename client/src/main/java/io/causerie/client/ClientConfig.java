package io.causerie.client;

import io.causerie.transport.RetransmitPolicy;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a client reaches its server and signs in.
 *
 * @param server the server's signalling address
 * @param user user name
 * @param password password; the client keeps only the SCRAM keys derived from it after the first sign-in
 * @param localPort local signalling port (0: any)
 * @param legacyPorts use the spec's fixed client ports: send from 5000, signalling in on 5101, voice in on 5001
 * @param codecs codecs offered when calling, in order of preference
 * @param connectTimeout how long the first sign-in may take before the server is called unreachable
 * @param retransmit the request retransmission policy
 * @param serverFingerprint the server certificate's SHA-256 fingerprint to insist on ({@code --server-fingerprint}),
 *     or null to trust on first use
 * @param knownServers the file that remembers servers' fingerprints (trust on first use, as SSH's known_hosts),
 *     or null to remember them only while this client runs
 * @param plaintextSignalling talk to a server whose signalling is not encrypted (insecure; see the server's
 *     {@code --insecure-plaintext-signalling})
 * @param redundancy offer and accept "opus+red" (Opus with RFC 2198 redundant copies on lossy paths,
 *     docs/VOICE.md) next to plain "opus"; {@code --redundancy off} clears it
 */
public record ClientConfig(
    InetSocketAddress server,
    String user,
    char[] password,
    int localPort,
    boolean legacyPorts,
    List<String> codecs,
    Duration connectTimeout,
    RetransmitPolicy retransmit,
    String serverFingerprint,
    java.nio.file.Path knownServers,
    boolean plaintextSignalling,
    boolean redundancy) {

  public static final int DEFAULT_SERVER_PORT = 6100;
  /** The spec's client port that sends signalling and voice. */
  public static final int LEGACY_SEND_PORT = 5000;
  /** The spec's client port that receives voice. */
  public static final int LEGACY_MEDIA_PORT = 5001;
  /** The spec's client port that receives signalling. */
  public static final int LEGACY_SIGNALLING_PORT = 5101;
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  /** Codecs offered by default, best first. */
  public static final List<String> DEFAULT_CODECS = List.of("opus", "pcmu", "pcma");

  public ClientConfig {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    codecs = List.copyOf(codecs);
  }

  public static ClientConfig of(InetSocketAddress server, String user, char[] password) {
    return new ClientConfig(server, user, password, 0, false, DEFAULT_CODECS, DEFAULT_CONNECT_TIMEOUT,
        RetransmitPolicy.DEFAULT, null, null, false, true);
  }

  public ClientConfig withLocalPort(int port) {
    return new ClientConfig(server, user, password, port, legacyPorts, codecs, connectTimeout, retransmit,
        serverFingerprint, knownServers, plaintextSignalling, redundancy);
  }

  public ClientConfig withLegacyPorts(boolean legacy) {
    return new ClientConfig(server, user, password, localPort, legacy, codecs, connectTimeout, retransmit,
        serverFingerprint, knownServers, plaintextSignalling, redundancy);
  }

  public ClientConfig withCodecs(List<String> c) {
    return new ClientConfig(server, user, password, localPort, legacyPorts, c, connectTimeout, retransmit,
        serverFingerprint, knownServers, plaintextSignalling, redundancy);
  }

  public ClientConfig withConnectTimeout(Duration d) {
    return new ClientConfig(server, user, password, localPort, legacyPorts, codecs, d, retransmit,
        serverFingerprint, knownServers, plaintextSignalling, redundancy);
  }

  public ClientConfig withRetransmit(RetransmitPolicy p) {
    return new ClientConfig(server, user, password, localPort, legacyPorts, codecs, connectTimeout, p,
        serverFingerprint, knownServers, plaintextSignalling, redundancy);
  }

  /**
   * Where the command-line and desktop clients remember servers' fingerprints: {@code
   * $XDG_CONFIG_HOME/causerie/known_servers}, or {@code ~/.config/causerie/known_servers}.
   */
  public static java.nio.file.Path defaultKnownServers() {
    String xdg = System.getenv("XDG_CONFIG_HOME");
    java.nio.file.Path base = xdg != null && !xdg.isBlank() ? java.nio.file.Path.of(xdg)
        : java.nio.file.Path.of(System.getProperty("user.home"), ".config");
    return base.resolve("causerie").resolve("known_servers");
  }

  /** Whether to offer and accept Opus with redundancy ("opus+red"). */
  public ClientConfig withRedundancy(boolean on) {
    return new ClientConfig(server, user, password, localPort, legacyPorts, codecs, connectTimeout, retransmit,
        serverFingerprint, knownServers, plaintextSignalling, on);
  }

  /** Insists on this server certificate fingerprint (null: trust on first use). */
  public ClientConfig withServerFingerprint(String fingerprint) {
    return new ClientConfig(server, user, password, localPort, legacyPorts, codecs, connectTimeout, retransmit,
        fingerprint, knownServers, plaintextSignalling, redundancy);
  }

  /** Remembers servers' fingerprints in this file (null: only while the client runs). */
  public ClientConfig withKnownServers(java.nio.file.Path file) {
    return new ClientConfig(server, user, password, localPort, legacyPorts, codecs, connectTimeout, retransmit,
        serverFingerprint, file, plaintextSignalling, redundancy);
  }

  /** Signalling without DTLS, for a server started with {@code --insecure-plaintext-signalling}. */
  public ClientConfig withPlaintextSignalling(boolean plaintext) {
    return new ClientConfig(server, user, password, localPort, legacyPorts, codecs, connectTimeout, retransmit,
        serverFingerprint, knownServers, plaintext, redundancy);
  }

  /** Parses {@code HOST[:PORT]} or {@code [IPv6]:PORT}; the port defaults to 6100. */
  public static InetSocketAddress parseServer(String spec) {
    String host = spec;
    int port = DEFAULT_SERVER_PORT;
    if (spec.startsWith("[")) {
      int close = spec.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("bad server address '" + spec + "': missing ']'");
      }
      host = spec.substring(1, close);
      if (close + 1 < spec.length()) {
        if (spec.charAt(close + 1) != ':') {
          throw new IllegalArgumentException("bad server address '" + spec + "'");
        }
        port = parsePort(spec, spec.substring(close + 2));
      }
    } else if (spec.indexOf(':') >= 0 && spec.indexOf(':') == spec.lastIndexOf(':')) {
      host = spec.substring(0, spec.indexOf(':'));
      port = parsePort(spec, spec.substring(spec.indexOf(':') + 1));
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("bad server address '" + spec + "': no host");
    }
    return new InetSocketAddress(host, port);
  }

  private static int parsePort(String spec, String port) {
    try {
      int p = Integer.parseInt(port);
      if (p < 1 || p > 65535) {
        throw new NumberFormatException();
      }
      return p;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad server address '" + spec + "': port must be 1-65535");
    }
  }
}
