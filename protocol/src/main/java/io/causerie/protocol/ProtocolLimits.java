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

  /** Most presence entries in one PRESENCE datagram (16 entries of at most 66 bytes stay under the datagram limit). */
  public static final int MAX_PRESENCE_ENTRIES = 16;
}
