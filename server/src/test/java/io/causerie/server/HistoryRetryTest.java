package io.causerie.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.causerie.server.store.CallRecord;
import io.causerie.server.store.Database;
import io.causerie.server.store.JdbcCallHistoryStore;
import io.causerie.server.store.JdbcUserStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A call that ends while the database cannot be written keeps its history row until the database takes it. */
class HistoryRetryTest {
  @TempDir Path dir;

  @Test
  void aHistoryRowRefusedByALockedDatabaseIsWrittenOnceTheLockGoes() throws Exception {
    String file = dir.resolve("causerie.db").toString();
    try (Database db = Database.open(file)) {
      JdbcCallHistoryStore history = new JdbcCallHistoryStore(db);
      Executor inline = Runnable::run;
      StoreUserDirectory directory = new StoreUserDirectory(new JdbcUserStore(db), history, inline, 200);
      try (Connection locker = DriverManager.getConnection("jdbc:sqlite:" + file);
          Statement st = locker.createStatement()) {
        st.execute("BEGIN EXCLUSIVE");
        long now = System.currentTimeMillis();
        directory.recordCall(new CallRecord(0, "alice", "bob", now - 5_000, now - 4_000, now, "remote-hangup",
            4_000, null, null, null, null));
        // The write waits out SQLite's busy timeout, fails, and is kept for another try.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Database.SQLITE_BUSY_TIMEOUT_MILLIS / 1000 + 10);
        while (directory.unwrittenHistory() == 0 && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        assertThat(directory.unwrittenHistory()).isEqualTo(1);
        st.execute("ROLLBACK");
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Database.SQLITE_BUSY_TIMEOUT_MILLIS / 1000 + 10);
      while (directory.unwrittenHistory() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(directory.unwrittenHistory()).isZero();
      assertThat(history.query(null, 0, 10)).singleElement()
          .satisfies(r -> {
            assertThat(r.caller()).isEqualTo("alice");
            assertThat(r.outcome()).isEqualTo("remote-hangup");
          });
      directory.close();
    }
  }
}
