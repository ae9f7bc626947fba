package io.causerie.transport.dtls;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits and timers of a DTLS layer. {@link #defaults()} gives the production values; every limit
 * has a named default constant.
 *
 * @param mtu largest datagram the layer sends or accepts, in bytes; the DTLS transports report it
 *     as their send and receive limit, so BouncyCastle fragments handshake messages to fit
 * @param handshakeTimeout how long a handshake may take in total, retransmissions included
 * @param handshakeResendMillis BouncyCastle's initial handshake retransmission timer (it doubles
 *     on each retransmission, up to 60 s)
 * @param idleTimeout a server connection with no valid datagram for this long is closed by
 *     {@link DtlsServerLayer#tick(long)}
 * @param maxConcurrentHandshakes most server handshakes running at once (the pool size); a
 *     verified ClientHello beyond it is dropped and the client retransmits
 * @param maxConnections most server connections (handshaking or established) at once
 * @param queueCapacity most datagrams waiting for one handshake thread; beyond it they are dropped
 */
public record DtlsConfig(
    int mtu,
    Duration handshakeTimeout,
    int handshakeResendMillis,
    Duration idleTimeout,
    int maxConcurrentHandshakes,
    int maxConnections,
    int queueCapacity) {

  /** Default MTU: one datagram of at most 1200 bytes fits every path we care about (IPv6 minimum 1280). */
  public static final int DEFAULT_MTU = 1200;
  /** Smallest accepted MTU: a DTLS record header plus a usefully sized handshake fragment. */
  public static final int MIN_MTU = 256;
  /** Largest accepted MTU (the event loop's receive buffer is 2048 bytes). */
  public static final int MAX_MTU = 2048;
  /** Default total handshake time. */
  public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(20);
  /** Default initial retransmission timer (BouncyCastle's own default, RFC 6347 4.2.4.1). */
  public static final int DEFAULT_HANDSHAKE_RESEND_MILLIS = 1000;
  /** Default idle time after which a server connection is closed. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(90);
  /** Default cap on concurrent server handshakes. */
  public static final int DEFAULT_MAX_CONCURRENT_HANDSHAKES = 64;
  /** Default cap on server connections. */
  public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
  /** Default per-handshake datagram queue capacity (a whole client flight with room for duplicates). */
  public static final int DEFAULT_QUEUE_CAPACITY = 64;

  /** Validates the values. */
  public DtlsConfig {
    Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    if (mtu < MIN_MTU || mtu > MAX_MTU) {
      throw new IllegalArgumentException("mtu must be in [" + MIN_MTU + ", " + MAX_MTU + "]: " + mtu);
    }
    if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()
        || handshakeTimeout.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("handshakeTimeout must be positive: " + handshakeTimeout);
    }
    if (handshakeResendMillis <= 0) {
      throw new IllegalArgumentException("handshakeResendMillis must be positive: " + handshakeResendMillis);
    }
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("idleTimeout must be positive: " + idleTimeout);
    }
    if (maxConcurrentHandshakes <= 0 || maxConnections <= 0 || queueCapacity <= 0) {
      throw new IllegalArgumentException("caps must be positive: handshakes=" + maxConcurrentHandshakes
          + " connections=" + maxConnections + " queue=" + queueCapacity);
    }
  }

  /** The production defaults. */
  public static DtlsConfig defaults() {
    return new DtlsConfig(DEFAULT_MTU, DEFAULT_HANDSHAKE_TIMEOUT, DEFAULT_HANDSHAKE_RESEND_MILLIS,
        DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_CONCURRENT_HANDSHAKES, DEFAULT_MAX_CONNECTIONS,
        DEFAULT_QUEUE_CAPACITY);
  }

  /** A copy with another handshake timeout. */
  public DtlsConfig withHandshakeTimeout(Duration timeout) {
    return new DtlsConfig(mtu, timeout, handshakeResendMillis, idleTimeout, maxConcurrentHandshakes,
        maxConnections, queueCapacity);
  }

  /** A copy with another idle timeout. */
  public DtlsConfig withIdleTimeout(Duration timeout) {
    return new DtlsConfig(mtu, handshakeTimeout, handshakeResendMillis, timeout, maxConcurrentHandshakes,
        maxConnections, queueCapacity);
  }

  /** A copy with other caps. */
  public DtlsConfig withCaps(int handshakes, int connections) {
    return new DtlsConfig(mtu, handshakeTimeout, handshakeResendMillis, idleTimeout, handshakes,
        connections, queueCapacity);
  }

  int handshakeTimeoutMillis() {
    return (int) handshakeTimeout.toMillis();
  }
}
