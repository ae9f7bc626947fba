package io.causerie.client.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.causerie.media.quality.CompactNtp;
import io.causerie.media.quality.QualityReport;
import io.causerie.media.rtp.RtpPacket;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class RtcpPacketsTest {
  private static final QualityReport RR =
      new QualityReport(0x11223344, 0x55667788, 13, 42, 70_000, 96, 0xABCD1234L, 0x00018000L);

  @Test
  void aSenderReportHasTheRfc3550Layout() {
    SenderReport sr = new SenderReport(0x01020304, 0x0A0B0C0DL, 0x80000000L, 0xFFFFFFFFL, 7, 9);
    byte[] b = new byte[SenderReport.BYTES];
    assertThat(sr.encode(b, 0)).isEqualTo(28);
    assertThat(Arrays.copyOf(b, 12)).containsExactly(
        0x80, 200, 0, 6, 1, 2, 3, 4, 0x0A, 0x0B, 0x0C, 0x0D);
    assertThat(sr.compactNtp()).isEqualTo(0x0C0D8000L);
  }

  @Test
  void compactNtpOfASenderReportMatchesTheMediaCoresClock() {
    for (long nanos : new long[] {0, 1, 999_999_999L, 1_500_000_000L, 123_456_789_012_345L}) {
      assertThat(SenderReport.at(1, nanos, 0, 0, 0).compactNtp())
          .as("at %d ns", nanos).isEqualTo(CompactNtp.fromNanos(nanos));
    }
  }

  @Test
  void aReportIsAnSrAloneOrAnSrFollowedByOneRr() throws Exception {
    SenderReport sr = SenderReport.at(0x11223344, 5_000_000_000L, 1234, 10, 1600);
    byte[] b = new byte[RtcpPackets.MAX_REPORT_BYTES];
    int alone = RtcpPackets.writeReport(b, 0, sr, null);
    assertThat(alone).isEqualTo(28);
    assertThat(RtcpPackets.decode(b, 0, alone)).isEqualTo(new RtcpPackets.Compound(sr, null));
    int both = RtcpPackets.writeReport(b, 0, sr, RR);
    assertThat(both).isEqualTo(60);
    assertThat(RtcpPackets.decode(b, 0, both)).isEqualTo(new RtcpPackets.Compound(sr, RR));
  }

  @Test
  void rtpAndRtcpAreToldApartByTheSecondByte() {
    byte[] p = new byte[40];
    for (int pt : new int[] {0, 8, 111}) {
      for (boolean marker : new boolean[] {false, true}) {
        RtpPacket.writeHeader(p, 0, marker, pt, 1, 2, 3);
        assertThat(RtcpPackets.classify(p, 0, 40)).isEqualTo(RtcpPackets.Kind.RTP);
      }
    }
    RtcpPackets.writeReport(p, 0, SenderReport.at(1, 0, 0, 0, 0), null);
    assertThat(RtcpPackets.classify(p, 0, 28)).isEqualTo(RtcpPackets.Kind.RTCP);
    RR.encode(p, 0);
    assertThat(RtcpPackets.classify(p, 0, 32)).isEqualTo(RtcpPackets.Kind.RTCP);
    assertThat(RtcpPackets.classify(new byte[] {0x40, (byte) 200, 0, 0, 0, 0, 0, 0}, 0, 8))
        .as("version 1").isEqualTo(RtcpPackets.Kind.OTHER);
    assertThat(RtcpPackets.classify(new byte[] {(byte) 0x80}, 0, 1)).isEqualTo(RtcpPackets.Kind.OTHER);
  }

  @Test
  void otherRtcpPacketsInTheCompoundAreSkipped() throws Exception {
    SenderReport sr = SenderReport.at(7, 42, 0, 0, 0);
    byte[] b = new byte[28 + 12 + 32];
    sr.encode(b, 0);
    // An SDES packet of 12 bytes (length 2) between the SR and the RR.
    b[28] = (byte) 0x81;
    b[29] = (byte) 202;
    b[31] = 2;
    RR.encode(b, 40);
    assertThat(RtcpPackets.decode(b, 0, b.length)).isEqualTo(new RtcpPackets.Compound(sr, RR));
  }

  @Test
  void malformedReportsAreRejectedWithOneExceptionType() {
    byte[] b = new byte[60];
    RtcpPackets.writeReport(b, 0, SenderReport.at(1, 0, 0, 0, 0), RR);
    assertThatThrownBy(() -> RtcpPackets.decode(b, 0, 59)).isInstanceOf(RtcpFormatException.class);
    assertThatThrownBy(() -> RtcpPackets.decode(b, 0, 30)).isInstanceOf(RtcpFormatException.class);
    byte[] bye = {(byte) 0x81, (byte) 203, 0, 1, 0, 0, 0, 1};
    assertThatThrownBy(() -> RtcpPackets.decode(bye, 0, 8))
        .isInstanceOf(RtcpFormatException.class).hasMessageContaining("starts with");
    byte[] longLength = Arrays.copyOf(b, 28);
    longLength[3] = 9;
    assertThatThrownBy(() -> RtcpPackets.decode(longLength, 0, 28)).isInstanceOf(RtcpFormatException.class);
  }

  @Property
  void arbitraryBytesGiveOnlyRtcpFormatException(@ForAll byte[] bytes) {
    try {
      RtcpPackets.decode(bytes, 0, bytes.length);
    } catch (RtcpFormatException e) {
      // expected for most inputs
    }
  }
}
