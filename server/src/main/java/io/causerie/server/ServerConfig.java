package io.causerie.server;

import io.causerie.transport.dtls.DtlsConfig;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything an operator can set on the server, with the documented defaults (docs/OPERATIONS.md).
 *
 * @param bindAddress address to bind signalling and media sockets to (the wildcard by default)
 * @param signallingPort UDP port for signalling (6100; 0 picks a free one)
 * @param mediaPortFrom first UDP port of the media range (0 together with mediaPortTo 0: ephemeral ports)
 * @param mediaPortTo last UDP port of the media range, inclusive
 * @param db SQLite file path or JDBC URL
 * @param keepaliveInterval how often clients must send KEEPALIVE
 * @param sessionTimeout silence after which a session expires
 * @param noAnswerTimeout how long a call rings before it ends with no-answer
 * @param loginTimeout how long a half-done SCRAM exchange is kept
 * @param maxSessions sessions the server accepts in all
 * @param maxSessionsPerAddress sessions from one IP address
 * @param maxPendingLogins half-done logins kept at once
 * @param abuse lockout and rate-limit settings
 * @param plaintextSignalling signalling without DTLS: only for debugging and the spec's plain protocol; voice
 *     stays end-to-end encrypted, but who calls whom is visible and a session token can be stolen
 * @param mediaMode one media port per client (the spec's plan, the default) or every call on one port
 * @param tuning presence batching and the DTLS layer's caps
 */
public record ServerConfig(
    InetAddress bindAddress,
    int signallingPort,
    int mediaPortFrom,
    int mediaPortTo,
    String db,
    Duration keepaliveInterval,
    Duration sessionTimeout,
    Duration noAnswerTimeout,
    Duration loginTimeout,
    int maxSessions,
    int maxSessionsPerAddress,
    int maxPendingLogins,
    Abuse abuse,
    boolean plaintextSignalling,
    MediaMode mediaMode,
    Tuning tuning) {

  /**
   * Signalling knobs that trade freshness or capacity for load (docs/OPERATIONS.md).
   *
   * @param presenceInterval shortest time between two presence batches to one session (docs/PROTOCOL.md §6.9):
   *     shorter shows changes sooner and sends more datagrams under churn
   * @param dtlsMaxHandshakes DTLS handshakes in progress at once; more wait for their client's resend
   * @param dtlsMaxAssociations established DTLS associations kept at once; beyond it new ones are refused
   * @param dtlsIdleTimeout silence after which an established association is dropped (the client handshakes
   *     again); at least the session timeout, so a live session never loses its association between keepalives
   */
  public record Tuning(Duration presenceInterval, int dtlsMaxHandshakes, int dtlsMaxAssociations,
      Duration dtlsIdleTimeout) {
    /** Longest presence interval accepted: beyond it presence would look broken rather than batched. */
    public static final Duration MAX_PRESENCE_INTERVAL = Duration.ofSeconds(5);
    public static final Tuning DEFAULTS = new Tuning(Duration.ofNanos(PresenceCoalescer.DEFAULT_INTERVAL_NANOS),
        DtlsConfig.DEFAULT_MAX_CONCURRENT_HANDSHAKES, DtlsConfig.DEFAULT_MAX_CONNECTIONS,
        DtlsConfig.DEFAULT_IDLE_TIMEOUT);

    public Tuning {
      Objects.requireNonNull(presenceInterval, "presenceInterval");
      Objects.requireNonNull(dtlsIdleTimeout, "dtlsIdleTimeout");
      if (presenceInterval.isNegative() || presenceInterval.compareTo(MAX_PRESENCE_INTERVAL) > 0) {
        throw new IllegalArgumentException("presence-interval must be between 0 and "
            + MAX_PRESENCE_INTERVAL.toMillis() + " ms, not " + presenceInterval.toMillis());
      }
      if (dtlsMaxHandshakes < 1 || dtlsMaxAssociations < 1) {
        throw new IllegalArgumentException("dtls-max-handshakes and dtls-max-associations must be at least 1");
      }
    }

    /** The DTLS layer's settings: the defaults with these caps and idle timeout. */
    public DtlsConfig dtls() {
      return DtlsConfig.defaults().withCaps(dtlsMaxHandshakes, dtlsMaxAssociations).withIdleTimeout(dtlsIdleTimeout);
    }
  }

  /**
   * Abuse resistance: lockout after repeated failed sign-ins (per user name and per address), a rate
   * limit on datagrams that carry no valid session, per address, and the media relay's per-port caps.
   */
  public record Abuse(int lockoutFailures, Duration lockoutWindow, Duration lockoutDuration,
      double unauthenticatedPerSecond, double unauthenticatedBurst, double mediaPacketsPerSecond,
      double mediaBytesPerSecond) {
    public static final Abuse DEFAULTS = new Abuse(AuthThrottle.DEFAULT_MAX_FAILURES,
        Duration.ofMillis(AuthThrottle.DEFAULT_WINDOW_MILLIS), Duration.ofMillis(AuthThrottle.DEFAULT_LOCKOUT_MILLIS),
        RateLimiter.DEFAULT_RATE_PER_SECOND, RateLimiter.DEFAULT_BURST,
        UdpMediaRelay.Limits.DEFAULT_PACKETS_PER_SECOND, UdpMediaRelay.Limits.DEFAULT_BYTES_PER_SECOND);

    public Abuse {
      if (lockoutFailures < 1 || unauthenticatedPerSecond <= 0 || unauthenticatedBurst < 1) {
        throw new IllegalArgumentException("lockout-failures must be at least 1, unauthenticated-rate above 0 and"
            + " unauthenticated-burst at least 1");
      }
      if (mediaPacketsPerSecond < 50 || mediaBytesPerSecond < 8_000) {
        throw new IllegalArgumentException("media-max-packets must be at least 50 per second (one call's rate) and"
            + " media-max-bytes at least 8000 per second");
      }
    }

    /** The default media caps. */
    public Abuse(int lockoutFailures, Duration lockoutWindow, Duration lockoutDuration,
        double unauthenticatedPerSecond, double unauthenticatedBurst) {
      this(lockoutFailures, lockoutWindow, lockoutDuration, unauthenticatedPerSecond, unauthenticatedBurst,
          UdpMediaRelay.Limits.DEFAULT_PACKETS_PER_SECOND, UdpMediaRelay.Limits.DEFAULT_BYTES_PER_SECOND);
    }

    /** The relay's per-port caps. */
    public UdpMediaRelay.Limits mediaLimits() {
      return new UdpMediaRelay.Limits(mediaPacketsPerSecond, mediaBytesPerSecond,
          UdpMediaRelay.Limits.DEFAULT_BURST_SECONDS);
    }
  }

  public static final int DEFAULT_SIGNALLING_PORT = 6100;
  public static final int DEFAULT_MEDIA_PORT_FROM = 6001;
  public static final int DEFAULT_MEDIA_PORT_TO = 6099;
  public static final String DEFAULT_DB = "data/causerie.db";
  public static final Duration DEFAULT_KEEPALIVE_INTERVAL = Duration.ofSeconds(15);
  public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(45);
  public static final Duration DEFAULT_NO_ANSWER_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_LOGIN_TIMEOUT = Duration.ofSeconds(10);
  public static final int DEFAULT_MAX_SESSIONS = 10_000;
  public static final int DEFAULT_MAX_SESSIONS_PER_ADDRESS = 32;
  public static final int DEFAULT_MAX_PENDING_LOGINS = 1_024;

  public ServerConfig {
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(db, "db");
    Objects.requireNonNull(mediaMode, "mediaMode");
    if (signallingPort < 0 || signallingPort > 65535) {
      throw new IllegalArgumentException("signalling port out of range: " + signallingPort);
    }
    boolean ephemeral = mediaPortFrom == 0 && mediaPortTo == 0;
    if (!ephemeral && (mediaPortFrom < 1 || mediaPortTo > 65535 || mediaPortFrom > mediaPortTo)) {
      throw new IllegalArgumentException("bad media port range " + mediaPortFrom + "-" + mediaPortTo);
    }
    if (keepaliveInterval.isNegative() || keepaliveInterval.isZero()
        || sessionTimeout.compareTo(keepaliveInterval) <= 0) {
      throw new IllegalArgumentException("session timeout (" + sessionTimeout.toSeconds()
          + " s) must exceed the keepalive interval (" + keepaliveInterval.toSeconds() + " s)");
    }
    if (noAnswerTimeout.isNegative() || noAnswerTimeout.isZero()) {
      throw new IllegalArgumentException("no-answer timeout must be positive");
    }
    Objects.requireNonNull(tuning, "tuning");
    if (tuning.dtlsIdleTimeout().compareTo(sessionTimeout) < 0) {
      throw new IllegalArgumentException("dtls-idle-timeout (" + tuning.dtlsIdleTimeout().toSeconds()
          + " s) must be at least the session timeout (" + sessionTimeout.toSeconds() + " s)");
    }
  }

  /** The defaults, on every interface. */
  public static ServerConfig defaults() {
    return new ServerConfig(wildcard(), DEFAULT_SIGNALLING_PORT, DEFAULT_MEDIA_PORT_FROM, DEFAULT_MEDIA_PORT_TO,
        DEFAULT_DB, DEFAULT_KEEPALIVE_INTERVAL, DEFAULT_SESSION_TIMEOUT, DEFAULT_NO_ANSWER_TIMEOUT,
        DEFAULT_LOGIN_TIMEOUT, DEFAULT_MAX_SESSIONS, DEFAULT_MAX_SESSIONS_PER_ADDRESS, DEFAULT_MAX_PENDING_LOGINS,
        Abuse.DEFAULTS, false, MediaMode.PORTS, Tuning.DEFAULTS);
  }

  /** Loopback, free ports for everything: what tests use. */
  public static ServerConfig forTests(String db) {
    return defaults().withBind(InetAddress.getLoopbackAddress()).withPorts(0, 0, 0).withDb(db);
  }

  public ServerConfig withBind(InetAddress a) {
    return new ServerConfig(a, signallingPort, mediaPortFrom, mediaPortTo, db, keepaliveInterval, sessionTimeout,
        noAnswerTimeout, loginTimeout, maxSessions, maxSessionsPerAddress, maxPendingLogins,
        abuse, plaintextSignalling, mediaMode, tuning);
  }

  public ServerConfig withPorts(int signalling, int mediaFrom, int mediaTo) {
    return new ServerConfig(bindAddress, signalling, mediaFrom, mediaTo, db, keepaliveInterval, sessionTimeout,
        noAnswerTimeout, loginTimeout, maxSessions, maxSessionsPerAddress, maxPendingLogins,
        abuse, plaintextSignalling, mediaMode, tuning);
  }

  public ServerConfig withDb(String d) {
    return new ServerConfig(bindAddress, signallingPort, mediaPortFrom, mediaPortTo, d, keepaliveInterval,
        sessionTimeout, noAnswerTimeout, loginTimeout, maxSessions, maxSessionsPerAddress, maxPendingLogins,
        abuse, plaintextSignalling, mediaMode, tuning);
  }

  public ServerConfig withTimeouts(Duration keepalive, Duration session, Duration noAnswer) {
    return new ServerConfig(bindAddress, signallingPort, mediaPortFrom, mediaPortTo, db, keepalive, session,
        noAnswer, loginTimeout, maxSessions, maxSessionsPerAddress, maxPendingLogins,
        abuse, plaintextSignalling, mediaMode, tuning);
  }

  public ServerConfig withLimits(int sessions, int sessionsPerAddress, int pendingLogins) {
    return new ServerConfig(bindAddress, signallingPort, mediaPortFrom, mediaPortTo, db, keepaliveInterval,
        sessionTimeout, noAnswerTimeout, loginTimeout, sessions, sessionsPerAddress, pendingLogins,
        abuse, plaintextSignalling, mediaMode, tuning);
  }

  public ServerConfig withAbuse(Abuse a) {
    return new ServerConfig(bindAddress, signallingPort, mediaPortFrom, mediaPortTo, db, keepaliveInterval,
        sessionTimeout, noAnswerTimeout, loginTimeout, maxSessions, maxSessionsPerAddress, maxPendingLogins,
        a, plaintextSignalling, mediaMode, tuning);
  }

  /** Signalling without DTLS (insecure: see {@link #plaintextSignalling}). */
  public ServerConfig withPlaintextSignalling(boolean plaintext) {
    return new ServerConfig(bindAddress, signallingPort, mediaPortFrom, mediaPortTo, db, keepaliveInterval,
        sessionTimeout, noAnswerTimeout, loginTimeout, maxSessions, maxSessionsPerAddress, maxPendingLogins, abuse,
        plaintext, mediaMode, tuning);
  }

  /** One port per client, or every call on the first port of the media range. */
  public ServerConfig withMediaMode(MediaMode mode) {
    return new ServerConfig(bindAddress, signallingPort, mediaPortFrom, mediaPortTo, db, keepaliveInterval,
        sessionTimeout, noAnswerTimeout, loginTimeout, maxSessions, maxSessionsPerAddress, maxPendingLogins, abuse,
        plaintextSignalling, mode, tuning);
  }

  /** Presence batching and DTLS caps. */
  public ServerConfig withTuning(Tuning t) {
    return new ServerConfig(bindAddress, signallingPort, mediaPortFrom, mediaPortTo, db, keepaliveInterval,
        sessionTimeout, noAnswerTimeout, loginTimeout, maxSessions, maxSessionsPerAddress, maxPendingLogins, abuse,
        plaintextSignalling, mediaMode, t);
  }

  private static InetAddress wildcard() {
    try {
      return InetAddress.getByAddress(new byte[4]);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
