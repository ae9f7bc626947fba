package io.causerie.protocol.scram;

/** Size limits and fixed lengths of the SCRAM-SHA-256 exchange, shared by client and server. */
public final class ScramLimits {
  private ScramLimits() {}

  /** Longest user name, in UTF-8 bytes after unescaping (the same as the signalling protocol's name limit). */
  public static final int MAX_USERNAME_BYTES = 64;

  /** Longest SCRAM message either side accepts, in UTF-8 bytes. */
  public static final int MAX_MESSAGE_BYTES = 1024;

  /** Random bytes behind a generated nonce (base64 makes 24 printable characters of them). */
  public static final int NONCE_BYTES = 18;

  /** Shortest server nonce part a server may append; shorter ones would make replays guessable. */
  public static final int MIN_SERVER_NONCE_CHARS = 16;

  /** Length of a salt generated for a new password. */
  public static final int SALT_BYTES = 16;

  /** Longest salt a client accepts from a server. */
  public static final int MAX_SALT_BYTES = 64;

  /** SHA-256 output length: the size of every key, proof and signature. */
  public static final int HASH_BYTES = 32;
}
