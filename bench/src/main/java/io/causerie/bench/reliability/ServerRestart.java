package io.causerie.bench.reliability;

import io.causerie.protocol.PresenceState;
import io.causerie.server.store.Database;
import io.causerie.server.store.JdbcUserStore;
import io.causerie.server.store.User;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Row 4: {@code kill -9} of the server process during N active calls, then the same server started again on the same
 * ports and database. Every client must notice (its call ends as connection-lost, once), sign in again by itself
 * within 15 s of the server being back, see everyone online; after 30 s the server has exactly the clients' sessions
 * and no call; the user table is identical row by row, and SQLite's integrity check passes.
 */
final class ServerRestart implements Scenario {
  static final double RESIGN_LIMIT_S = 15;

  @Override
  public String name() {
    return "server-restart";
  }

  @Override
  public String target() {
    return "kill -9 during N active calls, restart: every client signs in again within 15 s unaided, presence right,"
        + " no ghost call or session after 30 s, every user row intact";
  }

  @Override
  public Row run(Context ctx) throws Exception {
    int calls = ctx.pick(10, 50);
    int clients = 2 * calls;
    var dir = ctx.dir(name());
    String db = dir.resolve("causerie.db").toString();
    Util.users(db, clients);
    long t0 = System.nanoTime();
    Map<String, Object> d = Util.map();
    List<String> failures = new ArrayList<>();
    List<Party> parties = new ArrayList<>();
    double worstResign = Double.NaN;
    // full: the default keepalive (15 s) and expiry (45 s); quick: the same mechanism at 5 s / 15 s
    int keepalive = ctx.pick(5, 15);
    Map<String, String> settings = ServerUnderTest.roomy();
    settings.put("keepalive-interval", Integer.toString(keepalive));
    settings.put("session-timeout", Integer.toString(3 * keepalive));
    d.put("keepalive_s", keepalive);
    try (ServerUnderTest server = ServerUnderTest.start(dir, clients + 4, settings, Duration.ofMinutes(10))) {
      List<String> before = rows(db);
      List<String> signIn = new ArrayList<>();
      parties.addAll(Util.signInAll(0, clients, server.signalling(), Duration.ofSeconds(30), 16, signIn));
      if (parties.contains(null)) {
        throw new IllegalStateException("sign-in failed: " + signIn);
      }
      for (int i = 0; i < calls; i++) {
        parties.get(2 * i + 1).answerAfter(0);
        parties.get(2 * i).client.call(parties.get(2 * i + 1).user);
      }
      int up = 0;
      for (Party p : parties) {
        if (p.await("started", 20_000) != null) {
          up++;
        }
      }
      d.put("calls_up_before_kill", up / 2);
      if (up != clients) {
        failures.add("only " + up / 2 + " calls up before the kill");
      }
      Util.sleep(1_000);
      long killAt = System.nanoTime();
      server.kill9();
      d.put("killed_alive_after", server.alive());
      Util.sleep(1_000);
      server.start();
      long readyAt = System.nanoTime();
      d.put("restart_s", (readyAt - killAt) / 1e9);
      ctx.say("%s: server back after %.1f s", name(), (readyAt - killAt) / 1e9);
      List<Double> resign = new ArrayList<>();
      int back = 0;
      for (Party p : parties) {
        Party.Ev e = p.awaitAfter("registered-again", killAt, 40_000);
        if (e != null) {
          back++;
          resign.add(Math.max(0, (e.nanos() - readyAt) / 1e9));
        }
      }
      worstResign = Util.quantile(resign, 1.0);
      d.put("signed_in_again", back + "/" + clients);
      d.put("resign_in_p50_s", Util.quantile(resign, 0.5));
      d.put("resign_in_max_s", worstResign);
      if (back != clients || !(worstResign <= RESIGN_LIMIT_S)) {
        failures.add(back + "/" + clients + " signed in again, slowest " + Util.f1(worstResign) + " s");
      }
      int noticed = 0;
      for (Party p : parties) {
        List<Party.Ev> ended = p.events().stream().filter(e -> e.kind().equals("ended")).toList();
        if (ended.size() == 1 && "CONNECTION_LOST".equals(ended.get(0).reason())) {
          noticed++;
        }
      }
      d.put("calls_ended_connection_lost_once", noticed + "/" + clients);
      if (noticed != clients) {
        failures.add("only " + noticed + "/" + clients + " clients saw their call end once as connection-lost");
      }
      // presence: once every client is back, everyone sees everyone online
      Util.sleep(2_000);
      int presenceRight = 0;
      for (Party p : parties) {
        Map<String, PresenceState> pr = p.presence();
        long online = pr.values().stream().filter(s -> s == PresenceState.ONLINE).count();
        if (online == clients && pr.size() == clients) {
          presenceRight++;
        }
      }
      d.put("presence_right", presenceRight + "/" + clients);
      if (presenceRight != clients) {
        failures.add("presence right at " + presenceRight + "/" + clients + " clients");
      }
      long settle = readyAt + (ctx.quick() ? 6 : 30) * 1_000_000_000L;
      while (System.nanoTime() < settle) {
        Util.sleep(200);
      }
      String scrape = server.scrape();
      double sessions = ServerUnderTest.metric(scrape, "causerie_sessions", null);
      double active = ServerUnderTest.metric(scrape, "causerie_calls_active", null);
      double pendingLogins = ServerUnderTest.metric(scrape, "causerie_logins_pending", null);
      d.put("checked_after_s", ctx.quick() ? 6 : 30);
      d.put("server_sessions", (long) sessions);
      d.put("server_calls_active", (long) active);
      d.put("server_logins_pending", (long) pendingLogins);
      if (sessions != clients || active != 0 || pendingLogins != 0) {
        failures.add("ghosts: " + sessions + " sessions (want " + clients + "), " + active + " calls, "
            + pendingLogins + " half-done sign-ins");
      }
      List<String> after = rows(db);
      boolean same = before.equals(after);
      d.put("user_rows_before", before.size());
      d.put("user_rows_after", after.size());
      d.put("user_rows_identical", same);
      String integrity = integrity(db);
      d.put("sqlite_integrity_check", integrity);
      if (!same || before.size() != clients || !"ok".equals(integrity)) {
        failures.add("user table changed or damaged (" + before.size() + " -> " + after.size() + ", integrity "
            + integrity + ")");
      }
      d.put("server_uncaught", server.uncaught());
      if (server.uncaught() > 0) {
        d.put("server_errors", server.errorSample());
      }
      if (server.uncaught() > 0) {
        failures.add("server logged errors");
      }
    } finally {
      Party.closeAll(parties.stream().filter(p -> p != null).toList());
    }
    d.put("failures", failures.isEmpty() ? "none" : String.join("; ", failures));
    boolean pass = failures.isEmpty();
    String m = calls + " calls; all " + clients + " clients noticed, signed in again within " + Util.f1(worstResign)
        + " s of the restart (max, keepalive " + keepalive + " s); no ghosts after " + d.get("checked_after_s") + " s; " + d.get("user_rows_after") + " user rows identical"
        + (pass ? "" : "; FAILED: " + String.join("; ", failures));
    return new Row(name(), target(), m, pass, Util.seconds(System.nanoTime() - t0), d);
  }

  /** Every user row as text (id, name, credential, allowed range, creation time), by id. */
  static List<String> rows(String db) {
    try (Database d = Database.open(db)) {
      List<String> out = new ArrayList<>();
      Base64.Encoder b = Base64.getEncoder();
      for (User u : new JdbcUserStore(d).list()) {
        out.add(u.id() + "|" + u.name() + "|" + b.encodeToString(u.credential().salt()) + "|"
            + u.credential().iterations() + "|" + b.encodeToString(u.credential().storedKey()) + "|"
            + b.encodeToString(u.credential().serverKey()) + "|" + u.allowedCidr() + "|" + u.createdAtMillis());
      }
      out.sort(null);
      return out;
    }
  }

  /** SQLite's {@code PRAGMA integrity_check}: "ok" when the file is sound. */
  static String integrity(String db) {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("PRAGMA integrity_check")) {
      return r.next() ? r.getString(1) : "no answer";
    } catch (Exception e) {
      return "failed: " + e.getMessage();
    }
  }
}
