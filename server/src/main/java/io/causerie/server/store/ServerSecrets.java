package io.causerie.server.store;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;

/** Named random secrets the server creates once and keeps in its database, shared by every node. */
public final class ServerSecrets {
  /** Length of a generated secret. */
  public static final int SECRET_BYTES = 32;

  private final Database db;

  public ServerSecrets(Database db) {
    this.db = db;
  }

  /** The secret of this name, created (and stored) on first use. */
  public byte[] getOrCreate(String name, SecureRandom random) {
    return getOrCreate(name, () -> {
      byte[] fresh = new byte[SECRET_BYTES];
      random.nextBytes(fresh);
      return fresh;
    });
  }

  /**
   * The stored value of this name, or {@code generator}'s (stored, then returned) on first use: for secrets
   * with a structure, such as the server's DTLS key and certificate.
   */
  public byte[] getOrCreate(String name, java.util.function.Supplier<byte[]> generator) {
    try (Connection c = db.connection()) {
      byte[] existing = read(c, name);
      if (existing != null) {
        return existing;
      }
      byte[] fresh = generator.get();
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO server_secrets (name, secret) VALUES (?, ?)")) {
        insert.setString(1, name);
        insert.setString(2, Base64.getEncoder().encodeToString(fresh));
        insert.executeUpdate();
        return fresh;
      } catch (SQLException raced) {
        // Another node created it first: use theirs.
        byte[] theirs = read(c, name);
        if (theirs != null) {
          return theirs;
        }
        throw raced;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read or create server secret '" + name + "' in " + db.describe() + ": "
          + e.getMessage(), e);
    }
  }

  private static byte[] read(Connection c, String name) throws SQLException {
    try (PreparedStatement q = c.prepareStatement("SELECT secret FROM server_secrets WHERE name = ?")) {
      q.setString(1, name);
      try (ResultSet rs = q.executeQuery()) {
        return rs.next() ? Base64.getDecoder().decode(rs.getString(1)) : null;
      }
    }
  }
}
