package io.causerie.server.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store contract against a SQLite file in a directory that does not exist yet. */
class SqliteStoreTest extends JdbcStoreContract {
  @TempDir Path dir;

  @Override
  String freshDatabase() {
    return dir.resolve("not/yet/there/causerie.db").toString();
  }

  @Override
  Dialect expectedDialect() {
    return Dialect.SQLITE;
  }
}
