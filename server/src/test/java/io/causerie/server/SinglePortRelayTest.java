package io.causerie.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.causerie.transport.FakeClock;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The single-port relay on real loopback sockets, on Netty's epoll transport and on the NIO fallback. */
class SinglePortRelayTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private final FakeClock clock = new FakeClock();
  private UdpMediaRelay relay;
  private DatagramSocket alice;
  private DatagramSocket bob;

  private void start(String transport) throws Exception {
    String before = System.getProperty(UdpMediaRelay.TRANSPORT_PROPERTY);
    System.setProperty(UdpMediaRelay.TRANSPORT_PROPERTY, transport);
    try {
      relay = new UdpMediaRelay(LOOPBACK, 0, 0, clock, UdpMediaRelay.Limits.DEFAULTS, MediaMode.SINGLE_PORT);
    } finally {
      if (before == null) {
        System.clearProperty(UdpMediaRelay.TRANSPORT_PROPERTY);
      } else {
        System.setProperty(UdpMediaRelay.TRANSPORT_PROPERTY, before);
      }
    }
    alice = socket(LOOPBACK);
    bob = socket(LOOPBACK);
  }

  @AfterEach
  void tearDown() {
    alice.close();
    bob.close();
    relay.close();
  }

  private static DatagramSocket socket(InetAddress ip) throws Exception {
    DatagramSocket s = new DatagramSocket(new InetSocketAddress(ip, 0));
    s.setSoTimeout(300);
    return s;
  }

  private void send(DatagramSocket from, byte[] datagram) throws Exception {
    from.send(new DatagramPacket(datagram, datagram.length, new InetSocketAddress(LOOPBACK, relay.singlePort())));
  }

  private static byte[] rtp(int ssrc, int marker) {
    return ByteBuffer.allocate(60).put(0, (byte) 0x80).put(1, (byte) 111).putInt(8, ssrc).put(20, (byte) marker)
        .array();
  }

  private static byte[] rtcp(int ssrc) {
    return ByteBuffer.allocate(28).put(0, (byte) 0x80).put(1, (byte) 200).putShort(2, (short) 6).putInt(4, ssrc)
        .array();
  }

  private static byte[] receive(DatagramSocket s) throws Exception {
    DatagramPacket p = new DatagramPacket(new byte[1500], 1500);
    try {
      s.receive(p);
      return java.util.Arrays.copyOf(p.getData(), p.getLength());
    } catch (SocketTimeoutException e) {
      return null;
    }
  }

  private void awaitCount(LongSupplier counter, long expected) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (counter.getAsLong() < expected && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(counter.getAsLong()).as(this::counters).isEqualTo(expected);
  }

  private String counters() {
    StringBuilder sb = new StringBuilder("forwarded " + relay.forwardedPackets() + ", failures "
        + relay.loopFailures());
    for (UdpMediaRelay.Drop d : UdpMediaRelay.Drop.values()) {
      sb.append(", ").append(d).append(' ').append(relay.dropped(d));
    }
    return sb.toString();
  }

  @ParameterizedTest
  @ValueSource(strings = {"epoll", "nio"})
  void callsShareOnePortAndAreToldApartByTheirMediaIds(String transport) throws Exception {
    start(transport);
    MediaRelay.Port a = relay.open("alice", LOOPBACK, null);
    MediaRelay.Port b = relay.open("bob", LOOPBACK, null);
    assertThat(a.port()).isEqualTo(b.port()).isEqualTo(relay.singlePort()).isPositive();
    assertThat(a.mediaId()).isZero();
    relay.connect(a, b);
    int aliceId = a.mediaId();
    int bobId = b.mediaId();
    assertThat(aliceId).isNotZero().isNotEqualTo(bobId);
    assertThat(bobId).isNotZero();
    relay.awaitTableChanges();

    send(bob, rtp(bobId, 0)); // latches bob
    awaitCount(() -> relay.dropped(UdpMediaRelay.Drop.PEER_NOT_LATCHED), 1);
    send(alice, rtp(aliceId, 7));
    assertThat(receive(bob)).isEqualTo(rtp(aliceId, 7));
    send(bob, rtcp(bobId));
    assertThat(receive(alice)).isEqualTo(rtcp(bobId));

    // A wrong id is dropped and counted; so is a right id from another host.
    send(alice, rtp(aliceId ^ 0x5A5A5A5A, 8));
    awaitCount(() -> relay.dropped(UdpMediaRelay.Drop.UNKNOWN_MEDIA_ID), 1);
    try (DatagramSocket other = socket(InetAddress.getByName("127.0.0.2"))) {
      send(other, rtp(aliceId, 9));
      awaitCount(() -> relay.dropped(UdpMediaRelay.Drop.WRONG_SOURCE), 1);
    }
    assertThat(receive(bob)).isNull();
    assertThat(relay.forwardedPackets()).isEqualTo(2);

    // After the call, its ids route nothing; the next call gets fresh ones.
    relay.disconnect(a);
    assertThat(a.mediaId()).isZero();
    assertThat(b.mediaId()).isZero();
    relay.awaitTableChanges();
    send(alice, rtp(aliceId, 10));
    awaitCount(() -> relay.dropped(UdpMediaRelay.Drop.UNKNOWN_MEDIA_ID), 2);
    relay.connect(a, b);
    assertThat(a.mediaId()).isNotZero().isNotEqualTo(aliceId);
    relay.awaitTableChanges();
    send(alice, rtp(aliceId, 11)); // the old id is still unknown
    awaitCount(() -> relay.dropped(UdpMediaRelay.Drop.UNKNOWN_MEDIA_ID), 3);
    assertThat(relay.loopFailures()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"epoll", "nio"})
  void manyCallsAtOnceEachReachTheirOwnPeer(String transport) throws Exception {
    start(transport);
    int calls = 50;
    DatagramSocket[] sockets = new DatagramSocket[2 * calls];
    MediaRelay.Port[] ports = new MediaRelay.Port[2 * calls];
    try {
      for (int i = 0; i < 2 * calls; i++) {
        sockets[i] = socket(LOOPBACK);
        ports[i] = relay.open("u" + i, LOOPBACK, null);
      }
      for (int i = 0; i < 2 * calls; i += 2) {
        relay.connect(ports[i], ports[i + 1]);
      }
      relay.awaitTableChanges();
      for (int i = 0; i < 2 * calls; i++) {
        send(sockets[i], rtp(ports[i].mediaId(), i)); // latches; the first of each call goes nowhere
      }
      awaitCount(() -> relay.forwardedPackets() + relay.dropped(UdpMediaRelay.Drop.PEER_NOT_LATCHED), 2L * calls);
      for (int i = 0; i < 2 * calls; i++) {
        send(sockets[i], rtp(ports[i].mediaId(), i));
      }
      for (int i = 0; i < 2 * calls; i++) {
        byte[] got = receive(sockets[i ^ 1]);
        assertThat(got).isNotNull();
        // Whatever came first on that socket, it came from its own peer.
        assertThat(ByteBuffer.wrap(got).getInt(8)).isEqualTo(ports[i].mediaId());
      }
    } finally {
      for (DatagramSocket s : sockets) {
        if (s != null) {
          s.close();
        }
      }
    }
  }
}
