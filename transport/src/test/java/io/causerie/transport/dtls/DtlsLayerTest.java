package io.causerie.transport.dtls;

import static io.causerie.transport.dtls.DtlsFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.causerie.transport.impair.ImpairmentSpec;
import java.io.EOFException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DtlsLayerTest {
  private static final Duration FAST = Duration.ofSeconds(10);
  private static final Duration LOSSY = Duration.ofSeconds(30);
  private static final int MTU = DtlsConfig.DEFAULT_MTU;
  private static final int CONTENT_HANDSHAKE = 22;
  private static final int CONTENT_APPLICATION_DATA = 23;
  private static final int HELLO_VERIFY_REQUEST = 3;

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static ServerFingerprintPolicy trustAll() {
    return (server, presented) -> { };
  }

  private static void assertAllWithinMtu(DtlsFixture f) {
    assertThat(f.link.toServer.maxDatagram.get()).isLessThanOrEqualTo(MTU);
    assertThat(f.link.toClient.maxDatagram.get()).isLessThanOrEqualTo(MTU);
    for (byte[] d : f.link.toServer.sent) {
      assertThat(d.length).isLessThanOrEqualTo(MTU);
    }
    for (byte[] d : f.link.toClient.sent) {
      assertThat(d.length).isLessThanOrEqualTo(MTU);
    }
  }

  private static void exchange(DtlsFixture f, DtlsFixture.Client c, String tag) throws Exception {
    assertThat(f.link.onClient(() -> c.layer.send(utf8("ping " + tag)))).isTrue();
    assertThat(f.serverInbox.poll(10, TimeUnit.SECONDS)).isEqualTo(MemoryLink.CLIENT.getPort() + " ping " + tag);
    assertThat(f.link.onServer(() -> f.server.send(utf8("pong " + tag), MemoryLink.CLIENT))).isTrue();
    assertThat(c.inbox.poll(10, TimeUnit.SECONDS)).isEqualTo("pong " + tag);
  }

  @Test
  @Timeout(30)
  void handshakeThenPlaintextBothWays() throws Exception {
    try (DtlsFixture f = new DtlsFixture(ImpairmentSpec.NONE)) {
      long start = System.nanoTime();
      DtlsFixture.Client c = f.connectedClient(ServerFingerprintPolicy.pinned(f.identity.fingerprint()), FAST);
      long clientDone = System.nanoTime();
      await(FAST, () -> f.serverStats().connectionsOpen() == 1);
      long bytesUp = f.link.toServer.bytes.get();
      long bytesDown = f.link.toClient.bytes.get();
      int datagramsUp = f.link.toServer.sent.size();
      int datagramsDown = f.link.toClient.sent.size();
      System.out.printf("DTLS handshake without loss: %.1f ms; client->server %d bytes in %d datagrams "
              + "(largest %d), server->client %d bytes in %d datagrams (largest %d)%n",
          (clientDone - start) / 1e6, bytesUp, datagramsUp, f.link.toServer.maxDatagram.get(),
          bytesDown, datagramsDown, f.link.toClient.maxDatagram.get());

      exchange(f, c, "1");
      exchange(f, c, "2");

      DtlsStats s = f.serverStats();
      assertThat(s.cookiesSent()).isEqualTo(1);
      assertThat(s.handshakesStarted()).isEqualTo(1);
      assertThat(s.handshakesCompleted()).isEqualTo(1);
      assertThat(s.handshakesFailed()).isZero();
      assertThat(s.connectionsOpen()).isEqualTo(1);
      assertThat(s.handshakesInProgress()).isZero();
      assertThat(s.rejectedTotal()).isZero();
      assertAllWithinMtu(f);
    }
  }

  @Test
  @Timeout(60)
  void repeatedHandshakesReportTheirDuration() throws Exception {
    StringBuilder times = new StringBuilder();
    for (int i = 0; i < 10; i++) {
      try (DtlsFixture f = new DtlsFixture(ImpairmentSpec.NONE)) {
        long start = System.nanoTime();
        DtlsFixture.Client c = f.connectedClient(trustAll(), FAST);
        times.append(String.format(" %.1f", (System.nanoTime() - start) / 1e6));
        exchange(f, c, "n" + i);
        assertThat(f.link.toServer.sent).hasSize(4);
        assertThat(f.link.toClient.sent).hasSize(4);
        assertAllWithinMtu(f);
      }
    }
    System.out.println("DTLS handshake durations (ms, no loss, in-memory):" + times);
  }

  @Test
  @Timeout(30)
  void largestPlaintextFitsOneDatagramAndLargerIsRefused() throws Exception {
    try (DtlsFixture f = new DtlsFixture(ImpairmentSpec.NONE)) {
      DtlsFixture.Client c = f.connectedClient(trustAll(), FAST);
      await(FAST, () -> f.serverStats().connectionsOpen() == 1);
      byte[] big = new byte[1100];
      java.util.Arrays.fill(big, (byte) 'x');
      assertThat(f.link.onClient(() -> c.layer.send(big))).isTrue();
      assertThat(f.serverInbox.poll(10, TimeUnit.SECONDS)).endsWith("x".repeat(1100));
      assertThat(f.link.onServer(() -> f.server.send(big, MemoryLink.CLIENT))).isTrue();
      assertThat(c.inbox.poll(10, TimeUnit.SECONDS)).hasSize(1100);
      byte[] tooBig = new byte[MTU];
      assertThat(f.link.onClient(() -> c.layer.send(tooBig))).isFalse();
      assertThat(f.link.onServer(() -> f.server.send(tooBig, MemoryLink.CLIENT))).isFalse();
      assertThat(f.link.onServer(() -> f.server.send(big, new InetSocketAddress("127.0.0.1", 1)))).isFalse();
      exchange(f, c, "still-up");
      assertAllWithinMtu(f);
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  @Timeout(60)
  void handshakeCompletesUnderTwentyPercentLoss(long seed) throws Exception {
    lossyHandshake(new ImpairmentSpec(20, 0, 2, 1, 0, 0, seed), "20% loss seed " + seed);
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3})
  @Timeout(60)
  void handshakeCompletesUnderReorderingAndDuplication(long seed) throws Exception {
    lossyHandshake(new ImpairmentSpec(0, 0, 2, 5, 30, 30, seed), "reorder+duplicate seed " + seed);
  }

  @Test
  @Timeout(60)
  void handshakeCompletesUnderLossReorderingAndDuplication() throws Exception {
    lossyHandshake(new ImpairmentSpec(20, 0, 2, 5, 20, 20, 7), "20% loss+reorder+duplicate");
  }

  private static void lossyHandshake(ImpairmentSpec spec, String label) throws Exception {
    try (DtlsFixture f = new DtlsFixture(spec)) {
      long start = System.nanoTime();
      DtlsFixture.Client c = f.newClient(trustAll());
      c.layer.connect(MemoryLink.SERVER);
      await(LOSSY, () -> c.established.isDone() || c.failed.isDone());
      if (c.failed.isDone()) {
        throw new AssertionError(label + ": handshake failed after "
            + (System.nanoTime() - start) / 1_000_000 + " ms", c.failed.get());
      }
      await(LOSSY, () -> f.serverStats().connectionsOpen() == 1);
      System.out.printf("DTLS handshake under %s: %.0f ms, %d+%d datagrams%n", label,
          (System.nanoTime() - start) / 1e6, f.link.toServer.sent.size(), f.link.toClient.sent.size());
      // Plaintext may be lost on this path: resend until one gets through each way.
      await(LOSSY, () -> {
        f.link.onClient(() -> c.layer.send(utf8("hello")));
        return f.serverInbox.poll(200, TimeUnit.MILLISECONDS) != null;
      });
      await(LOSSY, () -> {
        f.link.onServer(() -> f.server.send(utf8("hi"), MemoryLink.CLIENT));
        return c.inbox.poll(200, TimeUnit.MILLISECONDS) != null;
      });
      DtlsStats s = f.serverStats();
      assertThat(s.handshakesCompleted()).isEqualTo(1);
      assertThat(s.handshakesFailed()).isZero();
      assertThat(s.rejected(RejectReason.BAD_MAC)).isZero();
      assertAllWithinMtu(f);
    }
  }

  @Test
  @Timeout(30)
  void cookielessClientHelloGetsSmallHelloVerifyRequestAndAllocatesNothing() throws Exception {
    try (DtlsFixture f = new DtlsFixture(ImpairmentSpec.NONE)) {
      // The client's first ClientHello reaches the server; nothing goes back to the client.
      f.link.toServer.tap = d -> f.link.toServer.sent.size() == 1 ? d : null;
      f.link.toClient.tap = d -> null;
      DtlsFixture.Client c = f.newClient(trustAll());
      c.layer.connect(MemoryLink.SERVER);
      await(FAST, () -> f.link.toClient.sent.size() == 1);
      byte[] clientHello = f.link.toServer.sent.get(0);
      byte[] hvr = f.link.toClient.sent.get(0);
      System.out.printf("ClientHello %d bytes, HelloVerifyRequest %d bytes%n", clientHello.length, hvr.length);
      assertThat(Records.isClientHello(clientHello, clientHello.length)).isTrue();
      assertThat(hvr[0] & 0xff).isEqualTo(CONTENT_HANDSHAKE);
      assertThat(hvr[Records.RECORD_HEADER_LENGTH] & 0xff).isEqualTo(HELLO_VERIFY_REQUEST);
      assertThat(hvr.length).isLessThanOrEqualTo(clientHello.length);
      assertThat(f.link.onServer(f.server::associations)).isZero();
      DtlsStats s = f.serverStats();
      assertThat(s.cookiesSent()).isEqualTo(1);
      assertThat(s.handshakesStarted()).isZero();
      assertThat(s.handshakesInProgress()).isZero();
      assertThat(s.connectionsOpen()).isZero();
      // The same cookie-less hello again: still nothing allocated, another (identical) cookie.
      f.link.toServer.inject(clientHello, MemoryLink.CLIENT, MemoryLink.SERVER);
      await(FAST, () -> f.link.toClient.sent.size() == 2);
      assertThat(f.link.toClient.sent.get(1)).isEqualTo(hvr);
      assertThat(f.link.onServer(f.server::associations)).isZero();
      c.layer.close();
    }
  }

  @Test
  @Timeout(30)
  void replayedCookieFromAnotherAddressStartsNothing() throws Exception {
    try (DtlsFixture f = new DtlsFixture(ImpairmentSpec.NONE)) {
      List<byte[]> hellos = new ArrayList<>();
      f.link.toServer.tap = d -> {
        if (Records.isClientHello(d, d.length)) {
          synchronized (hellos) {
            hellos.add(d);
          }
        }
        return d;
      };
      DtlsFixture.Client c = f.connectedClient(trustAll(), FAST);
      await(FAST, () -> f.serverStats().connectionsOpen() == 1);
      byte[] withCookie;
      synchronized (hellos) {
        assertThat(hellos).hasSize(2);
        withCookie = hellos.get(1);
      }
      int sentBefore = f.link.toClient.sent.size();
      List<byte[]> toAttacker = new ArrayList<>();
      InetSocketAddress otherPort = new InetSocketAddress("127.0.0.1", 40001);
      InetSocketAddress otherIp = new InetSocketAddress("127.0.0.2", 40000);
      f.link.toServer.inject(withCookie, otherPort, MemoryLink.SERVER);
      f.link.toServer.inject(withCookie, otherIp, MemoryLink.SERVER);
      // The same hello from the right address after the handshake is a stale duplicate: ignored.
      f.link.toServer.inject(withCookie, MemoryLink.CLIENT, MemoryLink.SERVER);
      await(FAST, () -> f.serverStats().cookiesSent() == 3);
      f.link.runOnServer(() -> { }); // let the loop settle
      for (int i = sentBefore; i < f.link.toClient.sent.size(); i++) {
        byte[] d = f.link.toClient.sent.get(i);
        toAttacker.add(d);
      }
      // Only HelloVerifyRequests went out (the link records every datagram the server sends).
      assertThat(toAttacker).hasSize(2).allSatisfy(d -> {
        assertThat(d[0] & 0xff).isEqualTo(CONTENT_HANDSHAKE);
        assertThat(d[Records.RECORD_HEADER_LENGTH] & 0xff).isEqualTo(HELLO_VERIFY_REQUEST);
      });
      DtlsStats s = f.serverStats();
      assertThat(s.handshakesStarted()).isEqualTo(1);
      assertThat(s.handshakesInProgress()).isZero();
      assertThat(s.connectionsOpen()).isEqualTo(1);
      assertThat(f.link.onServer(f.server::associations)).isEqualTo(1);
      exchange(f, c, "after-replay");
    }
  }

  @Test
  @Timeout(30)
  void cookiesOfThePreviousSecretStayValidForOneRotation() throws Exception {
    try (DtlsFixture f = new DtlsFixture(ImpairmentSpec.NONE)) {
      List<byte[]> hellos = new ArrayList<>();
      f.link.toServer.tap = d -> {
        if (Records.isClientHello(d, d.length)) {
          synchronized (hellos) {
            hellos.add(d);
          }
        }
        return d;
      };
      f.connectedClient(trustAll(), FAST);
      await(FAST, () -> f.serverStats().connectionsOpen() == 1);
      byte[] withCookie;
      synchronized (hellos) {
        withCookie = hellos.get(1);
      }
      f.link.toClient.tap = d -> null; // the client takes no further part
      long now = f.serverNanos.get();
      long rotation = DtlsServerLayer.COOKIE_SECRET_ROTATION_NANOS;
      f.link.runOnServer(() -> f.server.close(MemoryLink.CLIENT));
      f.link.runOnServer(() -> f.server.tick(now + rotation + 1));
      f.link.toServer.inject(withCookie, MemoryLink.CLIENT, MemoryLink.SERVER);
      await(FAST, () -> f.serverStats().handshakesStarted() == 2);
      f.link.runOnServer(() -> f.server.close(MemoryLink.CLIENT));
      f.link.runOnServer(() -> f.server.tick(now + 2 * rotation + 2));
      long cookies = f.serverStats().cookiesSent();
      f.link.toServer.inject(withCookie, MemoryLink.CLIENT, MemoryLink.SERVER);
      await(FAST, () -> f.serverStats().cookiesSent() == cookies + 1);
      assertThat(f.serverStats().handshakesStarted()).isEqualTo(2);
    }
  }

  @Test
  @Timeout(30)
  void tamperedRecordIsDroppedAndCountedAndConnectionSurvives() throws Exception {
    try (DtlsFixture f = new DtlsFixture(ImpairmentSpec.NONE)) {
      DtlsFixture.Client c = f.connectedClient(trustAll(), FAST);
      await(FAST, () -> f.serverStats().connectionsOpen() == 1);
      exchange(f, c, "before");
      AtomicBoolean tamperNext = new AtomicBoolean(true);
      AtomicReference<byte[]> lastAppData = new AtomicReference<>();
      f.link.toServer.tap = d -> {
        if ((d[0] & 0xff) == CONTENT_APPLICATION_DATA) {
          if (tamperNext.getAndSet(false)) {
            byte[] t = d.clone();
            t[t.length - 1] ^= 0x01;
            return t;
          }
          lastAppData.set(d);
        }
        return d;
      };
      assertThat(f.link.onClient(() -> c.layer.send(utf8("tampered")))).isTrue();
      await(FAST, () -> f.serverStats().rejected(RejectReason.BAD_MAC) == 1);
      assertThat(f.serverInbox).isEmpty();
      exchange(f, c, "after");
      // A replay of a genuine record is dropped as a replay.
      f.link.toServer.inject(lastAppData.get(), MemoryLink.CLIENT, MemoryLink.SERVER);
      await(FAST, () -> f.serverStats().rejected(RejectReason.REPLAYED) == 1);
      // Garbage never throws and is counted.
      f.link.toServer.inject(new byte[] {1, 2, 3}, MemoryLink.CLIENT, MemoryLink.SERVER);
      f.link.toServer.inject(new byte[MTU + 1], MemoryLink.CLIENT, MemoryLink.SERVER);
      f.link.toServer.inject(new byte[] {23, (byte) 0xFE, (byte) 0xFD, 0, 1}, new InetSocketAddress("127.0.0.1", 9),
          MemoryLink.SERVER);
      await(FAST, () -> f.serverStats().rejected(RejectReason.MALFORMED) == 1
          && f.serverStats().rejected(RejectReason.OVERSIZE) == 1
          && f.serverStats().rejected(RejectReason.NO_CONNECTION) == 1);
      assertThat(f.serverInbox).isEmpty();
      exchange(f, c, "survived");
      DtlsStats s = f.serverStats();
      assertThat(s.connectionsOpen()).isEqualTo(1);
      assertThat(s.rejected(RejectReason.BAD_MAC)).isEqualTo(1);
      // The client side counts tampering too.
      f.link.toClient.tap = d -> {
        if ((d[0] & 0xff) == CONTENT_APPLICATION_DATA) {
          byte[] t = d.clone();
          t[20] ^= 0x40;
          return t;
        }
        return d;
      };
      assertThat(f.link.onServer(() -> f.server.send(utf8("x"), MemoryLink.CLIENT))).isTrue();
      await(FAST, () -> c.layer.stats().rejected(RejectReason.BAD_MAC) == 1);
      assertThat(f.link.onClient(c.layer::isEstablished)).isTrue();
    }
  }

  @Test
  @Timeout(30)
  void pinnedWrongFingerprintFailsTheHandshakeNamingBoth() throws Exception {
    try (DtlsFixture f = new DtlsFixture(ImpairmentSpec.NONE)) {
      String wrong = ServerIdentity.generate(DtlsFixture.RANDOM).fingerprint();
      DtlsFixture.Client c = f.newClient(ServerFingerprintPolicy.pinned(wrong));
      c.layer.connect(MemoryLink.SERVER);
      Exception e = c.failed.get(10, TimeUnit.SECONDS);
      assertThat(e).isInstanceOf(FingerprintMismatchException.class);
      assertThat(e.getMessage())
          .contains("the server at 127.0.0.1:5060 presented " + f.identity.fingerprint())
          .contains("but " + wrong + " is pinned in --server-fingerprint");
      assertThat(c.established).isNotDone();
      assertThat(f.link.onClient(() -> c.layer.send(utf8("secret")))).isFalse();
      await(FAST, () -> f.serverStats().handshakesFailed() == 1);
      assertThat(f.serverStats().connectionsOpen()).isZero();
      assertThat(f.serverInbox).isEmpty();
      // No application data ever left the client.
      assertThat(f.link.toServer.sent).noneMatch(d -> (d[0] & 0xff) == CONTENT_APPLICATION_DATA);
    }
  }

  @Test
  @Timeout(60)
  void knownServersTrustsOnFirstUseAndRefusesARegeneratedIdentity(@org.junit.jupiter.api.io.TempDir
      java.nio.file.Path dir) throws Exception {
    java.nio.file.Path file = dir.resolve("known_servers");
    ServerIdentity first = ServerIdentity.generate(DtlsFixture.RANDOM);
    try (DtlsFixture f = new DtlsFixture(ImpairmentSpec.NONE, first, DtlsConfig.defaults())) {
      DtlsFixture.Client c = f.connectedClient(new KnownServers(file), FAST);
      assertThat(java.nio.file.Files.readString(file).strip())
          .isEqualTo("127.0.0.1:5060 " + first.fingerprint());
      c.layer.close();
      DtlsFixture.Client again = f.connectedClient(new KnownServers(file), FAST);
      await(FAST, () -> f.serverStats().handshakesCompleted() == 2);
      exchange(f, again, "known");
    }
    ServerIdentity regenerated = ServerIdentity.generate(DtlsFixture.RANDOM);
    try (DtlsFixture f = new DtlsFixture(ImpairmentSpec.NONE, regenerated, DtlsConfig.defaults())) {
      DtlsFixture.Client c = f.newClient(new KnownServers(file));
      c.layer.connect(MemoryLink.SERVER);
      Exception e = c.failed.get(10, TimeUnit.SECONDS);
      assertThat(e).isInstanceOf(FingerprintMismatchException.class).hasMessage("the server at 127.0.0.1:5060 "
          + "presented " + regenerated.fingerprint() + " but " + first.fingerprint() + " is pinned in " + file
          + "; if the server's key was regenerated on purpose, remove that line");
      assertThat(java.nio.file.Files.readAllLines(file)).hasSize(1);
    }
  }

  @Test
  @Timeout(30)
  void associationsSharingTheLoopsBuffersEachGetOnlyTheirOwnRecords() throws Exception {
    try (DtlsFixture f = new DtlsFixture(ImpairmentSpec.NONE)) {
      InetSocketAddress otherAddress = new InetSocketAddress(MemoryLink.CLIENT.getAddress(),
          MemoryLink.CLIENT.getPort() + 1);
      DtlsFixture.Client a = f.connectedClient(trustAll(), FAST);
      DtlsFixture.Client b = f.newClient(trustAll(), otherAddress);
      b.layer.connect(MemoryLink.SERVER);
      b.established.get(FAST.toMillis(), TimeUnit.MILLISECONDS);
      await(FAST, () -> f.serverStats().connectionsOpen() == 2);
      // Interleaved in one loop task: every send packs in the one shared buffer and must leave with its own peer.
      assertThat(f.link.onServer(() -> {
        boolean all = true;
        for (int i = 0; i < 5; i++) {
          all &= f.server.send(utf8("to a " + i), MemoryLink.CLIENT);
          all &= f.server.send(utf8("to b " + i), otherAddress);
        }
        return all;
      })).isTrue();
      for (int i = 0; i < 5; i++) {
        assertThat(a.inbox.poll(10, TimeUnit.SECONDS)).isEqualTo("to a " + i);
        assertThat(b.inbox.poll(10, TimeUnit.SECONDS)).isEqualTo("to b " + i);
      }
      // And both read through the one shared plaintext buffer.
      assertThat(f.link.onClient(() -> b.layer.send(utf8("from b")))).isTrue();
      assertThat(f.link.onClient(() -> a.layer.send(utf8("from a")))).isTrue();
      assertThat(List.of(f.serverInbox.poll(10, TimeUnit.SECONDS), f.serverInbox.poll(10, TimeUnit.SECONDS)))
          .containsExactlyInAnyOrder(MemoryLink.CLIENT.getPort() + " from a", otherAddress.getPort() + " from b");
      assertThat(a.inbox.poll(200, TimeUnit.MILLISECONDS)).isNull();
      assertThat(b.inbox.poll(200, TimeUnit.MILLISECONDS)).isNull();
      assertThat(f.serverStats().rejectedTotal()).isZero();
    }
  }

  @Test
  @Timeout(30)
  void restartedClientAtTheSameAddressGetsANewAssociation() throws Exception {
    try (DtlsFixture f = new DtlsFixture(ImpairmentSpec.NONE)) {
      DtlsFixture.Client old = f.connectedClient(trustAll(), FAST);
      await(FAST, () -> f.serverStats().connectionsOpen() == 1);
      exchange(f, old, "old");
      // The old process dies without a word; a new one starts on the same address.
      DtlsFixture.Client fresh = f.connectedClient(trustAll(), FAST);
      await(FAST, () -> f.serverStats().handshakesCompleted() == 2);
      exchange(f, fresh, "fresh");
      DtlsStats s = f.serverStats();
      assertThat(s.connectionsOpen()).isEqualTo(1);
      assertThat(f.link.onServer(f.server::associations)).isEqualTo(1);
      // reconnect() on the client also yields a new association.
      fresh.layer.reconnect();
      await(FAST, () -> f.serverStats().handshakesCompleted() == 3);
      await(FAST, () -> f.link.onClient(fresh.layer::isEstablished));
      exchange(f, fresh, "reconnected");
      assertThat(f.serverStats().connectionsOpen()).isEqualTo(1);
    }
  }

  @Test
  @Timeout(30)
  void idleConnectionsExpireAndCloseSendsCloseNotify() throws Exception {
    try (DtlsFixture f = new DtlsFixture(ImpairmentSpec.NONE)) {
      DtlsFixture.Client c = f.connectedClient(trustAll(), FAST);
      await(FAST, () -> f.serverStats().connectionsOpen() == 1);
      exchange(f, c, "a");
      long idle = f.config.idleTimeout().toNanos();
      long now = f.serverNanos.get();
      f.link.runOnServer(() -> f.server.tick(now + idle / 2));
      assertThat(f.serverStats().connectionsOpen()).isEqualTo(1);
      f.link.runOnServer(() -> f.server.tick(now + idle + 1));
      assertThat(f.serverStats().connectionsOpen()).isZero();
      assertThat(f.link.onServer(f.server::associations)).isZero();
      assertThat(c.failed.get(10, TimeUnit.SECONDS)).isInstanceOf(EOFException.class);
      assertThat(f.link.onServer(() -> f.server.send(utf8("late"), MemoryLink.CLIENT))).isFalse();
      // The client reconnects; close(address) then ends it explicitly.
      DtlsFixture.Client next = f.connectedClient(trustAll(), FAST);
      await(FAST, () -> f.serverStats().connectionsOpen() == 1);
      f.link.runOnServer(() -> f.server.close(MemoryLink.CLIENT));
      assertThat(next.failed.get(10, TimeUnit.SECONDS)).isInstanceOf(EOFException.class);
      assertThat(f.serverStats().connectionsOpen()).isZero();
    }
  }

  @Test
  @Timeout(30)
  void connectionCapDropsVerifiedHellos() throws Exception {
    DtlsConfig oneConnection = DtlsConfig.defaults().withCaps(DtlsConfig.DEFAULT_MAX_CONCURRENT_HANDSHAKES, 1);
    try (DtlsFixture f = new DtlsFixture(ImpairmentSpec.NONE, ServerIdentity.generate(DtlsFixture.RANDOM),
        oneConnection)) {
      DtlsFixture.Client a = f.connectedClient(trustAll(), FAST);
      await(FAST, () -> f.serverStats().connectionsOpen() == 1);
      DtlsFixture.Client b = f.newClient(trustAll(), new InetSocketAddress("127.0.0.1", 40001));
      b.layer.connect(MemoryLink.SERVER);
      await(FAST, () -> f.serverStats().connectionsRefusedAtCap() >= 1);
      assertThat(b.established).isNotDone();
      assertThat(f.serverStats().handshakesStarted()).isEqualTo(1);
      b.layer.close();
      exchange(f, a, "capped");
    }
  }

  @Test
  @Timeout(30)
  void handshakesBeyondTheCapAreDroppedUntilTheClientRetransmits() throws Exception {
    DtlsConfig oneHandshake = DtlsConfig.defaults().withCaps(1, DtlsConfig.DEFAULT_MAX_CONNECTIONS);
    try (DtlsFixture f = new DtlsFixture(ImpairmentSpec.NONE, ServerIdentity.generate(DtlsFixture.RANDOM),
        oneHandshake)) {
      // Client a's handshake stalls on the server: everything after its cookie is lost on the way back.
      AtomicBoolean stall = new AtomicBoolean(true);
      f.link.toClient.tap = d -> !stall.get() || d[Records.RECORD_HEADER_LENGTH] == HELLO_VERIFY_REQUEST ? d : null;
      DtlsFixture.Client a = f.newClient(trustAll());
      a.layer.connect(MemoryLink.SERVER);
      await(FAST, () -> f.serverStats().handshakesInProgress() == 1);
      DtlsFixture.Client b = f.newClient(trustAll(), new InetSocketAddress("127.0.0.1", 40001));
      b.layer.connect(MemoryLink.SERVER);
      await(FAST, () -> f.serverStats().handshakesDroppedAtCap() >= 1);
      assertThat(f.serverStats().handshakesStarted()).isEqualTo(1);
      // Once the path heals, a completes; b's retransmitted hello then gets its turn.
      stall.set(false);
      a.established.get(20, TimeUnit.SECONDS);
      b.established.get(20, TimeUnit.SECONDS);
      await(FAST, () -> f.serverStats().connectionsOpen() == 2);
      assertAllWithinMtu(f);
    }
  }
}
