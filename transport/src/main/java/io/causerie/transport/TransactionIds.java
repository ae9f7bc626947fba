package io.causerie.transport;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/** Random, unguessable 64-bit identifiers for transactions, sessions and calls (never 0). */
public final class TransactionIds {
  private final SecureRandom random;

  public TransactionIds(SecureRandom random) {
    this.random = random;
  }

  public TransactionIds() {
    this(drbg());
  }

  /**
   * The JDK's DRBG (NIST SP 800-90A Hash_DRBG, self-seeded from the system's entropy): as unpredictable as the
   * default {@code NativePRNG} but without its read of {@code /dev/urandom} and SHA1PRNG mixing per call, which
   * showed in the server's profile at one id per notification. The default generator where there is no DRBG.
   */
  public static SecureRandom drbg() {
    try {
      return SecureRandom.getInstance("DRBG");
    } catch (NoSuchAlgorithmException e) {
      return new SecureRandom();
    }
  }

  public long next() {
    long v;
    do {
      v = random.nextLong();
    } while (v == 0);
    return v;
  }
}
