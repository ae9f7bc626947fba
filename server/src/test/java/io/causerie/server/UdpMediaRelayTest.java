package io.causerie.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.causerie.transport.FakeClock;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The relay's hygiene on real loopback sockets: source checks, latching, rate caps, nothing outside a call. */
class UdpMediaRelayTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private final FakeClock clock = new FakeClock();
  private UdpMediaRelay relay;
  private DatagramSocket alice;
  private DatagramSocket bob;
  private MediaRelay.Port alicePort;
  private MediaRelay.Port bobPort;

  @BeforeEach
  void setUp() throws Exception {
    relay = new UdpMediaRelay(LOOPBACK, 0, 0, clock, new UdpMediaRelay.Limits(100, 20_000, 1));
    alice = socket();
    bob = socket();
    alicePort = relay.open("alice", LOOPBACK, null);
    bobPort = relay.open("bob", LOOPBACK, null);
  }

  @AfterEach
  void tearDown() {
    alice.close();
    bob.close();
    relay.close();
  }

  private static DatagramSocket socket() throws Exception {
    DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
    s.setSoTimeout(300);
    return s;
  }

  private static void send(DatagramSocket from, MediaRelay.Port to, byte... payload) throws Exception {
    from.send(new DatagramPacket(payload, payload.length, new InetSocketAddress(LOOPBACK, to.port())));
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

  /** Waits until the relay has counted {@code expected} (it runs on its own thread). */
  private static void awaitCount(LongSupplier counter, long expected) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (counter.getAsLong() < expected && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(counter.getAsLong()).isEqualTo(expected);
  }

  @Test
  void nothingIsForwardedOutsideACall() throws Exception {
    send(alice, alicePort, (byte) 1);
    awaitCount(() -> relay.dropped(UdpMediaRelay.Drop.NOT_IN_CALL), 1);
    assertThat(relay.forwardedPackets()).isZero();
  }

  @Test
  void aCallForwardsBothWaysOnceBothSidesLatched() throws Exception {
    relay.connect(alicePort, bobPort);
    send(bob, bobPort, (byte) 0); // latches bob; alice not latched yet
    awaitCount(() -> relay.dropped(UdpMediaRelay.Drop.PEER_NOT_LATCHED), 1);
    send(alice, alicePort, (byte) 7);
    assertThat(receive(bob)).containsExactly(7);
    send(bob, bobPort, (byte) 8);
    assertThat(receive(alice)).containsExactly(8);
    relay.disconnect(alicePort);
    send(alice, alicePort, (byte) 9);
    assertThat(receive(bob)).isNull();
  }

  @Test
  void anotherPortOfTheSameHostIsRefusedWhileTheLatchedOneSpeaks() throws Exception {
    relay.connect(alicePort, bobPort);
    send(bob, bobPort, (byte) 0);
    awaitCount(() -> relay.dropped(UdpMediaRelay.Drop.PEER_NOT_LATCHED), 1); // two ports: order is not kept
    send(alice, alicePort, (byte) 1);
    assertThat(receive(bob)).containsExactly(1);
    try (DatagramSocket intruder = socket()) {
      send(intruder, alicePort, (byte) 66);
      awaitCount(() -> relay.dropped(UdpMediaRelay.Drop.OTHER_PORT), 1);
      assertThat(receive(bob)).isNull();
      // Once alice's port has been silent long enough (a NAT rebinding), the new port takes over.
      clock.elapseMillis(UdpMediaRelay.RELATCH_AFTER_SILENCE_MILLIS);
      send(intruder, alicePort, (byte) 67);
      assertThat(receive(bob)).containsExactly(67);
      send(alice, alicePort, (byte) 2);
      awaitCount(() -> relay.dropped(UdpMediaRelay.Drop.OTHER_PORT), 2);
    }
  }

  @Test
  void anotherHostIsNeverForwarded() throws Exception {
    relay.connect(alicePort, bobPort);
    send(bob, bobPort, (byte) 0);
    try (DatagramSocket other = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0))) {
      send(other, alicePort, (byte) 66);
      awaitCount(() -> relay.dropped(UdpMediaRelay.Drop.WRONG_SOURCE), 1);
    }
    assertThat(receive(bob)).isNull();
  }

  @Test
  void aPortIsCappedInPacketsAndBytes() throws Exception {
    relay.connect(alicePort, bobPort);
    send(bob, bobPort, (byte) 0);
    // The clock stands still: only the burst (1 s of 100 packets/s) gets through. Each datagram is sent once the
    // previous one was judged, so a loaded machine's socket buffers cannot lose any (a burst of 150 once did).
    for (int i = 0; i < 150; i++) {
      send(alice, alicePort, new byte[10]);
      awaitCount(this::judged, i + 1);
    }
    assertThat(relay.forwardedPackets()).isEqualTo(100);
    assertThat(relay.dropped(UdpMediaRelay.Drop.RATE_LIMITED)).isEqualTo(50);
    // Bytes: 20,000 per second; after a second, two 1,200-byte packets fit but not twenty.
    clock.elapseMillis(1_000);
    long before = relay.forwardedPackets();
    for (int i = 0; i < 20; i++) {
      send(alice, alicePort, new byte[1_200]);
      awaitCount(this::judged, 151 + i);
    }
    assertThat(relay.forwardedPackets() - before).isEqualTo(16);
  }

  /** Datagrams from alice the relay has forwarded or refused for their rate. */
  private long judged() {
    return relay.forwardedPackets() + relay.dropped(UdpMediaRelay.Drop.RATE_LIMITED);
  }
}
