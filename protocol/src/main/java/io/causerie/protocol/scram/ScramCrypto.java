package io.causerie.protocol.scram;

import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The RFC 5802 §2.2 primitives for SHA-256, on the JDK's HMAC and digest only. */
final class ScramCrypto {
  private static final String HMAC = "HmacSHA256";
  private static final byte[] CLIENT_KEY = "Client Key".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SERVER_KEY = "Server Key".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] BLOCK_ONE = {0, 0, 0, 1};

  private ScramCrypto() {}

  /**
   * SASLprep-lite: NFKC normalisation and UTF-8 encoding of the password. Full SASLprep (RFC 4013: mapping of
   * non-ASCII spaces, removal of "mapped to nothing" characters, prohibited-output and bidi checks) is not done;
   * passwords that only differ in those respects derive different keys here than in a full implementation.
   */
  static byte[] normalize(char[] password) {
    if (password.length == 0) {
      throw new IllegalArgumentException("password must not be empty");
    }
    String normalized = Normalizer.normalize(CharBuffer.wrap(password), Normalizer.Form.NFKC);
    return normalized.getBytes(StandardCharsets.UTF_8);
  }

  /** Hi(str, salt, i): PBKDF2 with HMAC-SHA-256 and one output block, as RFC 5802 §2.2 defines it. */
  static byte[] hi(byte[] normalizedPassword, byte[] salt, int iterations) {
    Mac mac = mac(normalizedPassword);
    mac.update(salt);
    mac.update(BLOCK_ONE);
    byte[] u = mac.doFinal();
    byte[] result = u.clone();
    try {
      for (int i = 1; i < iterations; i++) {
        mac.update(u);
        mac.doFinal(u, 0);
        for (int j = 0; j < result.length; j++) {
          result[j] ^= u[j];
        }
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA-256 output does not fit its own length", e);
    }
    Arrays.fill(u, (byte) 0);
    return result;
  }

  static byte[] hmac(byte[] key, byte[] data) {
    return mac(key).doFinal(data);
  }

  static byte[] hmac(byte[] key, String data) {
    return hmac(key, data.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }

  static byte[] clientKey(byte[] saltedPassword) {
    return hmac(saltedPassword, CLIENT_KEY);
  }

  static byte[] serverKey(byte[] saltedPassword) {
    return hmac(saltedPassword, SERVER_KEY);
  }

  static byte[] xor(byte[] a, byte[] b) {
    byte[] out = new byte[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = (byte) (a[i] ^ b[i]);
    }
    return out;
  }

  private static Mac mac(byte[] key) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(key, HMAC));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks " + HMAC, e);
    }
  }
}
