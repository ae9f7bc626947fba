package io.causerie.protocol;

/** Wire-level limits of the signalling protocol (docs/PROTOCOL.md §2), shared by both ends. */
public final class ProtocolLimits {
  private ProtocolLimits() {}

  /** Protocol version carried in every header; a peer speaking another version gets UNSUPPORTED_VERSION. */
  public static final int VERSION = 1;

  /** Largest datagram either side sends or accepts: fits an IPv6 minimum MTU with room for DTLS later. */
  public static final int MAX_DATAGRAM_BYTES = 1200;

  /** Header: magic (2) + version (1) + type (1) + transaction id (8) + session token (8). */
  public static final int HEADER_BYTES = 20;

  /** Longest user name, in UTF-8 bytes. */
  public static final int MAX_NAME_BYTES = 64;

  /** Longest codec name, in UTF-8 bytes. */
  public static final int MAX_CODEC_NAME_BYTES = 16;

  /** Most codecs a caller may offer. */
  public static final int MAX_CODECS = 8;

  /** Longest SCRAM message carried in an AUTH message, in bytes. */
  public static final int MAX_SCRAM_BYTES = 512;

  /** Longest key-agreement value (commitment or public key) in CALL, INCOMING, ACCEPT, CALL_STARTED and CALL_KEY. */
  public static final int MAX_KEY_BYTES = 64;

  /** Longest human-readable error text, in UTF-8 bytes. */
  public static final int MAX_ERROR_TEXT_BYTES = 200;

  /**
   * Most presence entries a receiver accepts in one PRESENCE datagram: the count is a {@code u8}, and the datagram
   * limit bounds the entries too (docs/PROTOCOL.md §2.3, §3.11).
   */
  public static final int MAX_PRESENCE_ENTRIES = 255;

  /**
   * Most presence entries in one PRESENCE sent to a client that did not announce {@link ClientFeatures#PACKED_PRESENCE}:
   * receivers before it reject a larger count (16 entries of at most 66 bytes stay under the datagram limit).
   */
  public static final int BASIC_PRESENCE_ENTRIES = 16;

  /**
   * Largest PRESENCE message, header included, sent to a client that announced
   * {@link ClientFeatures#PACKED_PRESENCE}. A DTLS 1.2 record of AES-128-GCM adds 37 bytes (13 header, 8 explicit
   * nonce, 16 tag) and ChaCha20-Poly1305 29, so a message of up to 1163 bytes fits a 1200-byte datagram; this leaves
   * 63 bytes of that to spare.
   */
  public static final int PACKED_PRESENCE_BYTES = 1100;
}
