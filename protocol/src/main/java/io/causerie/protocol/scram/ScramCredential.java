package io.causerie.protocol.scram;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * What a server keeps for one user instead of the password (RFC 5802 §3): salt, iteration count, StoredKey and
 * ServerKey. It lets the server check a login and prove itself to the client, but not log in as the user.
 *
 * <p>Arrays are copied in and out, so an instance is immutable; {@link #toString()} never prints the keys.
 */
public record ScramCredential(byte[] salt, int iterations, byte[] storedKey, byte[] serverKey) {

  /** RFC 7677's minimum iteration count; a client refuses a server that asks for fewer. */
  public static final int MIN_ITERATIONS = 4096;

  /**
   * Iteration count for new passwords. The server never runs PBKDF2 at login (only the client does), but
   * {@code user add}, {@code user passwd} and every client login pay this cost: 100 000 rounds take about 0.1 s of
   * one warm core (up to 0.5 s in a fresh JVM), far above the RFC minimum while keeping a login prompt snappy.
   */
  public static final int DEFAULT_ITERATIONS = 100_000;

  /** Most iterations a client agrees to compute: a server asking for more is treated as a denial-of-service attempt. */
  public static final int MAX_ITERATIONS = 10_000_000;

  public ScramCredential {
    if (salt == null || salt.length == 0) {
      throw new IllegalArgumentException("salt must not be empty");
    }
    if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
      throw new IllegalArgumentException(
          "iteration count " + iterations + " is outside " + MIN_ITERATIONS + ".." + MAX_ITERATIONS);
    }
    if (storedKey == null || storedKey.length != ScramLimits.HASH_BYTES) {
      throw new IllegalArgumentException("stored key must be " + ScramLimits.HASH_BYTES + " bytes");
    }
    if (serverKey == null || serverKey.length != ScramLimits.HASH_BYTES) {
      throw new IllegalArgumentException("server key must be " + ScramLimits.HASH_BYTES + " bytes");
    }
    salt = salt.clone();
    storedKey = storedKey.clone();
    serverKey = serverKey.clone();
  }

  /**
   * Derives the credential for a password: SaltedPassword = Hi(Normalize(password), salt, i), ClientKey =
   * HMAC(SaltedPassword, "Client Key"), StoredKey = H(ClientKey), ServerKey = HMAC(SaltedPassword, "Server Key").
   * Normalize is NFKC only, not full SASLprep.
   */
  public static ScramCredential derive(char[] password, byte[] salt, int iterations) {
    if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
      throw new IllegalArgumentException(
          "iteration count " + iterations + " is outside " + MIN_ITERATIONS + ".." + MAX_ITERATIONS);
    }
    byte[] normalized = ScramCrypto.normalize(password);
    byte[] salted = ScramCrypto.hi(normalized, salt, iterations);
    byte[] clientKey = ScramCrypto.clientKey(salted);
    try {
      return new ScramCredential(salt, iterations, ScramCrypto.sha256(clientKey), ScramCrypto.serverKey(salted));
    } finally {
      Arrays.fill(normalized, (byte) 0);
      Arrays.fill(salted, (byte) 0);
      Arrays.fill(clientKey, (byte) 0);
    }
  }

  /** Derives a credential for a new password with a fresh random salt of {@link ScramLimits#SALT_BYTES} bytes. */
  public static ScramCredential generate(char[] password, int iterations, SecureRandom random) {
    byte[] salt = new byte[ScramLimits.SALT_BYTES];
    random.nextBytes(salt);
    return derive(password, salt, iterations);
  }

  @Override
  public byte[] salt() {
    return salt.clone();
  }

  @Override
  public byte[] storedKey() {
    return storedKey.clone();
  }

  @Override
  public byte[] serverKey() {
    return serverKey.clone();
  }

  /** The salt in standard base64, as it travels in a server-first message. */
  public String saltBase64() {
    return Base64.getEncoder().encodeToString(salt);
  }

  // The record accessors copy; these package-private views spare the copies on the login path.
  byte[] storedKeyView() {
    return storedKey;
  }

  byte[] serverKeyView() {
    return serverKey;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ScramCredential c
        && iterations == c.iterations
        && Arrays.equals(salt, c.salt)
        && MessageDigest.isEqual(storedKey, c.storedKey)
        && MessageDigest.isEqual(serverKey, c.serverKey);
  }

  @Override
  public int hashCode() {
    // Keys are left out on purpose: a hash of them is needless exposure, and salts already differ per user.
    return 31 * Arrays.hashCode(salt) + iterations;
  }

  @Override
  public String toString() {
    return "ScramCredential[salt=" + saltBase64() + ", iterations=" + iterations + ", keys=<redacted>]";
  }
}
