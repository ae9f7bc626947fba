package io.causerie.bench.reliability;

import io.causerie.protocol.MessageCodec;
import io.causerie.protocol.MessageType;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Row 3: every datagram, both ways, delivered 2 to 6 times (1 to 5 extra copies) through {@link NatProxy}: sign-in,
 * calls, hang-ups. Each state change must be seen once, and (while signalling is plaintext, so the proxy can tell)
 * every copy of an answer must be byte-identical.
 */
final class Duplicates implements Scenario {
  @Override
  public String name() {
    return "duplicates";
  }

  @Override
  public String target() {
    return "every datagram duplicated 1-5 times: one state change each, byte-identical answers";
  }

  @Override
  public Row run(Context ctx) throws Exception {
    int calls = ctx.pick(5, 30);
    var dir = ctx.dir(name());
    String db = dir.resolve("causerie.db").toString();
    Util.users(db, 2 * calls);
    long t0 = System.nanoTime();
    Map<String, Object> d = Util.map();
    List<Party> parties = new ArrayList<>();
    Map<String, byte[]> firstAnswer = new HashMap<>();
    long[] answers = new long[3]; // copies checked, differing, opaque
    try (ServerUnderTest server = ServerUnderTest.start(dir, 2 * calls + 4, ServerUnderTest.roomy(),
        Duration.ofMinutes(10));
        NatProxy proxy = new NatProxy(new InetSocketAddress("127.0.0.1", 0), server.signalling(), 3)) {
      proxy.duplicate(5);
      proxy.tap((direction, data) -> {
        MessageCodec.Header h = Wire.header(data);
        synchronized (firstAnswer) {
          if (h == null) {
            answers[2]++;
            return;
          }
          MessageType t = h.type();
          if (t == null || t.isRequest()) {
            return;
          }
          String key = direction + "/" + h.session() + "/" + h.txid();
          byte[] first = firstAnswer.putIfAbsent(key, data);
          if (first != null) {
            answers[0]++;
            if (!Arrays.equals(first, data)) {
              answers[1]++;
            }
          }
        }
      });
      List<String> signInFailures = new ArrayList<>();
      parties.addAll(Util.signInAll(0, 2 * calls, proxy.address(), Duration.ofSeconds(30), 8, signInFailures));
      List<Double> setups = Collections.synchronizedList(new ArrayList<>());
      List<String> anomalies = Collections.synchronizedList(new ArrayList<>());
      ExecutorService pool = Executors.newFixedThreadPool(calls);
      List<Future<Boolean>> fs = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        Party a = parties.get(2 * i);
        Party b = parties.get(2 * i + 1);
        long delay = i * 100L;
        fs.add(pool.submit(() -> {
          Util.sleep(delay);
          return LossySignalling.oneCall(a, b, setups, anomalies);
        }));
      }
      int ok = 0;
      for (Future<Boolean> f : fs) {
        if (f.get(3, TimeUnit.MINUTES)) {
          ok++;
        }
      }
      pool.shutdownNow();
      for (Party p : parties) {
        if (p != null && p.count("registered") != 1) {
          anomalies.add(p.user + " registered x" + p.count("registered"));
        }
      }
      d.put("calls", calls);
      d.put("set_up", ok);
      d.put("sign_in_failures", signInFailures.size());
      d.put("extra_copies_sent", proxy.copies.get());
      d.put("answer_copies_compared", answers[0]);
      d.put("answer_copies_differing", answers[1]);
      d.put("opaque_datagrams", answers[2]);
      d.put("server_duplicates_answered_from_cache", (long) server.metric("causerie_signalling_duplicates_total"));
      d.put("state_change_anomalies", anomalies.size());
      if (!anomalies.isEmpty()) {
        d.put("first_anomalies", String.join("; ", anomalies.subList(0, Math.min(10, anomalies.size()))));
      }
      d.put("server_uncaught", server.uncaught());
      if (server.uncaught() > 0) {
        d.put("server_errors", server.errorSample());
      }
      boolean identical = answers[1] == 0;
      boolean pass = ok == calls && anomalies.isEmpty() && signInFailures.isEmpty() && identical
          && server.uncaught() == 0;
      String m = ok + "/" + calls + " calls, " + anomalies.size() + " state-change anomalies, "
          + proxy.copies.get() + " extra copies; answers: " + (answers[0] == 0 ? "not comparable (encrypted)"
          : answers[1] + " of " + answers[0] + " copies differed");
      return new Row(name(), target(), m, pass, Util.seconds(System.nanoTime() - t0), d);
    } finally {
      Party.closeAll(parties.stream().filter(p -> p != null).toList());
    }
  }
}
