package io.causerie.media.crypto;

import static io.causerie.media.crypto.CryptoTestSupport.contextsFor;
import static io.causerie.media.crypto.CryptoTestSupport.hex;
import static io.causerie.media.crypto.CryptoTestSupport.rtcp;
import static io.causerie.media.crypto.CryptoTestSupport.rtp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class SrtpContextTest {
  // RFC 7714 §16.1.1 and §17.1 (AEAD_AES_128_GCM), stated with session key and salt directly.
  private static final byte[] KEY = hex("000102030405060708090a0b0c0d0e0f");
  private static final byte[] SALT = hex("517569642070726f2071756f");
  private static final byte[] RFC_RTP = hex("8040f17b 8041f8d3 5501a0b2 47616c6c"
      + "69612065 7374206f 6d6e6973 20646976 69736120 696e2070 61727465 73207472 6573");
  private static final byte[] RFC_SRTP = hex("8040f17b 8041f8d3 5501a0b2 f24de3a3"
      + "fb34de6c acba861c 9d7e4bca be633bd5 0d294e6f 42a5f47a 51c7d19b 36de3adf"
      + "8833 899d7f27 beb16a91 52cf765e e4390cce");
  private static final byte[] RFC_RTCP = hex("81c8000d 4d617273 4e545031 4e545032"
      + "52545020 0000042a 0000e930 4c756e61 deadbeef deadbeef deadbeef deadbeef deadbeef");
  private static final byte[] RFC_SRTCP = hex("81c8000d 4d617273 63e94885 dcdab67c"
      + "a727d766 2f6b7e99 7ff5c0f7 6c06f32d c676a5f1 730d6fda 4ce09b46 86303ded"
      + "0bb9275b c84aa458 96cf4d2f c5abf872 45d9eade 800005d4");

  private static final int SSRC = 0x1234_5678;
  private static final int BUFFER = 1500;

  private static SrtpContext rfcContext() {
    return SrtpContext.fromSessionKeys(KEY, SALT, KEY, SALT);
  }

  @Test
  void rfc7714Section16Iv() {
    assertThat(rfcContext().rtpIv(0x5501a0b2, 0xf17b).getIV())
        .isEqualTo(hex("51753c6580c2726f20718414"));
  }

  @Test
  void rfc7714Section17Iv() {
    assertThat(rfcContext().rtcpIv(0x4d617273, 0x5d4).getIV())
        .isEqualTo(hex("517524055203726f207170bb"));
  }

  @Test
  void rfc7714Section16SrtpPacket() {
    assertThat(rfcContext().protectRtp(RFC_RTP, 0, RFC_RTP.length)).isEqualTo(RFC_SRTP);

    byte[] out = new byte[BUFFER];
    int n = rfcContext().unprotectRtp(RFC_SRTP, 0, RFC_SRTP.length, out);
    assertThat(Arrays.copyOf(out, n)).isEqualTo(RFC_RTP);
  }

  @Test
  void rfc7714Section17SrtcpPacket() {
    SrtpContext sender = rfcContext();
    sender.nextSrtcpIndex(0x4d617273, 0x5d4);
    assertThat(sender.protectRtcp(RFC_RTCP, 0, RFC_RTCP.length)).isEqualTo(RFC_SRTCP);

    byte[] out = new byte[BUFFER];
    int n = rfcContext().unprotectRtcp(RFC_SRTCP, 0, RFC_SRTCP.length, out);
    assertThat(Arrays.copyOf(out, n)).isEqualTo(RFC_RTCP);
  }

  @Test
  void overheadsAreAsDocumented() {
    SrtpContext[] c = contextsFor(1);
    byte[] packet = rtp(1, SSRC, 2, true, 160);
    assertThat(c[0].protectRtp(packet, 0, packet.length))
        .hasSize(packet.length + SrtpContext.SRTP_OVERHEAD);
    byte[] report = rtcp(SSRC, 1);
    assertThat(c[0].protectRtcp(report, 0, report.length))
        .hasSize(report.length + SrtpContext.SRTCP_OVERHEAD);
  }

  @Test
  void roundTripsRtpAndRtcpInBothDirections() {
    SrtpContext[] c = contextsFor(2);
    for (int dir = 0; dir < 2; dir++) {
      SrtpContext send = c[2 * dir];
      SrtpContext receive = c[2 * dir + 1];
      for (int seq = 100; seq < 110; seq++) {
        byte[] packet = rtp(seq, SSRC + dir, seq % 3, seq % 2 == 0, 20 + seq % 7);
        byte[] wire = send.protectRtp(packet, 0, packet.length);
        assertThat(Arrays.copyOfRange(wire, wire.length - 30, wire.length - 16))
            .isNotEqualTo(Arrays.copyOfRange(packet, packet.length - 14, packet.length));
        assertThat(unprotectRtp(receive, wire)).isEqualTo(packet);

        byte[] report = rtcp(SSRC + dir, seq);
        assertThat(unprotectRtcp(receive, send.protectRtcp(report, 0, report.length)))
            .isEqualTo(report);
      }
      assertThat(receive.accepted()).isEqualTo(20);
    }
    // A direction's keys do not open the other direction's packets.
    byte[] packet = rtp(1, SSRC, 0, false, 20);
    byte[] wire = c[0].protectRtp(packet, 0, packet.length);
    assertThat(c[3].unprotectRtp(wire, 0, wire.length, new byte[BUFFER]))
        .isEqualTo(SrtpContext.AUTH_FAILED);
  }

  @Test
  void honoursOffsetsAndDecryptsInPlace() {
    SrtpContext[] c = contextsFor(3);
    byte[] packet = rtp(7, SSRC, 1, true, 40);
    byte[] framed = new byte[packet.length + 10];
    System.arraycopy(packet, 0, framed, 5, packet.length);
    byte[] wire = c[0].protectRtp(framed, 5, packet.length);

    byte[] framedWire = new byte[wire.length + 9];
    System.arraycopy(wire, 0, framedWire, 3, wire.length);
    byte[] out = new byte[packet.length];
    assertThat(c[1].unprotectRtp(framedWire, 3, wire.length, out)).isEqualTo(packet.length);
    assertThat(out).isEqualTo(packet);

    byte[] second = rtp(8, SSRC, 1, true, 40);
    byte[] inPlace = c[0].protectRtp(second, 0, second.length);
    int n = c[1].unprotectRtp(inPlace, 0, inPlace.length, inPlace);
    assertThat(Arrays.copyOf(inPlace, n)).isEqualTo(second);

    byte[] report = rtcp(SSRC, 9);
    byte[] srtcp = c[0].protectRtcp(report, 0, report.length);
    n = c[1].unprotectRtcp(srtcp, 0, srtcp.length, srtcp);
    assertThat(Arrays.copyOf(srtcp, n)).isEqualTo(report);
  }

  @Test
  void theRolloverCounterAdvancesAcrossSequenceWraps() {
    SrtpContext[] c = contextsFor(4);
    SrtpContext reference = contextsFor(4)[0]; // same keys, fresh: ROC 0 for every sequence number
    int delivered = 0;
    byte[] afterWrap = null;
    // Three wraps, stepping by a prime below 2^15 so each ROC guess is unambiguous.
    for (long index = 65_000; index < 3 * 65_536L + 5_000; index += 7_919) {
      int seq = (int) (index & 0xFFFF);
      byte[] packet = rtp(seq, SSRC, 0, false, 24);
      byte[] wire = c[0].protectRtp(packet, 0, packet.length);
      assertThat(unprotectRtp(c[1], wire)).as("index %d", index).isEqualTo(packet);
      delivered++;
      if (index >> 16 == 2 && afterWrap == null) {
        afterWrap = wire;
        byte[] roc0 = reference.protectRtp(packet, 0, packet.length);
        assertThat(roc0).as("the ROC enters the IV").isNotEqualTo(wire);
      }
    }
    assertThat(c[1].accepted()).isEqualTo(delivered);
    // A receiver that never saw the wraps assumes ROC 0 and cannot authenticate the packet.
    assertThat(contextsFor(4)[1].unprotectRtp(afterWrap, 0, afterWrap.length, new byte[BUFFER]))
        .isEqualTo(SrtpContext.AUTH_FAILED);
  }

  @Test
  void everyConsecutivePacketAcrossAWrapIsDelivered() {
    SrtpContext[] c = contextsFor(5);
    for (int i = 0; i < 40; i++) {
      int seq = (65_520 + i) & 0xFFFF;
      byte[] packet = rtp(seq, SSRC, 0, false, 10);
      assertThat(unprotectRtp(c[1], c[0].protectRtp(packet, 0, packet.length)))
          .isEqualTo(packet);
    }
  }

  @Test
  void lateAndReorderedPacketsAroundAWrapUseTheRightRoc() {
    SrtpContext[] c = contextsFor(6);
    List<byte[]> plain = new ArrayList<>();
    List<byte[]> wire = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      byte[] packet = rtp((65_500 + i) & 0xFFFF, SSRC, 0, false, 10);
      plain.add(packet);
      wire.add(c[0].protectRtp(packet, 0, packet.length));
    }
    // Deliver the first, then everything after the wrap, then the late ones before the wrap.
    assertThat(unprotectRtp(c[1], wire.get(0))).isEqualTo(plain.get(0));
    for (int i = 36; i < 60; i++) {
      assertThat(unprotectRtp(c[1], wire.get(i))).isEqualTo(plain.get(i));
    }
    for (int i = 1; i < 36; i++) {
      assertThat(unprotectRtp(c[1], wire.get(i))).as("late packet %d", i).isEqualTo(plain.get(i));
    }
  }

  @Test
  void tamperingWithAnySingleRtpByteFailsAuthentication() {
    SrtpContext[] c = contextsFor(7);
    byte[] packet = rtp(500, SSRC, 1, true, 30);
    byte[] wire = c[0].protectRtp(packet, 0, packet.length);
    int extensionLengthHighByte = 12 + 4 + 2;
    for (int i = 0; i < wire.length; i++) {
      for (int bit : new int[] {0x01, 0x80}) {
        byte[] tampered = wire.clone();
        tampered[i] ^= (byte) bit;
        int result = c[1].unprotectRtp(tampered, 0, tampered.length, new byte[BUFFER]);
        if (i == 0 && bit == 0x80) {
          assertThat(result).as("version bits").isEqualTo(SrtpContext.MALFORMED);
        } else if (i == extensionLengthHighByte
            || (i == extensionLengthHighByte + 1 && bit == 0x80)) {
          // The extension's length field now claims more words than the packet holds.
          assertThat(result).as("extension overruns").isEqualTo(SrtpContext.MALFORMED);
        } else {
          assertThat(result).as("byte %d bit %x", i, bit).isEqualTo(SrtpContext.AUTH_FAILED);
        }
      }
    }
    assertThat(c[1].dropped(SrtpContext.Reason.AUTH_FAILED)).isEqualTo(2L * wire.length - 4);
    // Forgeries did not move the replay window: the genuine packet still gets through once.
    assertThat(unprotectRtp(c[1], wire)).isEqualTo(packet);
    assertThat(c[1].unprotectRtp(wire, 0, wire.length, new byte[BUFFER]))
        .isEqualTo(SrtpContext.REPLAYED);
  }

  @Test
  void tamperingWithAnySingleSrtcpByteFailsAuthentication() {
    SrtpContext[] c = contextsFor(8);
    byte[] report = rtcp(SSRC, 77);
    byte[] wire = c[0].protectRtcp(report, 0, report.length);
    for (int i = 0; i < wire.length; i++) {
      byte[] tampered = wire.clone();
      tampered[i] ^= 0x01;
      assertThat(c[1].unprotectRtcp(tampered, 0, tampered.length, new byte[BUFFER]))
          .as("byte %d", i).isEqualTo(SrtpContext.AUTH_FAILED);
    }
    byte[] cleared = wire.clone();
    cleared[wire.length - 4] &= 0x7F;
    assertThat(c[1].unprotectRtcp(cleared, 0, cleared.length, new byte[BUFFER]))
        .as("E flag cleared").isEqualTo(SrtpContext.MALFORMED);
    assertThat(unprotectRtcp(c[1], wire)).isEqualTo(report);
  }

  @Test
  void replayedPacketsAreRejected() {
    SrtpContext[] c = contextsFor(9);
    byte[] packet = rtp(1, SSRC, 0, false, 20);
    byte[] wire = c[0].protectRtp(packet, 0, packet.length);
    assertThat(unprotectRtp(c[1], wire)).isEqualTo(packet);
    assertThat(c[1].unprotectRtp(wire, 0, wire.length, new byte[BUFFER]))
        .isEqualTo(SrtpContext.REPLAYED);

    byte[] report = rtcp(SSRC, 1);
    byte[] srtcp = c[0].protectRtcp(report, 0, report.length);
    assertThat(unprotectRtcp(c[1], srtcp)).isEqualTo(report);
    assertThat(c[1].unprotectRtcp(srtcp, 0, srtcp.length, new byte[BUFFER]))
        .isEqualTo(SrtpContext.REPLAYED);
    assertThat(c[1].dropped(SrtpContext.Reason.REPLAYED)).isEqualTo(2);
    assertThat(SrtpContext.Reason.of(SrtpContext.REPLAYED)).isEqualTo(SrtpContext.Reason.REPLAYED);
  }

  @Test
  void packetsLeftOfTheWindowAreTooOld() {
    SrtpContext[] c = contextsFor(10);
    List<byte[]> wire = new ArrayList<>();
    for (int seq = 0; seq < 200; seq++) {
      byte[] packet = rtp(seq, SSRC, 0, false, 8);
      wire.add(c[0].protectRtp(packet, 0, packet.length));
    }
    assertThat(unprotectRtp(c[1], wire.get(0))).isNotNull();
    assertThat(unprotectRtp(c[1], wire.get(199))).isNotNull();
    assertThat(c[1].unprotectRtp(wire.get(71), 0, wire.get(71).length, new byte[BUFFER]))
        .isEqualTo(SrtpContext.TOO_OLD);
    assertThat(unprotectRtp(c[1], wire.get(72))).as("oldest index inside the window").isNotNull();
    assertThat(c[1].dropped(SrtpContext.Reason.TOO_OLD)).isEqualTo(1);

    List<byte[]> reports = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      byte[] report = rtcp(SSRC, i);
      reports.add(c[0].protectRtcp(report, 0, report.length));
    }
    assertThat(unprotectRtcp(c[1], reports.get(199))).isNotNull();
    assertThat(c[1].unprotectRtcp(reports.get(10), 0, reports.get(10).length, new byte[BUFFER]))
        .isEqualTo(SrtpContext.TOO_OLD);
  }

  @Test
  void malformedInputIsDroppedWithoutThrowing() {
    SrtpContext[] c = contextsFor(11);
    byte[] out = new byte[BUFFER];
    assertThat(c[1].unprotectRtp(new byte[0], 0, 0, out)).isEqualTo(SrtpContext.MALFORMED);
    assertThat(c[1].unprotectRtp(new byte[27], 0, 27, out)).isEqualTo(SrtpContext.MALFORMED);
    byte[] packet = rtp(3, SSRC, 0, false, 20);
    byte[] wire = c[0].protectRtp(packet, 0, packet.length);
    byte[] v1 = wire.clone();
    v1[0] = 0x40;
    assertThat(c[1].unprotectRtp(v1, 0, v1.length, out)).isEqualTo(SrtpContext.MALFORMED);
    byte[] csrcOverrun = wire.clone();
    csrcOverrun[0] = (byte) 0x8F; // 15 CSRCs do not fit before the tag
    assertThat(c[1].unprotectRtp(csrcOverrun, 0, csrcOverrun.length, out))
        .isEqualTo(SrtpContext.MALFORMED);
    assertThat(c[1].unprotectRtp(wire, 0, wire.length, new byte[packet.length - 1]))
        .as("larger than the output buffer").isEqualTo(SrtpContext.MALFORMED);

    assertThat(c[1].unprotectRtcp(new byte[27], 0, 27, out)).isEqualTo(SrtpContext.MALFORMED);
    byte[] report = rtcp(SSRC, 1);
    byte[] srtcp = c[0].protectRtcp(report, 0, report.length);
    byte[] badVersion = srtcp.clone();
    badVersion[0] = 0x01;
    assertThat(c[1].unprotectRtcp(badVersion, 0, badVersion.length, out))
        .isEqualTo(SrtpContext.MALFORMED);
    assertThat(c[1].dropped(SrtpContext.Reason.MALFORMED)).isEqualTo(7);
    assertThat(c[1].accepted()).isZero();
    // Nothing above spent the genuine packets.
    assertThat(unprotectRtp(c[1], wire)).isEqualTo(packet);
    assertThat(unprotectRtcp(c[1], srtcp)).isEqualTo(report);
  }

  @Property(tries = 200)
  void arbitraryBytesNeverThrowAndNeverAuthenticate(
      @ForAll @Size(max = 200) byte[] garbage, @ForAll boolean rtcp) {
    SrtpContext receiver = rfcContext();
    byte[] out = new byte[BUFFER];
    int result = rtcp
        ? receiver.unprotectRtcp(garbage, 0, garbage.length, out)
        : receiver.unprotectRtp(garbage, 0, garbage.length, out);
    assertThat(result).isNegative();
  }

  @Test
  void callerBugsThrow() {
    SrtpContext[] c = contextsFor(12);
    byte[] packet = rtp(1, SSRC, 0, false, 20);
    c[0].protectRtp(packet, 0, packet.length);
    assertThatThrownBy(() -> c[0].protectRtp(packet, 0, packet.length))
        .as("the same sequence number twice would repeat a GCM nonce")
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> c[0].protectRtp(new byte[8], 0, 8))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> c[0].protectRtcp(new byte[4], 0, 4))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> c[0].protectRtp(packet, 10, packet.length))
        .isInstanceOf(IndexOutOfBoundsException.class);
    byte[] wire = c[0].protectRtp(rtp(2, SSRC, 0, false, 20), 0, 32);
    assertThatThrownBy(() -> c[1].unprotectRtp(wire, 1, wire.length - 1, wire))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void streamsAreCapped() {
    SrtpContext[] c = contextsFor(13);
    for (int s = 0; s < SrtpContext.MAX_STREAMS; s++) {
      byte[] packet = rtp(1, 1000 + s, 0, false, 10);
      assertThat(unprotectRtp(c[1], c[0].protectRtp(packet, 0, packet.length))).isEqualTo(packet);
    }
    byte[] extra = rtp(1, 5000, 0, false, 10);
    assertThatThrownBy(() -> c[0].protectRtp(extra, 0, extra.length))
        .isInstanceOf(IllegalStateException.class);
    SrtpContext otherSender = contextsFor(13)[0];
    byte[] wire = otherSender.protectRtp(extra, 0, extra.length);
    assertThat(c[1].unprotectRtp(wire, 0, wire.length, new byte[BUFFER]))
        .isEqualTo(SrtpContext.STREAM_LIMIT);
    assertThat(c[1].dropped(SrtpContext.Reason.STREAM_LIMIT)).isEqualTo(1);
  }

  @Test
  void srtcpIndicesArePerSsrcAndStartAtZero() {
    SrtpContext[] c = contextsFor(14);
    byte[] a = rtcp(1, 0);
    byte[] b = rtcp(2, 0);
    assertThat(trailer(c[0].protectRtcp(a, 0, a.length))).isEqualTo(0x8000_0000);
    assertThat(trailer(c[0].protectRtcp(a, 0, a.length))).isEqualTo(0x8000_0001);
    assertThat(trailer(c[0].protectRtcp(b, 0, b.length))).isEqualTo(0x8000_0000);
  }

  /**
   * Packets within the window arrive in a random order, some of them twice: each is delivered
   * exactly once, intact, and every duplicate is rejected as replayed.
   */
  @Property(tries = 100)
  void aPermutationWithinTheWindowIsAcceptedExactlyOnce(
      @ForAll @IntRange(min = 1, max = ReplayWindow.SIZE - 1) int count,
      @ForAll @IntRange(min = 0, max = 65_535) int firstSeq,
      @ForAll long shuffleSeed,
      @ForAll @IntRange(min = 0, max = 40) int duplicates) {
    SrtpContext[] c = contextsFor(15);
    // The stream starts in order, as RFC 3711 expects; then count packets follow in any order.
    byte[] start = rtp(firstSeq, SSRC, 0, false, 12);
    assertThat(unprotectRtp(c[1], c[0].protectRtp(start, 0, start.length))).isEqualTo(start);

    List<Integer> order = new ArrayList<>();
    List<byte[]> plain = new ArrayList<>();
    List<byte[]> wire = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] packet = rtp((firstSeq + 1 + i) & 0xFFFF, SSRC, i % 2, i % 3 == 0, 12 + i % 5);
      plain.add(packet);
      wire.add(c[0].protectRtp(packet, 0, packet.length));
      order.add(i);
    }
    Random random = new Random(shuffleSeed);
    for (int d = 0; d < duplicates; d++) {
      order.add(random.nextInt(count));
    }
    Collections.shuffle(order, random);

    boolean[] delivered = new boolean[count];
    int replayed = 0;
    for (int i : order) {
      byte[] out = new byte[BUFFER];
      int n = c[1].unprotectRtp(wire.get(i), 0, wire.get(i).length, out);
      if (delivered[i]) {
        assertThat(n).isEqualTo(SrtpContext.REPLAYED);
        replayed++;
      } else {
        assertThat(Arrays.copyOf(out, Math.max(n, 0))).isEqualTo(plain.get(i));
        delivered[i] = true;
      }
    }
    assertThat(c[1].accepted()).isEqualTo(count + 1);
    assertThat(c[1].dropped(SrtpContext.Reason.REPLAYED)).isEqualTo(duplicates).isEqualTo(replayed);
  }

  private static int trailer(byte[] srtcp) {
    int at = srtcp.length - 4;
    return ((srtcp[at] & 0xFF) << 24) | ((srtcp[at + 1] & 0xFF) << 16)
        | ((srtcp[at + 2] & 0xFF) << 8) | (srtcp[at + 3] & 0xFF);
  }

  private static byte[] unprotectRtp(SrtpContext receiver, byte[] wire) {
    byte[] out = new byte[BUFFER];
    int n = receiver.unprotectRtp(wire, 0, wire.length, out);
    assertThat(n).as("unprotectRtp result").isPositive();
    return Arrays.copyOf(out, n);
  }

  private static byte[] unprotectRtcp(SrtpContext receiver, byte[] wire) {
    byte[] out = new byte[BUFFER];
    int n = receiver.unprotectRtcp(wire, 0, wire.length, out);
    assertThat(n).as("unprotectRtcp result").isPositive();
    return Arrays.copyOf(out, n);
  }
}
