package io.causerie.protocol.scram;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Makes up a credential for a user name the store does not know, so that the server-first message for an unknown
 * user looks like a real one: same shape, the default iteration count, and a salt that is stable per name
 * (HMAC(serverSecret, name) cut to {@link ScramLimits#SALT_BYTES} bytes), so asking twice gives the same salt.
 *
 * <p>The secret should survive restarts (keep it with the server's other secrets); otherwise an unknown name's
 * salt changes on restart while a real user's does not.
 */
public final class FakeCredentials {
  /** Length of a generated server secret. */
  public static final int SECRET_BYTES = 32;

  private final byte[] serverSecret;
  private final int iterations;

  /**
   * @param serverSecret at least 16 bytes known only to the server
   * @param iterations the iteration count to advertise; use the one new passwords get
   */
  public FakeCredentials(byte[] serverSecret, int iterations) {
    if (serverSecret.length < ScramLimits.SALT_BYTES) {
      throw new IllegalArgumentException("server secret must be at least " + ScramLimits.SALT_BYTES + " bytes");
    }
    if (iterations < ScramCredential.MIN_ITERATIONS || iterations > ScramCredential.MAX_ITERATIONS) {
      throw new IllegalArgumentException("iteration count " + iterations + " is outside "
          + ScramCredential.MIN_ITERATIONS + ".." + ScramCredential.MAX_ITERATIONS);
    }
    this.serverSecret = serverSecret.clone();
    this.iterations = iterations;
  }

  /** Fake credentials with {@link ScramCredential#DEFAULT_ITERATIONS}. */
  public FakeCredentials(byte[] serverSecret) {
    this(serverSecret, ScramCredential.DEFAULT_ITERATIONS);
  }

  /** Fake credentials under a fresh random secret (salts then change on every restart). */
  public static FakeCredentials random(SecureRandom random) {
    byte[] secret = new byte[SECRET_BYTES];
    random.nextBytes(secret);
    return new FakeCredentials(secret);
  }

  /** The made-up credential for a name: no password matches it, and the server fails the login regardless. */
  public ScramCredential credentialFor(String username) {
    byte[] salt = Arrays.copyOf(ScramCrypto.hmac(serverSecret, username), ScramLimits.SALT_BYTES);
    byte[] storedKey = ScramCrypto.hmac(serverSecret, "stored-key\0" + username);
    byte[] serverKey = ScramCrypto.hmac(serverSecret, "server-key\0" + username);
    return new ScramCredential(salt, iterations, storedKey, serverKey);
  }

  public int iterations() {
    return iterations;
  }
}
