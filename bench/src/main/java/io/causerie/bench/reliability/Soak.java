package io.causerie.bench.reliability;

import io.causerie.client.media.QualitySnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Row 9: C concurrent calls with Opus voice both ways for S seconds. Every call is set up by the real client library;
 * two of them also carry their voice through the real {@link io.causerie.client.media.MediaSession} (capture, Opus
 * encoding, SRTP, jitter buffer, decoding), the others through {@link SoakMedia} (real Opus frames replayed from one
 * socket per client: a hundred and more full media pipelines would measure this machine's CPU, not the server).
 * Loss is counted end to end; heap after a full GC, RSS, threads and open sockets/files of the server are taken after
 * a warm-up and at the end.
 */
final class Soak implements Scenario {
  static final int REAL_CLIENT_CALLS = 2;
  static final double LOSS_LIMIT_PERCENT = 0.1;

  @Override
  public String name() {
    return "soak";
  }

  @Override
  public String target() {
    return "C concurrent calls with Opus voice for S s: no loss beyond the network's (loopback: < 0.1 %), heap (after"
        + " GC) and RSS (after warm-up) flat, no thread or socket growth";
  }

  private record Sample(long heap, long rss, long threads, long fds, long sockets) {
    String text() {
      return "heap " + Util.mib(heap) + ", RSS " + Util.mib(rss) + ", " + threads + " threads, " + fds + " fds ("
          + sockets + " sockets)";
    }
  }

  private static Sample sample(ServerUnderTest s) throws java.io.IOException {
    long heap = s.heapAfterGc();
    return new Sample(heap, s.rssBytes(), s.threads(), s.fds(), s.sockets());
  }

  @Override
  public Row run(Context ctx) throws Exception {
    int calls = ctx.pick(10, 200);
    int seconds = ctx.pick(15, 600);
    int warmup = ctx.pick(4, 30);
    int clients = 2 * calls;
    var dir = ctx.dir(name());
    String db = dir.resolve("causerie.db").toString();
    Util.users(db, clients);
    long t0 = System.nanoTime();
    Map<String, Object> d = Util.map();
    List<String> failures = new ArrayList<>();
    List<Party> parties = new ArrayList<>();
    try (ServerUnderTest server = ServerUnderTest.start(dir, clients + 4, ServerUnderTest.roomy(),
        Duration.ofSeconds(seconds + warmup + 300))) {
      List<String> signIn = new ArrayList<>();
      parties.addAll(Util.signInAll(0, clients, server.signalling(), Duration.ofSeconds(30), 16, signIn));
      if (parties.contains(null)) {
        throw new IllegalStateException("sign-in failed: " + signIn);
      }
      for (int i = 0; i < calls; i++) {
        Party a = parties.get(2 * i);
        Party b = parties.get(2 * i + 1).answerAfter(0);
        if (i < REAL_CLIENT_CALLS) {
          a.withMedia(Party.tone());
          b.withMedia(Party.tone());
        }
        a.client.call(b.user);
      }
      int up = 0;
      for (Party p : parties) {
        if (p.await("started", 30_000) != null) {
          up++;
        }
      }
      if (up != clients) {
        throw new IllegalStateException("only " + up + " of " + clients + " parties in a call");
      }
      List<Integer> ports = new ArrayList<>();
      for (int i = 2 * REAL_CLIENT_CALLS; i < clients; i++) {
        ports.add(parties.get(i).client.mediaPort());
      }
      ctx.say("%s: %d calls up; %d s of voice", name(), calls, seconds);
      try (SoakMedia media = new SoakMedia(ports)) {
        Util.sleep(warmup * 1_000L);
        Sample start = sample(server);
        long sent0 = media.sent.get();
        long rx0 = media.received.get();
        QualitySnapshot[] q0 = new QualitySnapshot[2 * REAL_CLIENT_CALLS];
        for (int i = 0; i < q0.length; i++) {
          q0[i] = parties.get(i).lastQuality();
        }
        long measureStart = System.nanoTime();
        long end = measureStart + seconds * 1_000_000_000L;
        List<String> trace = new ArrayList<>();
        long settledRss = -1;
        long nextTrace = measureStart + Math.max(10, seconds / 5) * 1_000_000_000L;
        while (System.nanoTime() < end) {
          Util.sleep(200);
          if (System.nanoTime() >= nextTrace && System.nanoTime() < end - 5_000_000_000L) {
            long rss = server.rssBytes();
            if (settledRss < 0) {
              settledRss = rss;
            }
            trace.add(Util.f1((System.nanoTime() - measureStart) / 1e9) + " s: RSS " + Util.mib(rss) + ", "
                + server.threads() + " threads, " + server.fds() + " fds");
            ctx.say("%s: %s", name(), trace.get(trace.size() - 1));
            nextTrace += Math.max(10, seconds / 5) * 1_000_000_000L;
          }
        }
        media.stopSending();
        Util.sleep(500);
        long sent = media.sent.get() - sent0;
        long rx = media.received.get() - rx0;
        Sample stop = sample(server);
        long realRx = 0;
        long realLost = 0;
        for (int i = 0; i < q0.length; i++) {
          QualitySnapshot q = parties.get(i).lastQuality();
          realRx += q.received() - q0[i].received();
          realLost += q.lost() - q0[i].lost();
        }
        double loss = 100.0 * Math.max(0, sent - rx) / Math.max(1, sent);
        double realLoss = 100.0 * realLost / Math.max(1, realRx + realLost);
        String scrape = server.scrape();
        d.put("calls", calls);
        d.put("seconds", seconds);
        d.put("generator_packets_sent", sent);
        d.put("generator_packets_received", rx);
        d.put("generator_loss_percent", loss);
        d.put("real_clients_received", realRx);
        d.put("real_clients_lost", realLost);
        d.put("real_clients_loss_percent", realLoss);
        d.put("relay_drops", (long) ServerUnderTest.metric(scrape, "causerie_relay_drops_total", null));
        d.put("calls_active_at_end", (long) ServerUnderTest.metric(scrape, "causerie_calls_active", null));
        d.put("start", start.text());
        d.put("end", stop.text());
        d.put("trace", String.join("; ", trace));
        d.put("server_uncaught", server.uncaught());
        if (server.uncaught() > 0) {
          d.put("server_errors", server.errorSample());
        }
        if (loss > LOSS_LIMIT_PERCENT || realLoss > LOSS_LIMIT_PERCENT) {
          failures.add("loss " + Util.f2(loss) + " % (generator), " + Util.f2(realLoss) + " % (real clients)");
        }
        if (ServerUnderTest.metric(scrape, "causerie_calls_active", null) != calls) {
          failures.add("calls dropped during the soak");
        }
        if (stop.heap > start.heap + (16L << 20)) {
          failures.add("heap after GC grew " + Util.mib(stop.heap - start.heap));
        }
        // RSS is judged from the first trace point (a fifth into the soak): before it the JVM grows its heap to the
        // working size of the load and compiles the hot code, which is warm-up, not a leak (heap after GC is the leak
        // figure, judged from the start)
        long rssFrom = settledRss > 0 ? settledRss : start.rss;
        d.put("rss_judged_from", Util.mib(rssFrom));
        if (stop.rss > rssFrom * 1.10) {
          failures.add("RSS grew " + Util.mib(stop.rss - rssFrom) + " after warm-up");
        }
        if (stop.threads > start.threads + 2 || stop.sockets > start.sockets + 2) {
          failures.add("threads " + start.threads + "->" + stop.threads + ", sockets " + start.sockets + "->"
              + stop.sockets);
        }
        if (server.uncaught() > 0) {
          failures.add("server logged errors");
        }
        String m = calls + " calls x " + seconds + " s: loss " + Util.f2(loss) + " % (" + sent + " packets; real"
            + " clients " + Util.f2(realLoss) + " %); start " + start.text() + "; end " + stop.text()
            + (failures.isEmpty() ? "" : "; FAILED: " + String.join("; ", failures));
        d.put("failures", failures.isEmpty() ? "none" : String.join("; ", failures));
        return new Row(name(), target(), m, failures.isEmpty(), Util.seconds(System.nanoTime() - t0), d);
      }
    } finally {
      Party.closeAll(parties.stream().filter(p -> p != null).toList());
    }
  }
}
