package io.causerie.transport.dtls;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * Decides whether the client accepts the server's certificate, by its SHA-256 fingerprint. Runs on
 * the handshake thread inside BouncyCastle's certificate check, so a refusal aborts the handshake
 * before any signalling is sent.
 */
@FunctionalInterface
public interface ServerFingerprintPolicy {
  /** Where {@link #pinned(String)} says the fingerprint comes from. */
  String PINNED_FLAG = "--server-fingerprint";

  /**
   * Accepts {@code presented} (canonical "SHA256:AB:CD:..." form) for {@code server}, or throws.
   */
  void check(InetSocketAddress server, String presented) throws FingerprintMismatchException;

  /**
   * Accepts only {@code expected}, compared case-insensitively, with or without the "SHA256:" prefix
   * and the ':' separators (for the {@value #PINNED_FLAG} flag).
   *
   * @throws IllegalArgumentException if {@code expected} is not a SHA-256 fingerprint
   */
  static ServerFingerprintPolicy pinned(String expected) {
    String want = ServerIdentity.normalizeFingerprint(expected);
    return (server, presented) -> {
      if (!want.equals(ServerIdentity.normalizeFingerprint(presented))) {
        throw new FingerprintMismatchException(server, presented, want, PINNED_FLAG,
            "pass its new fingerprint to " + PINNED_FLAG);
      }
    };
  }

  /** Trust on first use, recorded in {@code file} (see {@link KnownServers}). */
  static ServerFingerprintPolicy knownServers(Path file) {
    return new KnownServers(file);
  }
}
