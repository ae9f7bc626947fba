package io.causerie.bench;

import io.causerie.protocol.scram.ScramCredential;
import io.causerie.server.store.Database;
import io.causerie.server.store.DuplicateUserException;
import io.causerie.server.store.JdbcUserStore;
import java.security.SecureRandom;

/**
 * The bench's users, {@code bench0}, {@code bench1}, ... all with one password and one SCRAM credential at
 * {@link #ITERATIONS} rounds, written through the product's {@link JdbcUserStore}. Sharing one credential
 * keeps user creation and the generator's key derivation to a single PBKDF2; the server's work per sign-in
 * does not depend on it.
 */
public final class BenchUsers {
  /** RFC 7677's minimum: sign-in cost on the server does not depend on it, only the client's. */
  public static final int ITERATIONS = 4096;
  public static final String PASSWORD = "bench-pw";
  public static final String PREFIX = "bench";

  private final String db;
  private final ScramCredential credential;
  private int created;

  public BenchUsers(String db) {
    this.db = db;
    this.credential = ScramCredential.generate(PASSWORD.toCharArray(), ITERATIONS, new SecureRandom());
  }

  public static String name(int i) {
    return PREFIX + i;
  }

  /** Makes sure users 0 .. count-1 exist (creating the database if need be); returns how many exist. */
  public int ensure(int count) {
    if (count <= created) {
      return created;
    }
    try (Database d = Database.open(db)) {
      JdbcUserStore store = new JdbcUserStore(d);
      for (int i = created; i < count; i++) {
        try {
          store.add(name(i), credential, null);
        } catch (DuplicateUserException e) {
          // already there from an earlier step
        }
      }
    }
    created = count;
    return created;
  }

  public int count() {
    return created;
  }
}
