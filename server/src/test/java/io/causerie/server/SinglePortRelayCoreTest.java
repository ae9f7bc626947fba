package io.causerie.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.causerie.transport.FakeClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The single-port relay's decisions, without sockets: demultiplexing by media id, source checks, latching, caps. */
class SinglePortRelayCoreTest {
  private static final UdpMediaRelay.Limits LIMITS = new UdpMediaRelay.Limits(100, 20_000, 1);
  private static final int ALICE_ID = 0x11223344;
  private static final int BOB_ID = 0x55667788;

  private final FakeClock clock = new FakeClock();
  private final RelayCounters counters = new RelayCounters();
  private final SinglePortRelayCore core = new SinglePortRelayCore(counters);
  private final InetAddress aliceHost = ip("10.0.0.1");
  private final InetAddress bobHost = ip("10.0.0.2");
  private final InetSocketAddress aliceMedia = new InetSocketAddress(aliceHost, 40000);
  private final InetSocketAddress bobMedia = new InetSocketAddress(bobHost, 50000);
  private final RelayLeg alice = new RelayLeg("alice", aliceHost, null, LIMITS, clock.nanoTime());
  private final RelayLeg bob = new RelayLeg("bob", bobHost, null, LIMITS, clock.nanoTime());

  private static InetAddress ip(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private void inCall() {
    alice.peer = bob;
    bob.peer = alice;
    alice.mediaId = ALICE_ID;
    bob.mediaId = BOB_ID;
    core.put(ALICE_ID, alice);
    core.put(BOB_ID, bob);
  }

  private InetSocketAddress route(int id, InetSocketAddress from) {
    return core.route(id, 188, from, clock.nanoTime());
  }

  /** A 188-byte SRTP packet or a 28-byte SRTCP sender report, as a client sends them. */
  static byte[] rtp(int ssrc) {
    return ByteBuffer.allocate(188).put(0, (byte) 0x80).put(1, (byte) 111).putInt(8, ssrc).array();
  }

  static byte[] rtcp(int ssrc) {
    return ByteBuffer.allocate(28).put(0, (byte) 0x80).put(1, (byte) 200).putShort(2, (short) 6).putInt(4, ssrc)
        .array();
  }

  @Test
  void theMediaIdIsTheSsrcOfRtpAndTheSenderSsrcOfRtcp() {
    assertThat(SinglePortRelayCore.mediaId(rtp(ALICE_ID), 0, 188)).isEqualTo(ALICE_ID);
    assertThat(SinglePortRelayCore.mediaId(rtcp(BOB_ID), 0, 28)).isEqualTo(BOB_ID);
    byte[] rr = rtcp(BOB_ID);
    rr[1] = (byte) 201;
    assertThat(SinglePortRelayCore.mediaId(rr, 0, 28)).isEqualTo(BOB_ID);
    // At an offset inside a larger buffer.
    byte[] shifted = new byte[200];
    System.arraycopy(rtp(ALICE_ID), 0, shifted, 7, 188);
    assertThat(SinglePortRelayCore.mediaId(shifted, 7, 188)).isEqualTo(ALICE_ID);
  }

  @Test
  void datagramsThatAreNotRtpOrRtcpHaveNoMediaId() {
    byte[] v1 = rtp(ALICE_ID);
    v1[0] = 0x40;
    assertThat(SinglePortRelayCore.mediaId(v1, 0, 188)).isZero();
    assertThat(SinglePortRelayCore.mediaId(rtp(ALICE_ID), 0, 11)).isZero(); // shorter than an RTP header
    assertThat(SinglePortRelayCore.mediaId(rtcp(ALICE_ID), 0, 7)).isZero();
    assertThat(SinglePortRelayCore.mediaId(new byte[] {(byte) 0x80}, 0, 1)).isZero();
    assertThat(SinglePortRelayCore.mediaId(new byte[0], 0, 0)).isZero();
  }

  @Test
  void eachPartyIsForwardedToTheOthersLatchedAddress() {
    inCall();
    assertThat(route(ALICE_ID, aliceMedia)).isNull(); // bob has not sent yet
    assertThat(counters.dropped(UdpMediaRelay.Drop.PEER_NOT_LATCHED)).isEqualTo(1);
    assertThat(route(BOB_ID, bobMedia)).isEqualTo(aliceMedia); // alice latched by her first datagram
    assertThat(route(ALICE_ID, aliceMedia)).isEqualTo(bobMedia);
  }

  @Test
  void anUnknownMediaIdIsDroppedAndCounted() {
    inCall();
    route(BOB_ID, bobMedia);
    assertThat(route(0x0BADBAD0, aliceMedia)).isNull();
    assertThat(route(0, aliceMedia)).isNull();
    assertThat(counters.dropped(UdpMediaRelay.Drop.UNKNOWN_MEDIA_ID)).isEqualTo(2);
  }

  @Test
  void aPartysIdSentFromAnotherHostIsDroppedAndLatchesNothing() {
    inCall();
    // Someone at bob's host sends with alice's id: not alice's host, so dropped, and alice's latch is untouched.
    assertThat(route(ALICE_ID, new InetSocketAddress(bobHost, 40000))).isNull();
    assertThat(counters.dropped(UdpMediaRelay.Drop.WRONG_SOURCE)).isEqualTo(1);
    assertThat(alice.latched).isNull();
  }

  @Test
  void anotherPortOfTheSameHostTakesOverOnlyAfterASecondOfSilence() {
    inCall();
    route(BOB_ID, bobMedia);
    route(ALICE_ID, aliceMedia);
    InetSocketAddress rebound = new InetSocketAddress(aliceHost, 40001);
    clock.elapseMillis(UdpMediaRelay.RELATCH_AFTER_SILENCE_MILLIS - 1);
    assertThat(route(ALICE_ID, rebound)).isNull();
    assertThat(counters.dropped(UdpMediaRelay.Drop.OTHER_PORT)).isEqualTo(1);
    clock.elapseMillis(UdpMediaRelay.RELATCH_AFTER_SILENCE_MILLIS);
    assertThat(route(ALICE_ID, rebound)).isEqualTo(bobMedia);
    assertThat(route(BOB_ID, bobMedia)).isEqualTo(rebound);
  }

  @Test
  void eachPartyIsCappedOnItsOwn() {
    inCall();
    route(BOB_ID, bobMedia);
    int forwarded = 0;
    for (int i = 0; i < 150; i++) {
      if (route(ALICE_ID, aliceMedia) != null) {
        forwarded++;
      }
    }
    // A burst of one second at 100 packets/s : alice's first 100 datagrams.
    assertThat(forwarded).isEqualTo(100);
    assertThat(counters.dropped(UdpMediaRelay.Drop.RATE_LIMITED)).isEqualTo(50);
    assertThat(route(BOB_ID, bobMedia)).isEqualTo(aliceMedia); // bob's bucket is his own
    clock.elapseMillis(100);
    assertThat(route(ALICE_ID, aliceMedia)).isEqualTo(bobMedia); // refilled: 10 more packets
  }

  @Test
  void anIdThatWasRemovedOrReassignedNoLongerRoutes() {
    inCall();
    route(BOB_ID, bobMedia);
    core.remove(ALICE_ID, alice);
    assertThat(route(ALICE_ID, aliceMedia)).isNull();
    assertThat(counters.dropped(UdpMediaRelay.Drop.UNKNOWN_MEDIA_ID)).isEqualTo(1);
    // The leg's id changed on the signalling thread before the table caught up: the old id routes nothing.
    core.put(ALICE_ID, alice);
    alice.mediaId = 0x01010101;
    assertThat(route(ALICE_ID, aliceMedia)).isNull();
    assertThat(counters.dropped(UdpMediaRelay.Drop.UNKNOWN_MEDIA_ID)).isEqualTo(2);
  }

  @Test
  void aLegWithoutAPeerForwardsNothing() {
    inCall();
    alice.peer = null;
    assertThat(route(ALICE_ID, aliceMedia)).isNull();
    assertThat(counters.dropped(UdpMediaRelay.Drop.NOT_IN_CALL)).isEqualTo(1);
  }
}
