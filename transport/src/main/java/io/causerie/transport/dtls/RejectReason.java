package io.causerie.transport.dtls;

/** Why a received datagram or record was dropped without reaching the plaintext handler. */
public enum RejectReason {
  /** Not a well-formed DTLS record (short header, unknown content type, wrong version, bad length). */
  MALFORMED,
  /** Larger than the configured MTU. */
  OVERSIZE,
  /** A record of the current epoch that failed authentication (bad MAC / AEAD tag). */
  BAD_MAC,
  /** A record whose sequence number was already accepted (or is older than the replay window). */
  REPLAYED,
  /** A record of an epoch the connection no longer (or not yet) reads. */
  STALE_EPOCH,
  /** A non-ClientHello datagram from an address without a connection or handshake. */
  NO_CONNECTION,
  /** The per-handshake datagram queue was full. */
  QUEUE_FULL
}
