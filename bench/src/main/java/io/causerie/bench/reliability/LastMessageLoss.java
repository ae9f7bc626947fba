package io.causerie.bench.reliability;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Row 2: the last message of a step is dropped once, through {@link NatProxy}. The proxy never looks inside a
 * datagram: it drops <em>the next datagram of one direction for one client</em>, armed at a moment when that client
 * is otherwise quiet (no keepalive due, everything before already answered), so the datagram dropped is by its
 * position in the flow the one named. The report names what was dropped as the wire shows it (the type while
 * signalling is plaintext, "opaque" once it is encrypted).
 */
final class LastMessageLoss implements Scenario {
  static final long LIMIT_MILLIS = 32_000;

  @Override
  public String name() {
    return "last-message-loss";
  }

  @Override
  public String target() {
    return "drop the final accept / call-started / hang-up (and the hang-up's answer, and call-ended) once: every flow"
        + " still completes, each state change once";
  }

  private record Case(String what, boolean beforeAnswer, NatProxy.Dir dir, boolean dropForCaller) {}

  @Override
  public Row run(Context ctx) throws Exception {
    var dir = ctx.dir(name());
    String db = dir.resolve("causerie.db").toString();
    Util.users(db, 2);
    long t0 = System.nanoTime();
    Map<String, Object> d = Util.map();
    List<Case> cases = List.of(
        new Case("accept (callee->server)", true, NatProxy.Dir.TO_SERVER, false),
        new Case("call-started (server->caller)", true, NatProxy.Dir.TO_CLIENT, true),
        new Case("hang-up (caller->server)", false, NatProxy.Dir.TO_SERVER, true),
        new Case("hang-up answer (server->caller)", false, NatProxy.Dir.TO_CLIENT, true),
        new Case("call-ended (server->callee)", false, NatProxy.Dir.TO_CLIENT, false));
    List<String> failures = new ArrayList<>();
    List<String> measured = new ArrayList<>();
    try (ServerUnderTest server = ServerUnderTest.start(dir, 4, ServerUnderTest.roomy(), Duration.ofMinutes(10));
        NatProxy proxy = new NatProxy(new InetSocketAddress("127.0.0.1", 0), server.signalling(), 1);
        Party caller = Party.signIn(0, proxy.address(), Duration.ofSeconds(20));
        Party callee = Party.signIn(1, proxy.address(), Duration.ofSeconds(20))) {
      Util.sleep(500);
      int i = 0;
      for (Case c : cases) {
        i++;
        InetSocketAddress victim = (c.dropForCaller ? caller : callee).client.localAddress();
        long mark = System.nanoTime();
        caller.client.call(callee.user);
        Party.Ev inc = callee.awaitAfter("incoming", mark, LIMIT_MILLIS);
        if (inc == null) {
          failures.add(c.what + ": no incoming");
          continue;
        }
        Util.sleep(400); // the callee's answer to INCOMING, RINGING and its answer are through
        CompletableFuture<byte[]> dropped = null;
        if (c.beforeAnswer) {
          dropped = proxy.dropNext(c.dir, victim);
        }
        long answeredAt = System.nanoTime();
        callee.client.answer();
        Party.Ev sa = caller.awaitAfter("started", mark, LIMIT_MILLIS);
        Party.Ev sb = callee.awaitAfter("started", mark, LIMIT_MILLIS);
        if (sa == null || sb == null) {
          failures.add(c.what + ": not set up (caller " + sa + ", callee " + sb + ")");
        }
        double setup = (Math.max(sa == null ? 0 : sa.nanos(), sb == null ? 0 : sb.nanos()) - answeredAt) / 1e9;
        Util.sleep(600); // keys exchanged, presence sent: quiet again
        long hangAt = System.nanoTime();
        if (!c.beforeAnswer) {
          dropped = proxy.dropNext(c.dir, victim);
        }
        caller.client.hangup();
        Party.Ev ea = caller.awaitAfter("ended", hangAt, LIMIT_MILLIS);
        Party.Ev eb = callee.awaitAfter("ended", hangAt, LIMIT_MILLIS);
        double hang = eb == null ? Double.NaN : (eb.nanos() - hangAt) / 1e9;
        // the hang-up's own retransmission must finish before the next case: wait for the server to be idle
        long idle = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < idle && server.metric("causerie_calls_active") > 0) {
          Util.sleep(100);
        }
        Util.sleep(c.beforeAnswer ? 300 : 1_500);
        String what = dropped != null && dropped.isDone() && !dropped.isCancelled() ? Wire.describe(dropped.get())
            : "nothing (rule not hit)";
        if (dropped == null || !dropped.isDone()) {
          failures.add(c.what + ": the drop rule never fired");
        }
        if (ea == null || !"HANGUP".equals(ea.reason()) || eb == null || !"REMOTE_HANGUP".equals(eb.reason())) {
          failures.add(c.what + ": ended as caller " + ea + ", callee " + eb);
        }
        if (sa != null) {
          for (String k : List.of("started", "ended")) {
            if (caller.count(k, sa.callId()) != 1 || callee.count(k, sa.callId()) != 1) {
              failures.add(c.what + ": " + k + " seen " + caller.count(k, sa.callId()) + "/"
                  + callee.count(k, sa.callId()) + " times");
            }
          }
        }
        double activeAfter = server.metric("causerie_calls_active");
        if (activeAfter != 0) {
          failures.add(c.what + ": server still has " + activeAfter + " active calls");
        }
        d.put("case" + i, c.what + ": dropped " + what + "; set-up " + Util.f2(setup) + " s after answer; callee told"
            + " of hang-up after " + Util.f2(hang) + " s");
        measured.add(c.what.split(" ")[0] + (c.what.contains("answer") ? "-answer" : "") + " "
            + Util.f2(c.beforeAnswer ? setup : hang) + " s");
      }
      long errs = caller.count("error") + callee.count("error") + caller.count("reconnecting")
          + callee.count("reconnecting");
      if (errs > 0) {
        failures.add(errs + " error/reconnecting events: " + caller.events() + callee.events());
      }
      d.put("server_uncaught", server.uncaught());
      if (server.uncaught() > 0) {
        d.put("server_errors", server.errorSample());
      }
      if (server.uncaught() > 0) {
        failures.add("server logged " + server.uncaught() + " errors");
      }
    }
    d.put("failures", failures.isEmpty() ? "none" : String.join("; ", failures));
    boolean pass = failures.isEmpty();
    String m = cases.size() + " flows, each with its last message dropped once: "
        + (pass ? "all completed" : failures.size() + " failed") + " (" + String.join(", ", measured) + ")";
    return new Row(name(), target(), m, pass, Util.seconds(System.nanoTime() - t0), d);
  }
}
