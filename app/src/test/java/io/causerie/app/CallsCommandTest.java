package io.causerie.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.causerie.server.store.CallRecord;
import io.causerie.server.store.Database;
import io.causerie.server.store.JdbcCallHistoryStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CallsCommandTest {
  @TempDir Path dir;

  private String run(int expectedExit, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new CallsCommand());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    assertThat(cl.execute(args)).as(err.toString()).isEqualTo(expectedExit);
    return out + err.toString();
  }

  @Test
  void listsFiltersAndFormatsTheHistory() {
    String db = dir.resolve("h.db").toString();
    long t0 = Instant.parse("2026-11-20T10:00:00Z").toEpochMilli();
    try (Database d = Database.open(db)) {
      JdbcCallHistoryStore h = new JdbcCallHistoryStore(d);
      h.record(new CallRecord(0, "alice", "bob", t0, t0 + 2_000, t0 + 65_000, "remote-hangup", 63_000,
          1.5, 12.0, 30.0, 4.2));
      h.record(new CallRecord(0, "carol", "bob", t0 + 100_000, null, t0 + 130_000, "no-answer", 0,
          null, null, null, null));
      h.record(new CallRecord(0, "carol", "dave", Instant.parse("2026-11-23T00:00:00Z").toEpochMilli(), null,
          Instant.parse("2026-11-23T00:00:05Z").toEpochMilli(), "refused", 0, null, null, null, null));
    }
    String all = run(0, "--db", db);
    assertThat(all.lines()).hasSize(4);
    assertThat(all).contains("alice", "0:01:03", "4.2", "no-answer", "refused");
    String bob = run(0, "--db", db, "--user", "bob");
    assertThat(bob.lines()).hasSize(3).noneMatch(l -> l.contains("dave"));
    String recent = run(0, "--db", db, "--since", "2026-11-22");
    assertThat(recent.lines()).hasSize(2);
    String json = run(0, "--db", db, "--user", "alice", "--json");
    assertThat(json.strip()).startsWith("{\"started\":\"2026-11-20T10:00:00Z\"").contains("\"mos\":4.200");
    assertThat(run(0, "--db", db, "--user", "nobody")).contains("no calls recorded for nobody");
    assertThat(run(2, "--db", db, "--since", "yesterday")).contains("bad --since 'yesterday'");
  }

  @Test
  void sinceAcceptsDatesInstantsAndAges() {
    Instant now = Instant.parse("2026-11-24T12:00:00Z");
    assertThat(CallsCommand.parseSince("2h", now)).isEqualTo(Instant.parse("2026-11-24T10:00:00Z").toEpochMilli());
    assertThat(CallsCommand.parseSince("7d", now)).isEqualTo(Instant.parse("2026-11-17T12:00:00Z").toEpochMilli());
    assertThat(CallsCommand.parseSince("2026-11-01", now))
        .isEqualTo(Instant.parse("2026-11-01T00:00:00Z").toEpochMilli());
    assertThat(CallsCommand.parseSince(null, now)).isZero();
    assertThatThrownBy(() -> CallsCommand.parseSince("1w", now)).isInstanceOf(IllegalArgumentException.class);
  }
}
