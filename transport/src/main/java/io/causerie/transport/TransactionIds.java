package io.causerie.transport;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * Random, unguessable 64-bit identifiers for transactions, sessions and calls (never 0). The random bytes are
 * drawn {@link #BATCH_BYTES} at a time: a server makes one id per notification, and asking the generator for 8
 * bytes each time (NativePRNG's read and SHA1PRNG mix, or DRBG's state update) was up to 15 % of its signalling
 * thread. Thread-safe.
 */
public final class TransactionIds {
  /** Random bytes fetched at once: 512 ids. */
  static final int BATCH_BYTES = 4096;

  private final SecureRandom random;
  private final byte[] batch = new byte[BATCH_BYTES];
  private int next = BATCH_BYTES;

  public TransactionIds(SecureRandom random) {
    this.random = random;
  }

  public TransactionIds() {
    this(drbg());
  }

  /**
   * The JDK's DRBG (NIST SP 800-90A Hash_DRBG, self-seeded from the system's entropy), or the default generator
   * where there is none.
   */
  public static SecureRandom drbg() {
    try {
      return SecureRandom.getInstance("DRBG");
    } catch (NoSuchAlgorithmException e) {
      return new SecureRandom();
    }
  }

  public synchronized long next() {
    long v;
    do {
      if (next == BATCH_BYTES) {
        random.nextBytes(batch);
        next = 0;
      }
      v = 0;
      for (int k = 0; k < 8; k++) {
        v = (v << 8) | (batch[next + k] & 0xFF);
      }
      java.util.Arrays.fill(batch, next, next + 8, (byte) 0); // an id handed out is not kept in memory
      next += 8;
    } while (v == 0);
    return v;
  }
}
