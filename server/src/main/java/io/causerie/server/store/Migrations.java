package io.causerie.server.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Versioned schema migrations: SQL files under {@code /db/migration/}, applied in order, each in its own
 * transaction together with its row in {@code schema_version}. The files are dialect-neutral except for the
 * {@code ${id_primary_key}} placeholder; statements are separated by semicolons (never put one in a literal).
 */
final class Migrations {
  /** One migration file. */
  record Migration(int version, String description, String resource) {}

  /** Every migration, in order. A new one is appended here and never edits an older file. */
  static final List<Migration> ALL = List.of(
      new Migration(1, "users", "V1__users.sql"),
      new Migration(2, "call history", "V2__call_history.sql"),
      new Migration(3, "server secrets", "V3__server_secrets.sql"));

  private static final String CREATE_VERSION_TABLE = "CREATE TABLE IF NOT EXISTS schema_version ("
      + "version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at BIGINT NOT NULL)";

  private Migrations() {}

  static int latestVersion() {
    return ALL.get(ALL.size() - 1).version();
  }

  /** Applies what is missing and returns the resulting schema version. */
  static int migrate(Connection c, Dialect dialect, String shownArg) throws SQLException {
    c.setAutoCommit(true);
    try (Statement s = c.createStatement()) {
      s.execute(CREATE_VERSION_TABLE);
    }
    int current = currentVersion(c);
    if (current > latestVersion()) {
      throw new StoreException("database '" + shownArg + "' has schema version " + current
          + ", newer than this build's " + latestVersion() + ": upgrade causerie before using it");
    }
    for (Migration m : ALL) {
      if (m.version() <= current) {
        continue;
      }
      apply(c, dialect, m, shownArg);
    }
    return currentVersion(c);
  }

  private static void apply(Connection c, Dialect dialect, Migration m, String shownArg) throws SQLException {
    List<String> statements = statements(load(m), dialect);
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      if (dialect == Dialect.POSTGRESQL) {
        // Two nodes starting together: the second waits here, then sees the migration applied and skips it.
        s.execute("LOCK TABLE schema_version IN EXCLUSIVE MODE");
      }
      if (currentVersion(c) >= m.version()) {
        c.commit();
        return;
      }
      for (String sql : statements) {
        s.execute(sql);
      }
      try (PreparedStatement p = c.prepareStatement(
          "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)")) {
        p.setInt(1, m.version());
        p.setString(2, m.description());
        p.setLong(3, System.currentTimeMillis());
        p.executeUpdate();
      }
      c.commit();
    } catch (SQLException e) {
      c.rollback();
      throw new StoreException("migration V" + m.version() + " (" + m.description() + ") failed on database '"
          + shownArg + "': " + StoreException.firstLine(e), e);
    } finally {
      c.setAutoCommit(true);
    }
  }

  private static int currentVersion(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
      return r.next() ? r.getInt(1) : 0;
    }
  }

  private static String load(Migration m) {
    String path = "/db/migration/" + m.resource();
    try (InputStream in = Migrations.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("migration resource " + path + " is missing from the build");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read migration resource " + path, e);
    }
  }

  /** Drops comment lines, fills in the dialect's placeholders and splits on semicolons. */
  static List<String> statements(String script, Dialect dialect) {
    StringBuilder sql = new StringBuilder();
    for (String line : script.split("\n", -1)) {
      if (!line.strip().startsWith("--")) {
        sql.append(line).append('\n');
      }
    }
    String filled = sql.toString().replace("${id_primary_key}", dialect.idPrimaryKey());
    if (filled.contains("${")) {
      throw new IllegalStateException("migration has an unknown placeholder: " + filled);
    }
    List<String> out = new ArrayList<>();
    for (String statement : filled.split(";")) {
      if (!statement.isBlank()) {
        out.add(statement.strip());
      }
    }
    return out;
  }
}
