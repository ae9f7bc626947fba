package io.causerie.server.store;

import io.causerie.protocol.scram.ScramCredential;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** The {@link UserStore} over JDBC, for SQLite and PostgreSQL alike; SCRAM keys are kept as base64 text. */
public final class JdbcUserStore implements UserStore {
  /** Longest address text kept as last seen: an IPv6 address with an embedded IPv4 part and a zone fits. */
  public static final int MAX_IP_TEXT_CHARS = 64;

  private static final String COLUMNS = "id, name, scram_salt, scram_iterations, scram_stored_key, scram_server_key,"
      + " last_seen_ip, allowed_cidr, created_at";
  private static final String POSTGRES_UNIQUE_VIOLATION = "23505";

  private final Database db;
  private final Clock clock;

  public JdbcUserStore(Database db) {
    this(db, Clock.systemUTC());
  }

  /** A store that stamps {@code created_at} from the given clock (tests pass a fixed one). */
  public JdbcUserStore(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  @Override
  public Optional<User> find(String name) {
    try (Connection c = db.connection();
        PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM users WHERE name = ?")) {
      p.setString(1, name);
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? Optional.of(user(r)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw db.failure("look up user '" + name + "'", e);
    }
  }

  @Override
  public List<String> names() {
    try (Connection c = db.connection();
        PreparedStatement p = c.prepareStatement("SELECT name FROM users ORDER BY name");
        ResultSet r = p.executeQuery()) {
      List<String> names = new ArrayList<>();
      while (r.next()) {
        names.add(r.getString(1));
      }
      return names;
    } catch (SQLException e) {
      throw db.failure("list user names", e);
    }
  }

  @Override
  public List<User> list() {
    try (Connection c = db.connection();
        PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM users ORDER BY name");
        ResultSet r = p.executeQuery()) {
      List<User> users = new ArrayList<>();
      while (r.next()) {
        users.add(user(r));
      }
      return users;
    } catch (SQLException e) {
      throw db.failure("list users", e);
    }
  }

  @Override
  public User add(String name, ScramCredential credential, String allowedCidrOrNull) {
    UserNames.validate(name);
    String cidr = allowedCidrOrNull == null ? null : Cidr.parse(allowedCidrOrNull).toString();
    long now = clock.millis();
    try (Connection c = db.connection();
        PreparedStatement p = c.prepareStatement("INSERT INTO users (name, scram_salt, scram_iterations,"
            + " scram_stored_key, scram_server_key, last_seen_ip, allowed_cidr, created_at)"
            + " VALUES (?, ?, ?, ?, ?, NULL, ?, ?)")) {
      p.setString(1, name);
      setCredential(p, 2, credential);
      p.setString(6, cidr);
      p.setLong(7, now);
      p.executeUpdate();
    } catch (SQLException e) {
      if (isUniqueViolation(e)) {
        throw new DuplicateUserException(name);
      }
      throw db.failure("add user '" + name + "'", e);
    }
    return find(name).orElseThrow(() -> new StoreException("user '" + name + "' vanished right after it was added"));
  }

  @Override
  public boolean updateCredential(String name, ScramCredential credential) {
    try (Connection c = db.connection();
        PreparedStatement p = c.prepareStatement("UPDATE users SET scram_salt = ?, scram_iterations = ?,"
            + " scram_stored_key = ?, scram_server_key = ? WHERE name = ?")) {
      setCredential(p, 1, credential);
      p.setString(5, name);
      return p.executeUpdate() == 1;
    } catch (SQLException e) {
      throw db.failure("change the password of user '" + name + "'", e);
    }
  }

  @Override
  public boolean delete(String name) {
    try (Connection c = db.connection();
        PreparedStatement p = c.prepareStatement("DELETE FROM users WHERE name = ?")) {
      p.setString(1, name);
      return p.executeUpdate() == 1;
    } catch (SQLException e) {
      throw db.failure("delete user '" + name + "'", e);
    }
  }

  @Override
  public void recordLastSeen(String name, String ip) {
    if (ip != null && ip.length() > MAX_IP_TEXT_CHARS) {
      throw new IllegalArgumentException("address text is longer than " + MAX_IP_TEXT_CHARS + " characters");
    }
    try (Connection c = db.connection();
        PreparedStatement p = c.prepareStatement("UPDATE users SET last_seen_ip = ? WHERE name = ?")) {
      p.setString(1, ip);
      p.setString(2, name);
      p.executeUpdate();
    } catch (SQLException e) {
      throw db.failure("record where user '" + name + "' was seen", e);
    }
  }

  @Override
  public void recordLastSeen(java.util.Map<String, String> seen) {
    if (seen.isEmpty()) {
      return;
    }
    seen.forEach((name, ip) -> {
      if (ip != null && ip.length() > MAX_IP_TEXT_CHARS) {
        throw new IllegalArgumentException("address text is longer than " + MAX_IP_TEXT_CHARS + " characters");
      }
    });
    try (Connection c = db.connection()) {
      boolean auto = c.getAutoCommit();
      c.setAutoCommit(false);
      try (PreparedStatement p = c.prepareStatement("UPDATE users SET last_seen_ip = ? WHERE name = ?")) {
        for (java.util.Map.Entry<String, String> e : seen.entrySet()) {
          p.setString(1, e.getValue());
          p.setString(2, e.getKey());
          p.addBatch();
        }
        p.executeBatch();
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(auto);
      }
    } catch (SQLException e) {
      throw db.failure("record where " + seen.size() + " users were seen", e);
    }
  }

  private static void setCredential(PreparedStatement p, int first, ScramCredential c) throws SQLException {
    Base64.Encoder b64 = Base64.getEncoder();
    p.setString(first, b64.encodeToString(c.salt()));
    p.setInt(first + 1, c.iterations());
    p.setString(first + 2, b64.encodeToString(c.storedKey()));
    p.setString(first + 3, b64.encodeToString(c.serverKey()));
  }

  private User user(ResultSet r) throws SQLException {
    String name = r.getString("name");
    Base64.Decoder b64 = Base64.getDecoder();
    ScramCredential credential;
    try {
      credential = new ScramCredential(
          b64.decode(r.getString("scram_salt")),
          r.getInt("scram_iterations"),
          b64.decode(r.getString("scram_stored_key")),
          b64.decode(r.getString("scram_server_key")));
    } catch (IllegalArgumentException e) {
      throw new StoreException("stored credential of user '" + name + "' is corrupt: " + e.getMessage(), e);
    }
    return new User(r.getLong("id"), name, credential, r.getString("last_seen_ip"), r.getString("allowed_cidr"),
        r.getLong("created_at"));
  }

  private static boolean isUniqueViolation(SQLException e) {
    if (POSTGRES_UNIQUE_VIOLATION.equals(e.getSQLState())) {
      return true;
    }
    return e instanceof SQLiteException s
        && (s.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE
            || s.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY);
  }
}
