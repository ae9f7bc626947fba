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
 */
public record ClientConfig(
    InetSocketAddress server,
    String user,
    char[] password,
    int localPort,
    boolean legacyPorts,
    List<String> codecs,
    Duration connectTimeout,
    RetransmitPolicy retransmit) {

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
        RetransmitPolicy.DEFAULT);
  }

  public ClientConfig withLocalPort(int port) {
    return new ClientConfig(server, user, password, port, legacyPorts, codecs, connectTimeout, retransmit);
  }

  public ClientConfig withLegacyPorts(boolean legacy) {
    return new ClientConfig(server, user, password, localPort, legacy, codecs, connectTimeout, retransmit);
  }

  public ClientConfig withCodecs(List<String> c) {
    return new ClientConfig(server, user, password, localPort, legacyPorts, c, connectTimeout, retransmit);
  }

  public ClientConfig withConnectTimeout(Duration d) {
    return new ClientConfig(server, user, password, localPort, legacyPorts, codecs, d, retransmit);
  }

  public ClientConfig withRetransmit(RetransmitPolicy p) {
    return new ClientConfig(server, user, password, localPort, legacyPorts, codecs, connectTimeout, p);
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
