package io.causerie.bench;

import io.causerie.protocol.scram.ScramClient;
import io.causerie.protocol.scram.ScramException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The client side of one SCRAM-SHA-256 sign-in as the load generator runs it (RFC 5802 §3).
 *
 * <p>{@link #full} is the product's {@link ScramClient}: PBKDF2 on every sign-in, about 3 ms of the
 * generator's CPU at 4096 iterations, which would make a one-core generator the bottleneck long before 1,000
 * sign-ins/s. {@link #cached} does what RFC 5802 §5.1 allows a client to do: it keeps SaltedPassword per
 * (salt, iterations) and computes only the HMACs. The server's side of the exchange is identical either way.
 */
public interface ScramProver {
  String clientFirst();

  /** Answers the server-first message with the client-final message. */
  String clientFinal(String serverFirst) throws ScramException;

  /** Checks the server's signature in the server-final message. */
  void verifyServerFinal(String serverFinal) throws ScramException;

  /** The product's client: derives the keys from the password on every sign-in. */
  static ScramProver full(String user, char[] password, String clientNonce) {
    return full(user, password, clientNonce, "");
  }

  /** {@link #full(String, char[], String)} with a client-first extension after the nonce ("" for none). */
  static ScramProver full(String user, char[] password, String clientNonce, String extension) {
    ScramClient c = new ScramClient(user, password, clientNonce, extension);
    return new ScramProver() {
      @Override
      public String clientFirst() {
        return c.clientFirstMessage();
      }

      @Override
      public String clientFinal(String serverFirst) throws ScramException {
        return c.clientFinalMessage(serverFirst);
      }

      @Override
      public void verifyServerFinal(String serverFinal) throws ScramException {
        c.verifyServerFinal(serverFinal);
      }
    };
  }

  /** A client that reuses SaltedPassword from {@code keys} (derived once per salt and iteration count). */
  static ScramProver cached(String user, char[] password, String clientNonce, KeyCache keys) {
    return new Cached(user, password, clientNonce, keys, "");
  }

  /** {@link #cached(String, char[], String, KeyCache)} with a client-first extension after the nonce ("" for none). */
  static ScramProver cached(String user, char[] password, String clientNonce, KeyCache keys, String extension) {
    return new Cached(user, password, clientNonce, keys, extension);
  }

  /** SaltedPassword per (password, salt, iterations); thread-safe. */
  final class KeyCache {
    private final Map<String, byte[]> salted = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong derivations = new java.util.concurrent.atomic.AtomicLong();

    byte[] saltedPassword(char[] password, byte[] salt, int iterations) {
      String key = new String(password) + '\0' + Base64.getEncoder().encodeToString(salt) + '\0' + iterations;
      return salted.computeIfAbsent(key, k -> {
        derivations.incrementAndGet();
        return pbkdf2(password, salt, iterations);
      });
    }

    /** How many PBKDF2 derivations ran (for reports and tests). */
    public long derivations() {
      return derivations.get();
    }

    private static byte[] pbkdf2(char[] password, byte[] salt, int iterations) {
      try {
        // Hi() of RFC 5802 is PBKDF2 with one output block; the JDK's PBKDF2 encodes the password as UTF-8,
        // which equals the product's NFKC normalisation for the ASCII passwords the bench uses.
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, 256);
        return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("the JDK lacks PBKDF2WithHmacSHA256", e);
      }
    }
  }

  /** See {@link #cached}. */
  final class Cached implements ScramProver {
    private final char[] password;
    private final String clientNonce;
    private final String clientFirstBare;
    private final KeyCache keys;
    private byte[] expectedServerSignature;

    private Cached(String user, char[] password, String clientNonce, KeyCache keys, String extension) {
      if (user.indexOf(',') >= 0 || user.indexOf('=') >= 0) {
        throw new IllegalArgumentException("bench user names must not need SCRAM escaping: " + user);
      }
      if (extension.indexOf(',') >= 0) {
        throw new IllegalArgumentException("one client-first extension, without commas: " + extension);
      }
      this.password = password.clone();
      this.clientNonce = clientNonce;
      this.clientFirstBare = "n=" + user + ",r=" + clientNonce + (extension.isEmpty() ? "" : "," + extension);
      this.keys = keys;
    }

    @Override
    public String clientFirst() {
      return "n,," + clientFirstBare;
    }

    @Override
    public String clientFinal(String serverFirst) throws ScramException {
      String[] parts = serverFirst.split(",", -1);
      if (parts.length < 3 || !parts[0].startsWith("r=") || !parts[1].startsWith("s=") || !parts[2].startsWith("i=")) {
        throw new ScramException("malformed server-first message");
      }
      String nonce = parts[0].substring(2);
      if (!nonce.startsWith(clientNonce) || nonce.length() == clientNonce.length()) {
        throw new ScramException("server-first nonce does not extend ours");
      }
      byte[] salt;
      int iterations;
      try {
        salt = Base64.getDecoder().decode(parts[1].substring(2));
        iterations = Integer.parseInt(parts[2].substring(2));
      } catch (IllegalArgumentException e) {
        throw new ScramException("malformed server-first message: " + e.getMessage());
      }
      String withoutProof = "c=biws,r=" + nonce;
      String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
      byte[] saltedPassword = keys.saltedPassword(password, salt, iterations);
      byte[] clientKey = hmac(saltedPassword, "Client Key");
      byte[] storedKey = sha256(clientKey);
      byte[] clientSignature = hmac(storedKey, authMessage);
      byte[] proof = new byte[clientKey.length];
      for (int i = 0; i < proof.length; i++) {
        proof[i] = (byte) (clientKey[i] ^ clientSignature[i]);
      }
      expectedServerSignature = hmac(hmac(saltedPassword, "Server Key"), authMessage);
      return withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof);
    }

    @Override
    public void verifyServerFinal(String serverFinal) throws ScramException {
      if (expectedServerSignature == null) {
        throw new IllegalStateException("clientFinal first");
      }
      if (!serverFinal.startsWith("v=")) {
        throw new ScramException("server rejected the sign-in: " + serverFinal);
      }
      byte[] got;
      try {
        got = Base64.getDecoder().decode(serverFinal.substring(2));
      } catch (IllegalArgumentException e) {
        throw new ScramException("malformed server-final message");
      }
      if (!MessageDigest.isEqual(got, expectedServerSignature)) {
        throw new ScramException("server signature does not verify");
      }
    }

    private static byte[] hmac(byte[] key, String data) {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("the JDK lacks HmacSHA256", e);
      }
    }

    private static byte[] sha256(byte[] data) {
      try {
        return MessageDigest.getInstance("SHA-256").digest(data);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("the JDK lacks SHA-256", e);
      }
    }
  }
}
