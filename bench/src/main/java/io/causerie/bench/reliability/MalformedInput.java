package io.causerie.bench.reliability;

import io.causerie.client.media.QualitySnapshot;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Row 7: thousands of bad datagrams of {@link Garbage#kinds} at the signalling port (from 127.0.0.2) and at the media
 * ports (from 127.0.0.2 and from the clients' own 127.0.0.1), while two users talk (real voice) and two others set up
 * calls. Afterwards: the server alive with no error logged, sessions, calls, half-done sign-ins and notifications back
 * to where they were, heap after a full GC back to its baseline, and the legitimate users unaffected.
 */
final class MalformedInput implements Scenario {
  static final long HEAP_SLACK_BYTES = 16L << 20;

  @Override
  public String name() {
    return "malformed-input";
  }

  @Override
  public String target() {
    return ">= 5,000 datagrams of >= 20 kinds at signalling and media ports: 0 crashes, 0 uncaught exceptions, 0 leaked"
        + " sessions/transactions, heap back to baseline, legitimate calls unaffected";
  }

  @Override
  public Row run(Context ctx) throws Exception {
    int total = ctx.pick(6_000, 30_000);
    int perSecond = 2_000;
    var dir = ctx.dir(name());
    String db = dir.resolve("causerie.db").toString();
    Util.users(db, 4);
    long t0 = System.nanoTime();
    Map<String, Object> d = Util.map();
    List<String> failures = new ArrayList<>();
    List<Garbage.Kind> kinds = Garbage.kinds();
    Map<String, Long> perKind = new HashMap<>();
    try (ServerUnderTest server = ServerUnderTest.start(dir, 8, ServerUnderTest.roomy(), Duration.ofMinutes(10));
        Party alice = Party.signIn(0, server.signalling(), Duration.ofSeconds(20)).withMedia(Party.tone());
        Party bob = Party.signIn(1, server.signalling(), Duration.ofSeconds(20)).withMedia(Party.tone())
            .answerAfter(0);
        Party carol = Party.signIn(2, server.signalling(), Duration.ofSeconds(20));
        Party dave = Party.signIn(3, server.signalling(), Duration.ofSeconds(20)).answerAfter(0);
        DatagramChannel attacker = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.2", 0));
        DatagramChannel local = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
      alice.client.call(bob.user);
      if (alice.await("started", 15_000) == null || bob.await("started", 15_000) == null) {
        throw new IllegalStateException("voice call not set up");
      }
      Util.sleep(3_000);
      String base = server.scrape();
      long heap0 = server.heapAfterGc();
      long rss0 = server.rssBytes();
      long threads0 = server.threads();
      double sessions0 = ServerUnderTest.metric(base, "causerie_sessions", null);
      double calls0 = ServerUnderTest.metric(base, "causerie_calls_active", null);
      double notif0 = ServerUnderTest.metric(base, "causerie_notifications_pending", null);
      double malformed0 = ServerUnderTest.metric(base, "causerie_signalling_malformed_total", null);
      double dtlsRejected0 = ServerUnderTest.metric(base, "causerie_dtls_rejected_total", null);
      QualitySnapshot qa0 = alice.lastQuality();
      QualitySnapshot qb0 = bob.lastQuality();
      List<InetSocketAddress> mediaTargets = new ArrayList<>();
      mediaTargets.add(new InetSocketAddress("127.0.0.1", alice.client.mediaPort()));
      mediaTargets.add(new InetSocketAddress("127.0.0.1", bob.client.mediaPort()));
      for (int p = server.mediaFrom(); p <= server.mediaTo(); p++) {
        mediaTargets.add(new InetSocketAddress("127.0.0.1", p));
      }
      AtomicLong sent = new AtomicLong();
      Thread barrage = new Thread(() -> {
        Random r = new Random(42);
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
          Garbage.Kind k = kinds.get(i % kinds.size());
          byte[] bytes = k.make().apply(r);
          try {
            if (k.port() == Garbage.Port.SIGNALLING) {
              attacker.send(ByteBuffer.wrap(bytes), server.signalling());
            } else {
              InetSocketAddress to = mediaTargets.get(r.nextInt(mediaTargets.size()));
              (r.nextBoolean() ? attacker : local).send(ByteBuffer.wrap(bytes), to);
            }
            sent.incrementAndGet();
            synchronized (perKind) {
              perKind.merge(k.name(), 1L, Long::sum);
            }
          } catch (java.io.IOException e) {
            // e.g. a datagram too large for the socket: not sent, not counted
          }
          long due = start + (long) ((i + 1) * 1e9 / perSecond);
          long wait = due - System.nanoTime();
          if (wait > 0) {
            Util.sleep(wait / 1_000_000);
          }
        }
      }, "reliability-barrage");
      long barrageAt = System.nanoTime();
      barrage.start();
      int setups = 0;
      int attempts = 0;
      while (barrage.isAlive() || attempts < 2) {
        attempts++;
        long mark = System.nanoTime();
        carol.client.call(dave.user);
        Party.Ev a = carol.awaitAfter("started", mark, 10_000);
        Party.Ev b = dave.awaitAfter("started", mark, 10_000);
        Util.sleep(300);
        carol.client.hangup();
        Party.Ev ea = carol.awaitAfter("ended", mark, 10_000);
        Party.Ev eb = dave.awaitAfter("ended", mark, 10_000);
        if (a != null && b != null && ea != null && eb != null && "REMOTE_HANGUP".equals(eb.reason())) {
          setups++;
        }
        Util.sleep(200);
      }
      barrage.join();
      double barrageSeconds = (System.nanoTime() - barrageAt) / 1e9;
      QualitySnapshot qa1 = alice.lastQuality();
      QualitySnapshot qb1 = bob.lastQuality();
      long rx = (qa1.received() - qa0.received()) + (qb1.received() - qb0.received());
      long lost = (qa1.lost() - qa0.lost()) + (qb1.lost() - qb0.lost());
      double voiceLoss = 100.0 * lost / Math.max(1, rx + lost);
      // half-done sign-ins of the unknown users expire after the login timeout (10 s)
      Util.sleep(12_000);
      String after = server.scrape();
      long heap1 = server.heapAfterGc();
      long rss1 = server.rssBytes();
      long threads1 = server.threads();
      double sessions1 = ServerUnderTest.metric(after, "causerie_sessions", null);
      double calls1 = ServerUnderTest.metric(after, "causerie_calls_active", null);
      double logins1 = ServerUnderTest.metric(after, "causerie_logins_pending", null);
      double notif1 = ServerUnderTest.metric(after, "causerie_notifications_pending", null);
      double malformed1 = ServerUnderTest.metric(after, "causerie_signalling_malformed_total", null);
      double dtlsRejected1 = ServerUnderTest.metric(after, "causerie_dtls_rejected_total", null);
      long hang = System.nanoTime();
      alice.client.hangup();
      Party.Ev told = bob.awaitAfter("ended", hang, 10_000);
      d.put("datagrams_sent", sent.get());
      d.put("kinds", kinds.size());
      d.put("barrage_s", barrageSeconds);
      d.put("server_alive", server.alive());
      d.put("server_errors_logged", server.uncaught());
      d.put("malformed_counted", (long) (malformed1 - malformed0));
      d.put("dtls_rejected_counted", Double.isNaN(dtlsRejected1) ? "n/a (plaintext server)"
          : Long.toString((long) (dtlsRejected1 - dtlsRejected0)));
      d.put("relay_drops", (long) ServerUnderTest.metric(after, "causerie_relay_drops_total", null));
      d.put("sessions", (long) sessions0 + " -> " + (long) sessions1);
      d.put("calls_active", (long) calls0 + " -> " + (long) calls1);
      d.put("logins_pending_after", (long) logins1);
      d.put("notifications_pending", (long) notif0 + " -> " + (long) notif1);
      d.put("heap_after_gc", Util.mib(heap0) + " -> " + Util.mib(heap1));
      d.put("rss", Util.mib(rss0) + " -> " + Util.mib(rss1));
      d.put("threads", threads0 + " -> " + threads1);
      d.put("legit_call_setups", setups + "/" + attempts);
      d.put("voice_loss_during_barrage_percent", voiceLoss);
      d.put("voice_call_hang_up", told == null ? "not delivered" : told.reason());
      if (sent.get() < 5_000 || kinds.size() < 20) {
        failures.add("barrage too small");
      }
      if (!server.alive() || server.uncaught() > 0) {
        failures.add("server crashed or logged errors: " + server.uncaught());
      }
      if (sessions1 != sessions0 || calls1 != calls0 || logins1 != 0 || notif1 > notif0) {
        failures.add("leaked state: sessions " + sessions0 + "->" + sessions1 + ", calls " + calls0 + "->" + calls1
            + ", logins " + logins1 + ", notifications " + notif0 + "->" + notif1);
      }
      if (heap1 > heap0 + HEAP_SLACK_BYTES) {
        failures.add("heap after GC grew " + Util.mib(heap1 - heap0));
      }
      if (threads1 > threads0 + 2) {
        failures.add("threads grew " + threads0 + " -> " + threads1);
      }
      if (setups != attempts || voiceLoss > 1.0 || told == null || !"REMOTE_HANGUP".equals(told.reason())) {
        failures.add("legitimate users affected: " + setups + "/" + attempts + " call set-ups, voice loss "
            + Util.f2(voiceLoss) + " %, hang-up " + told);
      }
    }
    d.put("per_kind", perKind.toString());
    d.put("failures", failures.isEmpty() ? "none" : String.join("; ", failures));
    boolean pass = failures.isEmpty();
    String m = d.get("datagrams_sent") + " datagrams of " + kinds.size() + " kinds: " + d.get("server_errors_logged")
        + " errors, sessions " + d.get("sessions") + ", heap after GC " + d.get("heap_after_gc") + ", legit set-ups "
        + d.get("legit_call_setups") + ", voice loss " + Util.f2((double) d.get("voice_loss_during_barrage_percent"))
        + " %" + (pass ? "" : "; FAILED: " + String.join("; ", failures));
    return new Row(name(), target(), m, pass, Util.seconds(System.nanoTime() - t0), d);
  }
}
