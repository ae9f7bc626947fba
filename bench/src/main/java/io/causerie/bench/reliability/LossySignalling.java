package io.causerie.bench.reliability;

import io.causerie.transport.impair.ImpairmentProxy;
import io.causerie.transport.impair.ImpairmentSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Row 1: N calls through {@link ImpairmentProxy} at 20 % loss each way and 100 ± 75 ms delay (a fixed 25 ms plus
 * uniform jitter of 0..150 ms, each way). Every client signs in through the proxy; callees answer at once; each
 * caller hangs up one second after its call started. Counts every state change per call on both sides.
 */
final class LossySignalling implements Scenario {
  static final long SETUP_LIMIT_MILLIS = 32_000;

  @Override
  public String name() {
    return "lossy-signalling";
  }

  @Override
  public String target() {
    return ">= 99.5 % of calls set up within 32 s through 20 % loss each way, 100 +- 75 ms delay; every state change"
        + " exactly once";
  }

  @Override
  public Row run(Context ctx) throws Exception {
    int calls = ctx.pick(20, 200);
    var dir = ctx.dir(name());
    String db = dir.resolve("causerie.db").toString();
    Util.users(db, 2 * calls);
    long t0 = System.nanoTime();
    Map<String, Object> d = Util.map();
    List<Party> parties = new ArrayList<>();
    try (ServerUnderTest server = ServerUnderTest.start(dir, 2 * calls + 8, ServerUnderTest.roomy(),
        Duration.ofMinutes(15));
        ImpairmentProxy proxy = ImpairmentProxy.start(server.signalling(),
            ImpairmentSpec.parse("loss=20,delay=25,jitter=150,seed=7"),
            ImpairmentSpec.parse("loss=20,delay=25,jitter=150,seed=8"))) {
      ctx.say("%s: signing in %d clients through the impairment proxy", name(), 2 * calls);
      List<String> signInFailures = new ArrayList<>();
      // people sign in over time (10 a second), not all in the same instant: this row is about calls
      parties.addAll(Util.signInAll(0, 2 * calls, proxy.address(), Duration.ofSeconds(60), 64, 100,
          signInFailures));
      long retried = signInFailures.stream().filter(f -> f.startsWith("first attempt")).count();
      d.put("sign_ins_retried", retried);
      d.put("sign_ins_failed_twice", signInFailures.size() - retried);
      if (!signInFailures.isEmpty()) {
        d.put("first_sign_in_failure", signInFailures.get(0));
      }
      ctx.say("%s: %d calls", name(), calls);
      List<Double> setups = Collections.synchronizedList(new ArrayList<>());
      List<String> anomalies = Collections.synchronizedList(new ArrayList<>());
      ExecutorService pool = Executors.newFixedThreadPool(calls);
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        Party caller = parties.get(2 * i);
        Party callee = parties.get(2 * i + 1);
        long delay = i * (ctx.quick() ? 100L : 50L);
        results.add(pool.submit(() -> {
          Util.sleep(delay);
          return oneCall(caller, callee, setups, anomalies);
        }));
      }
      int ok = 0;
      for (Future<Boolean> f : results) {
        try {
          if (f.get(3, TimeUnit.MINUTES)) {
            ok++;
          }
        } catch (Exception e) {
          anomalies.add("call task: " + e);
        }
      }
      pool.shutdownNow();
      var c2s = proxy.counters(ImpairmentProxy.Direction.CLIENT_TO_SERVER);
      var s2c = proxy.counters(ImpairmentProxy.Direction.SERVER_TO_CLIENT);
      d.put("calls", calls);
      d.put("set_up_within_32s", ok);
      double pct = 100.0 * ok / calls;
      d.put("set_up_percent", pct);
      d.put("setup_p50_s", Util.quantile(setups, 0.5));
      d.put("setup_p95_s", Util.quantile(setups, 0.95));
      d.put("setup_max_s", Util.quantile(setups, 1.0));
      d.put("state_change_anomalies", anomalies.size());
      if (!anomalies.isEmpty()) {
        d.put("first_anomalies", String.join("; ", anomalies.subList(0, Math.min(12, anomalies.size()))));
      }
      String scrape = server.scrape();
      d.put("dtls_handshakes_completed", (long) ServerUnderTest.metric(scrape,
          "causerie_dtls_handshakes_completed_total", null));
      d.put("dtls_handshakes_failed", (long) ServerUnderTest.metric(scrape, "causerie_dtls_handshakes_failed_total",
          null));
      d.put("server_sessions_expired", (long) ServerUnderTest.metric(scrape, "causerie_sessions_expired_total", null));
      d.put("server_sessions_unreachable",
          (long) ServerUnderTest.metric(scrape, "causerie_sessions_unreachable_total", null));
      d.put("server_notification_rounds",
          (long) ServerUnderTest.metric(scrape, "causerie_signalling_notification_rounds_total", null));
      d.put("proxy_c2s", c2s.toString());
      d.put("proxy_s2c", s2c.toString());
      d.put("server_uncaught", server.uncaught());
      if (server.uncaught() > 0) {
        d.put("server_errors", server.errorSample());
      }
      boolean pass = pct >= 99.5 && anomalies.isEmpty() && signInFailures.size() == retried && server.uncaught() == 0;
      String measured = ok + "/" + calls + " (" + Util.f1(pct) + " %) set up; p50 " + Util.f2(Util.quantile(setups, 0.5))
          + " s, p95 " + Util.f2(Util.quantile(setups, 0.95)) + " s; " + anomalies.size() + " state-change anomalies";
      return new Row(name(), target(), measured, pass, Util.seconds(System.nanoTime() - t0), d);
    } finally {
      Party.closeAll(parties.stream().filter(p -> p != null).toList());
    }
  }

  /** One call: set up, counted, hung up, counted. True if it was set up within the limit. */
  static boolean oneCall(Party caller, Party callee, List<Double> setups, List<String> anomalies)
      throws InterruptedException {
    if (caller == null || callee == null) {
      anomalies.add("a party never signed in");
      return false;
    }
    callee.answerAfter(0);
    long start = System.nanoTime();
    caller.client.call(callee.user);
    Party.Ev a = caller.await(e -> e.kind().equals("started") || e.kind().equals("ended"), SETUP_LIMIT_MILLIS);
    Party.Ev b = callee.await(e -> e.kind().equals("started") || e.kind().equals("ended"),
        Math.max(1, SETUP_LIMIT_MILLIS - (System.nanoTime() - start) / 1_000_000));
    boolean up = a != null && b != null && a.kind().equals("started") && b.kind().equals("started");
    if (up) {
      setups.add((Math.max(a.nanos(), b.nanos()) - start) / 1e9);
    } else {
      anomalies.add(caller.user + "->" + callee.user + " not set up within 32 s: caller " + (a == null ? "-" : a)
          + ", callee " + (b == null ? "-" : b));
    }
    Util.sleep(1_000);
    caller.client.hangup();
    Party.Ev ea = caller.await("ended", 40_000);
    Party.Ev eb = callee.await("ended", 60_000);
    Util.sleep(2_000); // late duplicates or retransmissions would show as extra events
    if (up) {
      long id = a.callId();
      if (caller.count("ringing", id) > 1) {
        // RINGING is skipped when the callee's ACCEPT reaches the server before its answer to INCOMING does
        anomalies.add(caller.user + " ringing x" + caller.count("ringing", id));
      }
      check(anomalies, caller, "started", id, 1);
      check(anomalies, caller, "ended", id, 1);
      check(anomalies, callee, "incoming", id, 1);
      check(anomalies, callee, "started", id, 1);
      check(anomalies, callee, "ended", id, 1);
      if (ea == null || !"HANGUP".equals(ea.reason())) {
        anomalies.add(caller.user + " call " + Long.toHexString(id) + " ended as " + ea);
      }
      if (eb == null || !"REMOTE_HANGUP".equals(eb.reason())) {
        anomalies.add(callee.user + " call " + Long.toHexString(id) + " ended as " + eb);
      }
      List<String> order = caller.events().stream().filter(e -> e.callId() == id).map(Party.Ev::kind).toList();
      if (!order.equals(List.of("ringing", "started", "ended")) && !order.equals(List.of("started", "ended"))) {
        anomalies.add(caller.user + " saw " + order);
      }
    }
    long errors = caller.count("error") + callee.count("error") + caller.count("reconnecting")
        + callee.count("reconnecting");
    if (errors > 0) {
      anomalies.add(caller.user + "/" + callee.user + ": " + errors + " error or reconnecting events: "
          + caller.events().stream().filter(e -> e.kind().equals("error") || e.kind().equals("reconnecting")).toList()
          + callee.events().stream().filter(e -> e.kind().equals("error") || e.kind().equals("reconnecting"))
          .toList());
    }
    return up;
  }

  static void check(List<String> anomalies, Party p, String kind, long callId, int expected) {
    long n = p.count(kind, callId);
    if (n != expected) {
      anomalies.add(p.user + " " + kind + " x" + n + " for call " + Long.toHexString(callId));
    }
  }
}
