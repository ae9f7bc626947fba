package io.causerie.bench.reliability;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Row 6: a NAT rebinding mid-call. Both clients reach the server (127.0.0.1) through {@link NatProxy}s listening on
 * 127.0.0.2, one for signalling and one per media port (same port numbers), so their voice goes through the "NAT" as
 * well. Mid-call, the NAT gives the caller new source ports for signalling and voice at once (its old upstream
 * sockets closed). Measured: how long each direction's voice stops (it must flow again), how long until the server
 * follows the caller's signalling to the new port (at its next request, the keepalive; over DTLS that request finds
 * no association at the new address, so the client handshakes again after 2.5 s of silence: keepalive + about 3 s),
 * and that the call then ends normally.
 */
final class NetworkChange implements Scenario {
  static final double MEDIA_LIMIT_S = 5;

  @Override
  public String name() {
    return "network-change";
  }

  @Override
  public String target() {
    return "a client's source ports change mid-call: voice flows again within a few seconds (<= 5 s), the session"
        + " follows the client without a new sign-in, the call goes on";
  }

  @Override
  public Row run(Context ctx) throws Exception {
    int keepalive = ctx.pick(3, 15);
    var dir = ctx.dir(name());
    String db = dir.resolve("causerie.db").toString();
    Util.users(db, 2);
    long t0 = System.nanoTime();
    Map<String, String> s = ServerUnderTest.roomy();
    s.put("keepalive-interval", Integer.toString(keepalive));
    s.put("session-timeout", Integer.toString(keepalive * 3));
    Map<String, Object> d = Util.map();
    List<String> failures = new ArrayList<>();
    List<NatProxy> media = new ArrayList<>();
    double gapAtoB = Double.NaN;
    double gapBtoA = Double.NaN;
    double followed = Double.NaN;
    try (ServerUnderTest server = ServerUnderTest.start(dir, 4, s, Duration.ofMinutes(10));
        NatProxy sig = new NatProxy(new InetSocketAddress("127.0.0.2", 0), server.signalling(), 5)) {
      for (int p = server.mediaFrom(); p <= server.mediaTo(); p++) {
        media.add(new NatProxy(new InetSocketAddress("127.0.0.2", p), new InetSocketAddress("127.0.0.1", p), p));
      }
      try (Party a = Party.signIn(0, sig.address(), Duration.ofSeconds(20)).withMedia(Party.tone());
          Party b = Party.signIn(1, sig.address(), Duration.ofSeconds(20)).withMedia(Party.tone()).answerAfter(0)) {
        a.client.call(b.user);
        if (a.await("started", 15_000) == null || b.await("started", 15_000) == null) {
          throw new IllegalStateException("call not set up: " + a.events() + " " + b.events());
        }
        Util.sleep(3_000);
        InetSocketAddress aSignal = a.client.localAddress();
        InetSocketAddress aMedia = a.media().localAddress();
        InetSocketAddress oldUp = sig.upstreamOf(aSignal);
        long rebindAt = System.nanoTime();
        sig.rebind(aSignal);
        for (NatProxy m : media) {
          if (m.upstreamOf(aMedia) != null) {
            m.rebind(aMedia);
          }
        }
        InetSocketAddress newUp = sig.upstreamOf(aSignal);
        d.put("signalling_source_port", oldUp.getPort() + " -> " + newUp.getPort());
        // the server follows the signalling at the client's next request (its keepalive): watched meanwhile
        String moved = a.user + " moved from";
        long[] followedAt = {0};
        Thread follower = new Thread(() -> {
          long deadline = rebindAt + (keepalive + 5) * 1_000_000_000L;
          while (System.nanoTime() < deadline && server.countLog(moved) == 0) {
            Util.sleep(50);
          }
          if (server.countLog(moved) > 0) {
            followedAt[0] = System.nanoTime();
          }
        }, "reliability-follow-watch");
        follower.start();
        // watch both directions' voice for a while: the longest stall after the change
        double[] gaps = watch(b::received, a::received, rebindAt, ctx.pick(5_000, 8_000));
        gapAtoB = gaps[0];
        gapBtoA = gaps[1];
        d.put("voice_a_to_b_gap_s", gapAtoB);
        d.put("voice_b_to_a_gap_s", gapBtoA);
        d.put("voice_a_to_b_flowing_at_end", gaps[2] > 0);
        d.put("voice_b_to_a_flowing_at_end", gaps[3] > 0);
        if (!(gapAtoB <= MEDIA_LIMIT_S) || !(gapBtoA <= MEDIA_LIMIT_S) || gaps[2] == 0 || gaps[3] == 0) {
          failures.add("voice did not resume within " + MEDIA_LIMIT_S + " s both ways");
        }
        follower.join((keepalive + 10) * 1000L);
        if (followedAt[0] > 0) {
          followed = (followedAt[0] - rebindAt) / 1e9;
        } else {
          failures.add("the server did not follow the new address within keepalive + 5 s");
        }
        d.put("session_followed_within_s", followed);
        Util.sleep(500);
        long hang = System.nanoTime();
        b.client.hangup();
        Party.Ev e = a.awaitAfter("ended", hang, 20_000);
        d.put("hang_up_after_move", e == null ? "not delivered" : e.reason() + " after "
            + Util.f2((e.nanos() - hang) / 1e9) + " s");
        if (e == null || !"REMOTE_HANGUP".equals(e.reason())) {
          failures.add("the peer's hang-up after the move did not reach the moved client: " + e);
        }
        long again = a.count("registered-again") + a.count("reconnecting");
        d.put("re_sign_ins", again);
        b.await("ended", 5_000);
        Util.sleep(500);
        if (a.count("ended") != 1 || b.count("ended") != 1) {
          failures.add("call ended " + a.count("ended") + "/" + b.count("ended") + " times");
        }
      }
      d.put("server_uncaught", server.uncaught());
      if (server.uncaught() > 0) {
        d.put("server_errors", server.errorSample());
      }
      if (server.uncaught() > 0) {
        failures.add("server logged errors");
      }
    } finally {
      media.forEach(NatProxy::close);
    }
    d.put("failures", failures.isEmpty() ? "none" : String.join("; ", failures));
    boolean pass = failures.isEmpty();
    String m = "voice stalled " + Util.f2(gapAtoB) + " s (caller->callee) and " + Util.f2(gapBtoA)
        + " s (callee->caller), then flowed; session followed after " + Util.f1(followed) + " s (next keepalive, every "
        + keepalive + " s)" + (pass ? "" : "; " + String.join("; ", failures));
    return new Row(name(), target(), m, pass, Util.seconds(System.nanoTime() - t0), d);
  }

  /**
   * Polls two received-packet counters for {@code millis} after {@code from}; returns the longest time either did
   * not grow (seconds, counted from {@code from}), and how much each grew in the last second.
   */
  static double[] watch(LongSupplier x, LongSupplier y, long from, long millis) {
    long lastX = x.getAsLong();
    long lastY = y.getAsLong();
    long grewX = from;
    long grewY = from;
    double gapX = 0;
    double gapY = 0;
    long end = from + millis * 1_000_000L;
    long tailX = 0;
    long tailY = 0;
    long tailFrom = end - 1_000_000_000L;
    long tailBaseX = -1;
    long tailBaseY = -1;
    while (System.nanoTime() < end) {
      Util.sleep(20);
      long now = System.nanoTime();
      long cx = x.getAsLong();
      long cy = y.getAsLong();
      if (cx > lastX) {
        gapX = Math.max(gapX, (now - grewX) / 1e9);
        grewX = now;
        lastX = cx;
      }
      if (cy > lastY) {
        gapY = Math.max(gapY, (now - grewY) / 1e9);
        grewY = now;
        lastY = cy;
      }
      if (now >= tailFrom && tailBaseX < 0) {
        tailBaseX = cx;
        tailBaseY = cy;
      }
    }
    tailX = x.getAsLong() - Math.max(0, tailBaseX);
    tailY = y.getAsLong() - Math.max(0, tailBaseY);
    long now = System.nanoTime();
    gapX = Math.max(gapX, (now - grewX) / 1e9);
    gapY = Math.max(gapY, (now - grewY) / 1e9);
    return new double[] {gapX, gapY, tailX, tailY};
  }
}
