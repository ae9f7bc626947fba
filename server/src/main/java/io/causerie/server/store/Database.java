package io.causerie.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Pattern;
import org.sqlite.SQLiteConfig;

/**
 * The database behind the user store and the call history: a SQLite file by default, or a PostgreSQL server by
 * JDBC URL. Opening it connects once to fail early with a one-line {@link StoreException}, starts a small HikariCP
 * pool and brings the schema up to date with the versioned migrations (see {@link Migrations}).
 *
 * <p>Thread-safe: the pool hands out one connection per caller.
 */
public final class Database implements AutoCloseable {
  /** Where the server keeps its SQLite file when no {@code --db} is given, relative to the working directory. */
  public static final String DEFAULT_PATH = "data/causerie.db";

  /** SQLite serialises writers anyway; a few connections let readers proceed beside one writer (WAL mode). */
  public static final int SQLITE_POOL_SIZE = 4;

  /** Connections per node to a shared PostgreSQL: the user store is called from a small bounded pool. */
  public static final int POSTGRES_POOL_SIZE = 8;

  /** How long a SQLite connection waits for another process's write lock (e.g. the admin CLI) before failing. */
  public static final int SQLITE_BUSY_TIMEOUT_MILLIS = 5_000;

  /** How long connecting to a PostgreSQL server may take before the attempt fails. */
  public static final int POSTGRES_CONNECT_TIMEOUT_SECONDS = 10;

  /** How long a caller waits for a free pooled connection. */
  public static final long POOL_WAIT_MILLIS = 3_000;

  private static final String SQLITE_PREFIX = "jdbc:sqlite:";
  private static final String POSTGRES_PREFIX = "jdbc:postgresql:";
  private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)(password=)[^&;]*");
  private static final String USAGE = "use a file path, jdbc:sqlite:... or jdbc:postgresql://...";

  private final Dialect dialect;
  private final String description;
  private final String shownArg;
  private final HikariDataSource pool;
  private final int schemaVersion;

  private Database(Target target, HikariDataSource pool, int schemaVersion) {
    this.dialect = target.dialect();
    this.description = target.description();
    this.shownArg = target.shownArg();
    this.pool = pool;
    this.schemaVersion = schemaVersion;
  }

  /**
   * Opens (creating if need be) the database named by {@code dbArg} and migrates its schema.
   *
   * @param dbArg a file path (SQLite; missing parent directories are created), {@code jdbc:sqlite:<path>} or
   *     {@code jdbc:postgresql://host[:port]/db[?user=..&password=..]}
   * @throws StoreException with a one-line message naming the problem and the argument (password hidden)
   */
  public static Database open(String dbArg) {
    Target target = resolve(dbArg);
    probe(target);
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(poolConfig(target));
    } catch (RuntimeException e) {
      throw new StoreException(
          "cannot open " + target.dialect().displayName() + " database '" + target.shownArg() + "': "
              + StoreException.firstLine(rootCause(e)), e);
    }
    try (Connection c = pool.getConnection()) {
      int version = Migrations.migrate(c, target.dialect(), target.shownArg());
      return new Database(target, pool, version);
    } catch (SQLException | RuntimeException e) {
      pool.close();
      if (e instanceof StoreException se) {
        throw se;
      }
      throw new StoreException(
          "cannot open " + target.dialect().displayName() + " database '" + target.shownArg() + "': "
              + StoreException.firstLine(e), e);
    }
  }

  public Dialect dialect() {
    return dialect;
  }

  /** For start-up logs: e.g. {@code SQLite file /srv/causerie/data/causerie.db}; never contains a password. */
  public String describe() {
    return description;
  }

  /** The schema version after migration: the number of the last migration applied. */
  public int schemaVersion() {
    return schemaVersion;
  }

  /** A pooled connection in auto-commit mode; close it to give it back. */
  public Connection connection() throws SQLException {
    return pool.getConnection();
  }

  /** Wraps a driver failure in a one-line {@link StoreException} that says what was being done and where. */
  StoreException failure(String doing, SQLException e) {
    return new StoreException(
        "cannot " + doing + " in " + dialect.displayName() + " database '" + shownArg + "': "
            + StoreException.firstLine(e), e);
  }

  @Override
  public void close() {
    pool.close();
  }

  @Override
  public String toString() {
    return describe();
  }

  /** What a {@code --db} argument names, ready to connect to. */
  record Target(Dialect dialect, String jdbcUrl, String description, String shownArg, Properties properties) {}

  static Target resolve(String dbArg) {
    if (dbArg == null || dbArg.isBlank()) {
      throw new StoreException("no database given: " + USAGE);
    }
    String shown = redact(dbArg.strip());
    String lower = dbArg.strip().toLowerCase(Locale.ROOT);
    if (lower.startsWith(POSTGRES_PREFIX)) {
      Properties p = new Properties();
      p.setProperty("connectTimeout", Integer.toString(POSTGRES_CONNECT_TIMEOUT_SECONDS));
      p.setProperty("loginTimeout", Integer.toString(POSTGRES_CONNECT_TIMEOUT_SECONDS));
      p.setProperty("ApplicationName", "causerie");
      return new Target(Dialect.POSTGRESQL, dbArg.strip(), "PostgreSQL " + shown, shown, p);
    }
    if (lower.startsWith(SQLITE_PREFIX)) {
      String rest = dbArg.strip().substring(SQLITE_PREFIX.length());
      int query = rest.indexOf('?');
      String location = query < 0 ? rest : rest.substring(0, query);
      if (location.startsWith("file:")) {
        location = location.substring("file:".length());
      }
      if (location.isEmpty() || location.equals(":memory:") || rest.contains("mode=memory")) {
        throw new StoreException("in-memory SQLite database '" + shown + "' is not supported: every pooled"
            + " connection would see its own empty database; give a file path");
      }
      Path file = sqliteFile(location, shown);
      return new Target(Dialect.SQLITE, dbArg.strip(), "SQLite file " + file, shown, sqliteProperties());
    }
    if (lower.startsWith("jdbc:")) {
      throw new StoreException("unsupported database URL '" + shown + "': " + USAGE);
    }
    Path file = sqliteFile(dbArg, shown);
    return new Target(Dialect.SQLITE, SQLITE_PREFIX + file, "SQLite file " + file, shown, sqliteProperties());
  }

  /** Hides the value of any {@code password=} parameter. */
  static String redact(String urlOrPath) {
    return PASSWORD_PARAMETER.matcher(urlOrPath).replaceAll("$1***");
  }

  private static Path sqliteFile(String location, String shown) {
    Path file;
    try {
      file = Path.of(location).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw new StoreException("invalid database path '" + shown + "': " + e.getReason());
    }
    if (Files.isDirectory(file)) {
      throw new StoreException("database path '" + shown + "' is a directory, not a SQLite file");
    }
    Path parent = file.getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      try {
        Files.createDirectories(parent);
      } catch (FileSystemException e) {
        throw new StoreException("cannot create directory " + parent + " for database '" + shown + "': "
            + reason(e) + " (" + e.getFile() + ")");
      } catch (IOException | SecurityException e) {
        throw new StoreException("cannot create directory " + parent + " for database '" + shown + "': "
            + StoreException.firstLine(e));
      }
    }
    if (!Files.exists(file)) {
      createPrivateFile(file, shown);
    }
    return file;
  }

  /**
   * Creates the SQLite file readable by its owner only: the verifiers in it allow offline password guessing.
   * SQLite gives its -wal and -shm files the same permissions.
   */
  private static void createPrivateFile(Path file, String shown) {
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: SQLite creates the file with the platform's defaults.
    } catch (FileAlreadyExistsException e) {
      // Another process created it meanwhile: fine, it is the same database.
    } catch (FileSystemException e) {
      throw new StoreException("cannot create database file " + file + " for '" + shown + "': " + reason(e));
    } catch (IOException e) {
      throw new StoreException("cannot create database file " + file + " for '" + shown + "': "
          + StoreException.firstLine(e));
    }
  }

  private static String reason(FileSystemException e) {
    if (e instanceof FileAlreadyExistsException) {
      return "a file is in the way";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    return e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
  }

  private static Properties sqliteProperties() {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    // With WAL, NORMAL syncs at checkpoints rather than at every commit: a power cut may lose the last
    // last-seen times and history rows, never consistency. Every sign-in and call writes a row.
    config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
    config.setBusyTimeout(SQLITE_BUSY_TIMEOUT_MILLIS);
    // IMMEDIATE takes the write lock at BEGIN, so two writers queue on busy_timeout instead of deadlocking.
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    config.enforceForeignKeys(true);
    return config.toProperties();
  }

  /** One plain connection before the pool exists, so a bad argument fails with the driver's own one-liner. */
  private static void probe(Target target) {
    try (Connection c = DriverManager.getConnection(target.jdbcUrl(), target.properties())) {
      c.isValid((int) (POOL_WAIT_MILLIS / 1000));
    } catch (SQLException e) {
      throw new StoreException("cannot open " + target.dialect().displayName() + " database '" + target.shownArg()
          + "': " + StoreException.firstLine(e), e);
    }
  }

  private static HikariConfig poolConfig(Target target) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("causerie-" + target.dialect().name().toLowerCase(Locale.ROOT));
    config.setJdbcUrl(target.jdbcUrl());
    config.setDataSourceProperties(target.properties());
    config.setMaximumPoolSize(target.dialect() == Dialect.SQLITE ? SQLITE_POOL_SIZE : POSTGRES_POOL_SIZE);
    config.setMinimumIdle(1);
    config.setConnectionTimeout(POOL_WAIT_MILLIS);
    return config;
  }

  private static Throwable rootCause(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c;
  }
}
