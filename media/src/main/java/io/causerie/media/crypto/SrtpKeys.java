package io.causerie.media.crypto;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * The SRTP master key and master salt for one direction of a call (RFC 7714 §12:
 * AEAD_AES_128_GCM takes a 128-bit master key and a 96-bit master salt). Arrays are copied on the
 * way in and out; {@link #toString} never shows them.
 *
 * @param masterKey the 16-byte master key
 * @param masterSalt the 12-byte master salt
 */
public record SrtpKeys(byte[] masterKey, byte[] masterSalt) {
  /** Length of the AES-128 master key. */
  public static final int MASTER_KEY_BYTES = 16;

  /** Length of the AEAD master salt (RFC 7714 §12). */
  public static final int MASTER_SALT_BYTES = 12;

  /** Validates the lengths and copies both arrays. */
  public SrtpKeys {
    Objects.requireNonNull(masterKey, "masterKey");
    Objects.requireNonNull(masterSalt, "masterSalt");
    if (masterKey.length != MASTER_KEY_BYTES) {
      throw new IllegalArgumentException("master key must be " + MASTER_KEY_BYTES + " bytes, not "
          + masterKey.length);
    }
    if (masterSalt.length != MASTER_SALT_BYTES) {
      throw new IllegalArgumentException("master salt must be " + MASTER_SALT_BYTES
          + " bytes, not " + masterSalt.length);
    }
    masterKey = masterKey.clone();
    masterSalt = masterSalt.clone();
  }

  /** A copy of the master key. */
  @Override
  public byte[] masterKey() {
    return masterKey.clone();
  }

  /** A copy of the master salt. */
  @Override
  public byte[] masterSalt() {
    return masterSalt.clone();
  }

  /** Compares key and salt in constant time. */
  @Override
  public boolean equals(Object o) {
    return o instanceof SrtpKeys other
        && MessageDigest.isEqual(masterKey, other.masterKey)
        & MessageDigest.isEqual(masterSalt, other.masterSalt);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(masterKey) + Arrays.hashCode(masterSalt);
  }

  /** Names the fields but never prints key material. */
  @Override
  public String toString() {
    return "SrtpKeys[masterKey=<" + MASTER_KEY_BYTES + " bytes redacted>, masterSalt=<"
        + MASTER_SALT_BYTES + " bytes redacted>]";
  }
}
