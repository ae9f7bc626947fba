package io.causerie.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JDBC stores' contract, run once per dialect by the subclasses. */
abstract class JdbcStoreContract extends UserStoreContract {
  private String dbArg;
  private Database db;
  private UserStore users;
  private CallHistoryStore history;

  /** A database argument naming a fresh, empty database. */
  abstract String freshDatabase() throws Exception;

  abstract Dialect expectedDialect();

  @BeforeEach
  void open() throws Exception {
    dbArg = freshDatabase();
    reopen();
  }

  @AfterEach
  void close() {
    if (db != null) {
      db.close();
    }
  }

  private void reopen() {
    if (db != null) {
      db.close();
    }
    db = Database.open(dbArg);
    users = new JdbcUserStore(db, CLOCK);
    history = new JdbcCallHistoryStore(db);
  }

  @Override
  UserStore store() {
    return users;
  }

  @Test
  void opensWithTheLatestSchema() {
    assertThat(db.dialect()).isEqualTo(expectedDialect());
    assertThat(db.schemaVersion()).isEqualTo(Migrations.latestVersion());
    assertThat(db.describe()).startsWith(expectedDialect().displayName() + " ").doesNotContain("\n");
  }

  @Test
  void reopeningIsIdempotentAndKeepsTheData() throws Exception {
    users.add("alice", ALICE_PW, "10.0.0.0/8");
    history.record(CallRecord.of("alice", "bob", 1000, null, 2000, "no-answer", 0));
    reopen();
    reopen();
    assertThat(db.schemaVersion()).isEqualTo(Migrations.latestVersion());
    assertThat(users.find("alice").orElseThrow().credential()).isEqualTo(ALICE_PW);
    assertThat(history.query(null, 0, 10)).hasSize(1);
    try (Connection c = db.connection(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT COUNT(*), MIN(version), MAX(version) FROM schema_version")) {
      r.next();
      assertThat(r.getInt(1)).isEqualTo(Migrations.ALL.size());
      assertThat(r.getInt(2)).isEqualTo(1);
      assertThat(r.getInt(3)).isEqualTo(Migrations.latestVersion());
    }
  }

  @Test
  void aSchemaNewerThanTheBuildIsRefused() throws Exception {
    try (Connection c = db.connection(); Statement s = c.createStatement()) {
      s.executeUpdate("INSERT INTO schema_version (version, description, applied_at) VALUES (99, 'future', 0)");
    }
    db.close();
    db = null;
    assertThatThrownBy(() -> Database.open(dbArg))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("schema version 99")
        .hasMessageContaining("newer");
  }

  @Test
  void concurrentAddsAllLand() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<User>> futures = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        String name = "user" + i;
        futures.add(pool.submit(() -> users.add(name, ALICE_PW, null)));
      }
      for (Future<User> f : futures) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdown();
    }
    assertThat(users.list()).hasSize(20);
  }

  @Test
  void callsRoundTripWithAndWithoutQualityFigures() {
    CallRecord answered = new CallRecord(0, "alice", "bob", 10_000, 12_000L, 72_000, "remote-hangup", 60_000,
        1.5, 12.25, 48.0, 4.1);
    CallRecord missed = CallRecord.of("carol", "alice", 20_000, null, 50_000, "no-answer", 0);
    history.record(answered);
    history.record(missed);
    List<CallRecord> all = history.query(null, 0, 10);
    assertThat(all).hasSize(2);
    assertThat(all.get(0)).usingRecursiveComparison().ignoringFields("id").isEqualTo(missed);
    assertThat(all.get(1)).usingRecursiveComparison().ignoringFields("id").isEqualTo(answered);
    assertThat(all.get(0).id()).isPositive().isNotEqualTo(all.get(1).id());
  }

  @Test
  void nonFiniteQualityFiguresAreStoredAsNull() {
    history.record(new CallRecord(0, "alice", "bob", 1, 2L, 3, "remote-hangup", 1,
        Double.NaN, Double.POSITIVE_INFINITY, 3.0, null));
    CallRecord back = history.query("alice", 0, 1).get(0);
    assertThat(back.lossPercent()).isNull();
    assertThat(back.jitterMillis()).isNull();
    assertThat(back.rttMillis()).isEqualTo(3.0);
    assertThat(back.mos()).isNull();
  }

  @Test
  void queriesFilterByUserAndTimeAndLimitNewestFirst() {
    history.record(CallRecord.of("alice", "bob", 100, 110L, 200, "remote-hangup", 90));
    history.record(CallRecord.of("bob", "carol", 300, null, 330, "refused", 0));
    history.record(CallRecord.of("carol", "alice", 500, null, 560, "cancelled", 0));
    history.record(CallRecord.of("dave", "erin", 700, null, 760, "busy", 0));

    assertThat(history.query("alice", 0, 10)).extracting(CallRecord::startedAtMillis).containsExactly(500L, 100L);
    assertThat(history.query("bob", 0, 10)).extracting(CallRecord::startedAtMillis).containsExactly(300L, 100L);
    assertThat(history.query(null, 300, 10)).extracting(CallRecord::startedAtMillis).containsExactly(700L, 500L, 300L);
    assertThat(history.query(null, 0, 2)).extracting(CallRecord::startedAtMillis).containsExactly(700L, 500L);
    assertThat(history.query("nobody", 0, 10)).isEmpty();
    assertThatThrownBy(() -> history.query(null, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> history.query(null, 0, CallHistoryStore.MAX_QUERY_ROWS + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void historyOutlivesDeletedUsers() {
    users.add("alice", ALICE_PW, null);
    history.record(CallRecord.of("alice", "bob", 100, null, 200, "no-answer", 0));
    users.delete("alice");
    assertThat(history.query("alice", 0, 10)).hasSize(1);
  }
}
