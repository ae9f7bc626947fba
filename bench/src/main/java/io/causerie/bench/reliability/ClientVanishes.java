package io.causerie.bench.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Row 5: a client in a call (with voice) stops dead, as a crashed or unplugged one does: no sign-out, no hang-up,
 * its sockets closed ({@link io.causerie.client.SignallingClient#abandon}). The peer must be told the call ended
 * (peer-lost) within the server's session expiry. Full: the defaults (keepalive 15 s, expiry 45 s); quick: the same
 * mechanism with keepalive 2 s and expiry 6 s.
 */
final class ClientVanishes implements Scenario {
  @Override
  public String name() {
    return "client-vanishes";
  }

  @Override
  public String target() {
    return "a client dies mid-call: the peer is told within the keepalive expiry (session timeout)";
  }

  @Override
  public Row run(Context ctx) throws Exception {
    int pairs = 2;
    int keepalive = ctx.pick(2, 15);
    int expiry = ctx.pick(6, 45);
    var dir = ctx.dir(name());
    String db = dir.resolve("causerie.db").toString();
    Util.users(db, 2 * pairs);
    long t0 = System.nanoTime();
    Map<String, String> s = ServerUnderTest.roomy();
    s.put("keepalive-interval", Integer.toString(keepalive));
    s.put("session-timeout", Integer.toString(expiry));
    Map<String, Object> d = Util.map();
    d.put("keepalive_s", keepalive);
    d.put("session_timeout_s", expiry);
    List<Party> parties = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    double worst = 0;
    try (ServerUnderTest server = ServerUnderTest.start(dir, 2 * pairs + 2, s, Duration.ofMinutes(10))) {
      for (int i = 0; i < 2 * pairs; i++) {
        parties.add(Party.signIn(i, server.signalling(), Duration.ofSeconds(20)).withMedia(Party.tone()));
      }
      for (int i = 0; i < pairs; i++) {
        Party a = parties.get(2 * i);
        Party b = parties.get(2 * i + 1).answerAfter(0);
        a.client.call(b.user);
        if (a.await("started", 15_000) == null || b.await("started", 15_000) == null) {
          failures.add(a.user + "->" + b.user + " not set up");
        }
      }
      Util.sleep(ctx.pick(3_000, 7_000)); // mid-call, at a random point of the keepalive cycle
      List<Long> vanishedAt = new ArrayList<>();
      for (int i = 0; i < pairs; i++) {
        // one pair: the caller vanishes; the other: the callee
        Party gone = parties.get(2 * i + (i % 2));
        vanishedAt.add(System.nanoTime());
        gone.abandon();
        Util.sleep(ctx.pick(700, 4_100));
      }
      for (int i = 0; i < pairs; i++) {
        Party peer = parties.get(2 * i + 1 - (i % 2));
        Party.Ev e = peer.awaitAfter("ended", vanishedAt.get(i), (expiry + 15) * 1000L);
        if (e == null) {
          failures.add(peer.user + " never told");
          continue;
        }
        double secs = (e.nanos() - vanishedAt.get(i)) / 1e9;
        worst = Math.max(worst, secs);
        d.put("peer_told_s_pair" + i, secs);
        d.put("reason_pair" + i, e.reason());
        if (!"PEER_LOST".equals(e.reason())) {
          failures.add(peer.user + " told " + e.reason() + ", not PEER_LOST");
        }
        if (secs > expiry + 0.5) {
          failures.add(peer.user + " told after " + Util.f1(secs) + " s > " + expiry + " s");
        }
      }
      d.put("sessions_after", (long) server.metric("causerie_sessions"));
      d.put("calls_active_after", (long) server.metric("causerie_calls_active"));
      if (server.metric("causerie_calls_active") != 0) {
        failures.add("server still has active calls");
      }
      d.put("server_uncaught", server.uncaught());
      if (server.uncaught() > 0) {
        d.put("server_errors", server.errorSample());
      }
      if (server.uncaught() > 0) {
        failures.add("server logged errors");
      }
    } finally {
      for (int i = 0; i < parties.size(); i++) {
        Party p = parties.get(i);
        if (p.client.state() != io.causerie.client.SignallingClient.State.CLOSED) {
          p.close();
        }
      }
    }
    d.put("failures", failures.isEmpty() ? "none" : String.join("; ", failures));
    boolean pass = failures.isEmpty();
    String m = "peer told after at most " + Util.f1(worst) + " s (expiry " + expiry + " s, keepalive " + keepalive
        + " s)" + (pass ? "" : "; " + String.join("; ", failures));
    return new Row(name(), target(), m, pass, Util.seconds(System.nanoTime() - t0), d);
  }
}
