package io.causerie.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.causerie.protocol.scram.ScramCredential;
import io.causerie.server.store.Database;
import io.causerie.server.store.JdbcCallHistoryStore;
import io.causerie.server.store.JdbcUserStore;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The directory against a real SQLite file, on a fake clock for the names list's age. */
class StoreUserDirectoryTest {
  @TempDir Path dir;

  private static List<String> names(StoreUserDirectory d) throws Exception {
    CompletableFuture<List<String>> got = new CompletableFuture<>();
    d.names((n, f) -> {
      if (f != null) {
        got.completeExceptionally(f);
      } else {
        got.complete(n);
      }
    });
    return got.get(10, TimeUnit.SECONDS);
  }

  @Test
  void theNamesListServesSnapshotsForItsMaxAgeThenIsReadAgain() throws Exception {
    AtomicLong now = new AtomicLong(1_000);
    Executor direct = Runnable::run;
    ScramCredential cred = ScramCredential.generate("pw".toCharArray(), 4096, new SecureRandom());
    try (Database db = Database.open(dir.resolve("c.db").toString())) {
      JdbcUserStore store = new JdbcUserStore(db);
      store.add("bob", cred, null);
      try (StoreUserDirectory d = new StoreUserDirectory(store, new JdbcCallHistoryStore(db), direct, now::get)) {
        assertThat(names(d)).containsExactly("bob");
        store.add("alice", cred, null);
        now.addAndGet(StoreUserDirectory.NAMES_MAX_AGE_NANOS - 1);
        assertThat(names(d)).containsExactly("bob"); // still fresh: no query
        now.addAndGet(1);
        assertThat(names(d)).containsExactly("alice", "bob");
      }
    }
  }

  @Test
  void addressesSeenAreWritten() throws Exception {
    ScramCredential cred = ScramCredential.generate("pw".toCharArray(), 4096, new SecureRandom());
    try (Database db = Database.open(dir.resolve("c.db").toString())) {
      JdbcUserStore store = new JdbcUserStore(db);
      for (int i = 0; i < 50; i++) {
        store.add("user" + i, cred, null);
      }
      try (StoreUserDirectory d = new StoreUserDirectory(store, new JdbcCallHistoryStore(db), Runnable::run)) {
        for (int i = 0; i < 50; i++) {
          d.seen("user" + i, "192.0.2." + i);
        }
        d.seen("user0", "198.51.100.1"); // the latest address wins
      } // close waits for the queued writes
      assertThat(store.find("user0").orElseThrow().lastSeenIp()).isEqualTo("198.51.100.1");
      for (int i = 1; i < 50; i++) {
        assertThat(store.find("user" + i).orElseThrow().lastSeenIp()).isEqualTo("192.0.2." + i);
      }
    }
  }
}
