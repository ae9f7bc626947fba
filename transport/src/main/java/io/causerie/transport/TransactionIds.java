package io.causerie.transport;

import java.security.SecureRandom;

/** Random, unguessable 64-bit identifiers for transactions, sessions and calls (never 0). */
public final class TransactionIds {
  private final SecureRandom random;

  public TransactionIds(SecureRandom random) {
    this.random = random;
  }

  public TransactionIds() {
    this(new SecureRandom());
  }

  public long next() {
    long v;
    do {
      v = random.nextLong();
    } while (v == 0);
    return v;
  }
}
