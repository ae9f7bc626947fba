package io.causerie.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.causerie.protocol.EndReason;
import io.causerie.protocol.ErrorCode;
import io.causerie.protocol.PresenceState;
import io.causerie.server.UdpMediaRelay;
import io.causerie.transport.RetransmitPolicy;
import io.causerie.transport.impair.ImpairmentProxy;
import io.causerie.transport.impair.ImpairmentSpec;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real server, real clients, real UDP on 127.0.0.1: every call outcome a user can meet. */
class EndToEndTest {
  private static final Duration T = Duration.ofSeconds(10);

  @TempDir Path dir;
  private ServerFixture fx;

  @AfterEach
  void tearDown() {
    if (fx != null) {
      fx.close();
    }
  }

  private ServerFixture server() throws Exception {
    fx = new ServerFixture(dir, "alice", "bob", "carol");
    return fx.start();
  }

  @Test
  void callAnsweredMediaRelayedBothWaysThenHungUp() throws Exception {
    server();
    RecordingListener a = new RecordingListener();
    RecordingListener b = new RecordingListener();
    SignallingClient alice = fx.connect("alice", a);
    SignallingClient bob = fx.connect("bob", b);
    a.await(e -> e.kind().equals("presence") && a.presence.get("bob") == PresenceState.ONLINE, "bob online", T);

    alice.call("bob");
    RecordingListener.Event incoming = b.await("incoming", T);
    assertThat(incoming.call().peer()).isEqualTo("alice");
    a.await("ringing", T);
    bob.answer();
    CallInfo forAlice = a.await("call-started", T).call();
    CallInfo forBob = b.await("call-started", T).call();
    assertThat(forAlice.codec()).isEqualTo("opus");
    assertThat(forAlice.callId()).isEqualTo(forBob.callId());
    // End-to-end keys: both sides show the same 4-digit code, and each one's sending key is the other's receiving key.
    assertThat(forAlice.sas()).matches("[0-9]{4}").isEqualTo(forBob.sas());
    assertThat(forAlice.keys().send()).isEqualTo(forBob.keys().receive());
    assertThat(forAlice.keys().receive()).isEqualTo(forBob.keys().send());
    assertThat(forAlice.keys().send()).isNotEqualTo(forAlice.keys().receive());
    a.await(e -> e.kind().equals("presence") && a.presence.get("bob") == PresenceState.IN_CALL, "bob in call", T);

    // Media: each side sends from its own socket to its own server port; the relay forwards to the other.
    try (DatagramChannel ma = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        DatagramChannel mb = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
      InetSocketAddress toA = new InetSocketAddress("127.0.0.1", forAlice.mediaPort());
      InetSocketAddress toB = new InetSocketAddress("127.0.0.1", forBob.mediaPort());
      // Until each side has sent once, the relay does not know where to forward: the first datagrams
      // may be dropped, so both sides send until each has heard the other (as real clients do).
      UdpMediaRelay relay = fx.server.relay();
      boolean aHeard = false;
      boolean bHeard = false;
      for (int i = 0; i < 100 && !(aHeard && bHeard); i++) {
        ma.send(bytes("latch"), toA);
        mb.send(bytes("latch"), toB);
        aHeard |= poll(ma) != null;
        bHeard |= poll(mb) != null;
        Thread.sleep(10);
      }
      assertThat(aHeard && bHeard).as("both sides latched").isTrue();
      Thread.sleep(50);
      while (poll(ma) != null || poll(mb) != null) {
        // drain the latch traffic
      }
      long before = relay.forwardedPackets();
      for (int i = 0; i < 50; i++) {
        ma.send(bytes("a" + i), toA);
        assertThat(receive(mb)).isEqualTo("a" + i);
        mb.send(bytes("b" + i), toB);
        assertThat(receive(ma)).isEqualTo("b" + i);
      }
      assertThat(relay.forwardedPackets() - before).isEqualTo(100);
    }

    alice.hangup();
    assertThat(a.await("call-ended", T).reason()).isEqualTo(EndReason.HANGUP);
    assertThat(b.await("call-ended", T).reason()).isEqualTo(EndReason.REMOTE_HANGUP);
    assertThat(fx.server.<Integer>inspect(c -> c.callCount()).intValue()).isZero();
  }

  @Test
  void refused() throws Exception {
    server();
    RecordingListener a = new RecordingListener();
    RecordingListener b = new RecordingListener();
    SignallingClient alice = fx.connect("alice", a);
    SignallingClient bob = fx.connect("bob", b);
    alice.call("bob");
    b.await("incoming", T);
    bob.refuse();
    assertThat(a.await("call-ended", T).reason()).isEqualTo(EndReason.REFUSED);
    assertThat(b.await("call-ended", T).reason()).isEqualTo(EndReason.REFUSED);
  }

  @Test
  void busy() throws Exception {
    server();
    RecordingListener a = new RecordingListener();
    RecordingListener b = new RecordingListener();
    RecordingListener c = new RecordingListener();
    SignallingClient alice = fx.connect("alice", a);
    SignallingClient bob = fx.connect("bob", b);
    SignallingClient carol = fx.connect("carol", c);
    establish(alice, bob, a, b);
    carol.call("bob");
    assertThat(c.await("call-ended", T).reason()).isEqualTo(EndReason.BUSY);
    assertThat(b.count("incoming")).isEqualTo(1);
  }

  @Test
  void noAnswer() throws Exception {
    fx = new ServerFixture(dir, "alice", "bob");
    fx.timeouts(Duration.ofSeconds(15), Duration.ofSeconds(45), Duration.ofSeconds(1)).start();
    RecordingListener a = new RecordingListener();
    RecordingListener b = new RecordingListener();
    SignallingClient alice = fx.connect("alice", a);
    fx.connect("bob", b);
    alice.call("bob");
    b.await("incoming", T);
    assertThat(a.await("call-ended", T).reason()).isEqualTo(EndReason.NO_ANSWER);
    assertThat(b.await("call-ended", T).reason()).isEqualTo(EndReason.NO_ANSWER);
  }

  @Test
  void cancelledByTheCaller() throws Exception {
    server();
    RecordingListener a = new RecordingListener();
    RecordingListener b = new RecordingListener();
    SignallingClient alice = fx.connect("alice", a);
    fx.connect("bob", b);
    alice.call("bob");
    b.await("incoming", T);
    a.await("ringing", T);
    alice.hangup();
    assertThat(a.await("call-ended", T).reason()).isEqualTo(EndReason.CANCELLED);
    assertThat(b.await("call-ended", T).reason()).isEqualTo(EndReason.CANCELLED);
  }

  @Test
  void unknownAndOfflineCallees() throws Exception {
    server();
    RecordingListener a = new RecordingListener();
    SignallingClient alice = fx.connect("alice", a);
    alice.call("nobody");
    assertThat(a.await("call-ended", T).reason()).isEqualTo(EndReason.UNKNOWN_USER);
    alice.call("carol");
    assertThat(a.await("call-ended", T).reason()).isEqualTo(EndReason.OFFLINE);
  }

  @Test
  void badPasswordAndUnknownUserAreRefusedAlike() throws Exception {
    server();
    SignallingClient wrong = new SignallingClient(
        ClientConfig.of(fx.address(), "alice", "nope".toCharArray()), new RecordingListener());
    SignallingClient unknown = new SignallingClient(
        ClientConfig.of(fx.address(), "mallory", "nope".toCharArray()), new RecordingListener());
    try {
      SignInException w = signInFailure(wrong);
      SignInException u = signInFailure(unknown);
      assertThat(w.code()).isEqualTo(ErrorCode.AUTH_FAILED);
      assertThat(u.code()).isEqualTo(ErrorCode.AUTH_FAILED);
      assertThat(u.getMessage()).isEqualTo(w.getMessage());
    } finally {
      wrong.close();
      unknown.close();
    }
  }

  @Test
  void anUnreachableServerIsReportedAsSuch() throws Exception {
    // A bound socket that never answers stands for a server that is down.
    try (DatagramChannel silent = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
      SignallingClient c = new SignallingClient(ClientConfig.of((InetSocketAddress) silent.getLocalAddress(), "alice",
          "x".toCharArray()).withConnectTimeout(Duration.ofMillis(1500)), new RecordingListener());
      try {
        assertThat(signInFailure(c).unreachable()).isTrue();
      } finally {
        c.close();
      }
    }
  }

  @Test
  void aVanishedPeerEndsTheCall() throws Exception {
    fx = new ServerFixture(dir, "alice", "bob");
    fx.timeouts(Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofSeconds(30)).start();
    RecordingListener a = new RecordingListener();
    RecordingListener b = new RecordingListener();
    SignallingClient alice = fx.connect("alice", a);
    SignallingClient bob = fx.connect("bob", b);
    establish(alice, bob, a, b);
    long t0 = System.nanoTime();
    bob.abandon();
    assertThat(a.await("call-ended", T).reason()).isEqualTo(EndReason.PEER_LOST);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    a.await(e -> e.kind().equals("presence") && a.presence.get("bob") == PresenceState.OFFLINE, "bob offline", T);
  }

  @Test
  void clientsSignInAgainByThemselvesAfterAServerRestart() throws Exception {
    fx = new ServerFixture(dir, "alice", "bob");
    fx.timeouts(Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofSeconds(30)).start();
    RecordingListener a = new RecordingListener();
    RecordingListener b = new RecordingListener();
    SignallingClient alice = fx.connect("alice", a);
    SignallingClient bob = fx.connect("bob", b);
    establish(alice, bob, a, b);
    fx.restart();
    assertThat(a.await("call-ended", T).reason()).isIn(EndReason.SHUTDOWN, EndReason.CONNECTION_LOST);
    a.await("registered-again", T);
    b.await("registered-again", T);
    assertThat(fx.server.<Integer>inspect(c -> c.sessionCount()).intValue()).isEqualTo(2);
    establish(alice, bob, a, b); // and the service works again
  }

  @Test
  void theSpecsLegacyPortsWork() throws Exception {
    server();
    RecordingListener a = new RecordingListener();
    RecordingListener b = new RecordingListener();
    SignallingClient alice = fx.connect(fx.clientConfig("alice").withLegacyPorts(true), a);
    SignallingClient bob = fx.connect("bob", b);
    assertThat(alice.localAddress().getPort()).isEqualTo(ClientConfig.LEGACY_SIGNALLING_PORT);
    bob.call("alice");
    a.await("incoming", T);
    alice.answer();
    CallInfo forAlice = a.await("call-started", T).call();
    CallInfo forBob = b.await("call-started", T).call();
    // Alice's voice arrives on 5001 whatever port she sends from.
    try (DatagramChannel in = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1",
            ClientConfig.LEGACY_MEDIA_PORT));
        DatagramChannel mb = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
      mb.send(bytes("to alice"), new InetSocketAddress("127.0.0.1", forBob.mediaPort()));
      assertThat(receive(in)).isEqualTo("to alice");
      alice.legacySendEndpoint().send(bytes("to bob"), new InetSocketAddress("127.0.0.1", forAlice.mediaPort()));
      assertThat(receive(mb)).isEqualTo("to bob");
    }
    alice.hangup();
    assertThat(b.await("call-ended", T).reason()).isEqualTo(EndReason.REMOTE_HANGUP);
  }

  @Test
  void callsCompleteExactlyOnceThroughTwentyPercentLossEachWay() throws Exception {
    server();
    ImpairmentSpec lossy = ImpairmentSpec.parse("loss=20,jitter=30,reorder=5,dup=5,seed=42");
    try (ImpairmentProxy proxy = ImpairmentProxy.start(fx.address(), lossy, lossy.withSeed(43))) {
      RecordingListener a = new RecordingListener();
      RecordingListener b = new RecordingListener();
      Duration slow = Duration.ofSeconds(40);
      SignallingClient alice = fx.connect(ClientConfig.of(proxy.address(), "alice", "alice-pw".toCharArray())
          .withConnectTimeout(slow), a);
      SignallingClient bob = fx.connect(ClientConfig.of(proxy.address(), "bob", "bob-pw".toCharArray())
          .withConnectTimeout(slow), b);
      int calls = 5;
      for (int i = 0; i < calls; i++) {
        alice.call("bob");
        b.await("incoming", slow);
        bob.answer();
        a.await("call-started", slow);
        b.await("call-started", slow);
        (i % 2 == 0 ? alice : bob).hangup();
        a.await("call-ended", slow);
        b.await("call-ended", slow);
      }
      for (RecordingListener l : new RecordingListener[] {a, b}) {
        assertThat(l.count("registered")).isEqualTo(1);
        assertThat(l.count("registered-again")).isZero();
        assertThat(l.count("call-started")).isEqualTo(calls);
        assertThat(l.count("call-ended")).isEqualTo(calls);
        assertThat(l.count("error")).isZero();
      }
      assertThat(b.count("incoming")).isEqualTo(calls);
      assertThat(proxy.counters(ImpairmentProxy.Direction.CLIENT_TO_SERVER).impairment().dropped()).isPositive();
      assertThat(fx.server.<Integer>inspect(c -> c.callCount()).intValue()).isZero();
    }
  }

  @Test
  void aRequestOutlivesASecureChannelSetUpAgainWhileItWaited() throws Exception {
    server();
    try (ImpairmentProxy proxy = ImpairmentProxy.start(fx.address(), ImpairmentSpec.NONE, ImpairmentSpec.NONE)) {
      RecordingListener a = new RecordingListener();
      RecordingListener b = new RecordingListener();
      // Alice's requests give up after 8 s; after 4 s of silence she handshakes again (REHANDSHAKE_AFTER_SILENCE).
      SignallingClient alice = fx.connect(ClientConfig.of(proxy.address(), "alice", "alice-pw".toCharArray())
          .withRetransmit(new RetransmitPolicy(200, 1_000, 8_000)), a);
      SignallingClient bob = fx.connect("bob", b);
      // Nothing from the server reaches alice for 10 s: her CALL's round runs out (8 s) in the middle of the
      // handshake she began at ~4 s, which completes only once the link is back (BouncyCastle resends at 1, 2, 4 s).
      proxy.blackout(ImpairmentProxy.Direction.SERVER_TO_CLIENT, Duration.ofSeconds(10));
      alice.call("bob");
      b.await("incoming", T);
      // Bob answers once alice's CALL has had its second round (so that his wait for her key, KEY_WAIT_MILLIS,
      // starts when her link is back); the request was kept, not given up.
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (alice.requestRounds() == 0 && System.nanoTime() - deadline < 0) {
        Thread.sleep(50);
      }
      assertThat(alice.requestRounds()).as("the CALL was given another round").isPositive();
      bob.answer();
      a.await("call-started", Duration.ofSeconds(30));
      b.await("call-started", T);
      assertThat(a.count("reconnecting")).isZero();
      assertThat(a.count("registered-again")).isZero();
      assertThat(a.count("call-ended")).isZero();
      assertThat(proxy.counters(ImpairmentProxy.Direction.SERVER_TO_CLIENT).forcedDrops()).isPositive();
      alice.hangup();
      assertThat(b.await("call-ended", T).reason()).isEqualTo(EndReason.REMOTE_HANGUP);
    }
  }

  @Test
  void aServerThatStaysSilentIsStillCalledLostAfterTheHandshakesFail() throws Exception {
    server();
    try (ImpairmentProxy proxy = ImpairmentProxy.start(fx.address(), ImpairmentSpec.NONE, ImpairmentSpec.NONE)) {
      RecordingListener a = new RecordingListener();
      SignallingClient alice = fx.connect(ClientConfig.of(proxy.address(), "alice", "alice-pw".toCharArray())
          .withRetransmit(new RetransmitPolicy(200, 1_000, 6_000)).withConnectTimeout(Duration.ofSeconds(3)), a);
      fx.connect("bob", new RecordingListener());
      proxy.blackout(ImpairmentProxy.Direction.SERVER_TO_CLIENT, Duration.ofSeconds(60));
      long t0 = System.nanoTime();
      alice.call("bob");
      // The round (6 s) ends during a handshake that then times out (3 s): the session is lost, the call ended.
      assertThat(a.await("call-ended", Duration.ofSeconds(30)).reason()).isEqualTo(EndReason.CONNECTION_LOST);
      a.await("reconnecting", T);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(25));
    }
  }

  /** The caller calls the callee, who answers; returns once the caller sees the call started. */
  private static void establish(SignallingClient caller, SignallingClient callee, RecordingListener callerEvents,
      RecordingListener calleeEvents) throws InterruptedException {
    caller.call(callee.user());
    calleeEvents.await("incoming", T);
    callee.answer();
    callerEvents.await("call-started", T);
  }

  private static SignInException signInFailure(SignallingClient c) {
    Throwable[] caught = new Throwable[1];
    assertThatThrownBy(() -> c.connect().get()).isInstanceOf(ExecutionException.class)
        .satisfies(e -> caught[0] = e.getCause());
    assertThat(caught[0]).isInstanceOf(SignInException.class);
    return (SignInException) caught[0];
  }

  private static ByteBuffer bytes(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String poll(DatagramChannel ch) throws Exception {
    ch.configureBlocking(false);
    ByteBuffer buf = ByteBuffer.allocate(1500);
    if (ch.receive(buf) == null) {
      return null;
    }
    buf.flip();
    return StandardCharsets.UTF_8.decode(buf).toString();
  }

  private static String receive(DatagramChannel ch) throws Exception {
    ch.configureBlocking(false);
    ByteBuffer buf = ByteBuffer.allocate(1500);
    long deadline = System.nanoTime() + T.toNanos();
    while (System.nanoTime() < deadline) {
      buf.clear();
      if (ch.receive(buf) != null) {
        buf.flip();
        return StandardCharsets.UTF_8.decode(buf).toString();
      }
      Thread.sleep(1);
    }
    throw new AssertionError("nothing received on " + ch.getLocalAddress());
  }
}
