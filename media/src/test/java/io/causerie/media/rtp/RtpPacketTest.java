package io.causerie.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RtpPacketTest {
  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  @Test
  void writesAndReadsTheFixedHeader() throws Exception {
    byte[] buf = new byte[12 + 3];
    int n = RtpPacket.writeHeader(buf, 0, true, 111, 0xBEEF, 0xDEADBEEFL, 0xCAFEBABE);
    buf[12] = 1;
    buf[13] = 2;
    buf[14] = 3;
    assertThat(n).isEqualTo(12);
    assertThat(HexFormat.of().formatHex(buf, 0, 12)).isEqualTo("80efbeefdeadbeefcafebabe");

    RtpPacket p = RtpPacket.parse(buf);
    assertThat(p.version()).isEqualTo(2);
    assertThat(p.padding()).isFalse();
    assertThat(p.extension()).isFalse();
    assertThat(p.csrcCount()).isZero();
    assertThat(p.marker()).isTrue();
    assertThat(p.payloadType()).isEqualTo(111);
    assertThat(p.sequenceNumber()).isEqualTo(0xBEEF);
    assertThat(p.timestamp()).isEqualTo(0xDEADBEEFL);
    assertThat(p.ssrc()).isEqualTo(0xCAFEBABE);
    assertThat(p.headerLength()).isEqualTo(12);
    assertThat(p.payloadOffset()).isEqualTo(12);
    assertThat(p.payloadLength()).isEqualTo(3);
    assertThat(p.extensionProfile()).isEqualTo(-1);
  }

  @Test
  void readsCsrcsExtensionAndPaddingAtAnOffset() throws Exception {
    // 3 junk bytes, then: V=2 P=1 X=1 CC=2, M=0 PT=0, seq 1, ts 2, ssrc 3, csrc 4 & 5,
    // extension profile 0xBEDE with 1 word, payload AA BB, padding 00 00 03, then 2 junk bytes.
    byte[] buf = hex("ffffff b2 00 0001 00000002 00000003 00000004 00000005"
        + " bede 0001 11223344 aabb 000003 eeee");
    RtpPacket p = RtpPacket.parse(buf, 3, buf.length - 5);
    assertThat(p.padding()).isTrue();
    assertThat(p.extension()).isTrue();
    assertThat(p.csrcCount()).isEqualTo(2);
    assertThat(p.csrc(0)).isEqualTo(4);
    assertThat(p.csrc(1)).isEqualTo(5);
    assertThat(p.extensionProfile()).isEqualTo(0xBEDE);
    assertThat(p.extensionLength()).isEqualTo(4);
    assertThat(buf[p.extensionOffset()]).isEqualTo((byte) 0x11);
    assertThat(p.headerLength()).isEqualTo(12 + 8 + 4 + 4);
    assertThat(p.payloadOffset()).isEqualTo(3 + 28);
    assertThat(p.payloadLength()).isEqualTo(2);
    assertThat(buf[p.payloadOffset()]).isEqualTo((byte) 0xAA);
    assertThat(p.paddingLength()).isEqualTo(3);
  }

  @Test
  void writesCsrcs() throws Exception {
    byte[] buf = new byte[40];
    int n = RtpPacket.writeHeader(buf, 4, false, 8, 65535, 0xFFFFFFFFL, -1, new int[] {7, 8, 9}, 2);
    assertThat(n).isEqualTo(20);
    RtpPacket p = RtpPacket.parse(buf, 4, n);
    assertThat(p.csrcCount()).isEqualTo(2);
    assertThat(p.csrc(1)).isEqualTo(8);
    assertThat(p.sequenceNumber()).isEqualTo(65535);
    assertThat(p.timestamp()).isEqualTo(0xFFFFFFFFL);
    assertThat(p.ssrc()).isEqualTo(-1);
    assertThat(p.payloadLength()).isZero();
  }

  @Test
  void viewIsReusableWithoutAllocation() throws Exception {
    RtpPacket view = new RtpPacket();
    byte[] a = new byte[20];
    byte[] b = new byte[16];
    RtpPacket.writeHeader(a, 0, false, 0, 1, 160, 42);
    RtpPacket.writeHeader(b, 0, false, 8, 2, 320, 43);
    assertThat(view.read(a, 0, a.length).payloadLength()).isEqualTo(8);
    assertThat(view.read(b, 0, b.length).sequenceNumber()).isEqualTo(2);
    assertThat(view.payloadType()).isEqualTo(8);
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of("empty", ""),
        Arguments.of("11 bytes", "80 00 0001 00000002 000000"),
        Arguments.of("version 0", "00 00 0001 00000002 00000003"),
        Arguments.of("version 1", "40 00 0001 00000002 00000003"),
        Arguments.of("version 3", "c0 00 0001 00000002 00000003"),
        Arguments.of("CSRC count overruns", "82 00 0001 00000002 00000003 00000004"),
        Arguments.of("15 CSRCs announced, none present", "8f 00 0001 00000002 00000003"),
        Arguments.of("extension preamble missing", "90 00 0001 00000002 00000003 bede"),
        Arguments.of("extension length overruns", "90 00 0001 00000002 00000003 bede 0002 11223344"),
        Arguments.of("padding count zero", "a0 00 0001 00000002 00000003 aa 00"),
        Arguments.of("padding count too big", "a0 00 0001 00000002 00000003 aa 03"),
        Arguments.of("padding bit but nothing after header", "a0 00 0001 00000002 00000003"),
        Arguments.of("padding eats into extension",
            "b0 00 0001 00000002 00000003 bede 0001 11223344 05"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void rejectsMalformedPackets(String name, String bytes) {
    byte[] buf = hex(bytes);
    assertThatThrownBy(() -> RtpPacket.parse(buf)).isInstanceOf(RtpFormatException.class);
  }

  @Test
  void paddingMayTakeTheWholePayload() throws Exception {
    RtpPacket p = RtpPacket.parse(hex("a0 00 0001 00000002 00000003 0000 03"));
    assertThat(p.payloadLength()).isZero();
    assertThat(p.paddingLength()).isEqualTo(3);
  }

  @Test
  void rejectsBadWriterArguments() {
    byte[] buf = new byte[64];
    assertThatThrownBy(() -> RtpPacket.writeHeader(buf, 0, false, 128, 0, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RtpPacket.writeHeader(buf, 0, false, 0, 0, 0, 0, new int[16], 16))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Property(tries = 3000)
  void arbitraryBytesOnlyEverThrowRtpFormatException(@ForAll @Size(max = 80) byte[] bytes) {
    try {
      RtpPacket p = RtpPacket.parse(bytes);
      assertThat(p.headerLength() + p.payloadLength() + p.paddingLength()).isEqualTo(bytes.length);
      assertThat(p.version()).isEqualTo(2);
    } catch (RtpFormatException expected) {
      // the only allowed failure
    }
  }

  @Provide
  Arbitrary<byte[]> plausibleHeaders() {
    // Bias the first byte to version 2 so that the deeper checks are exercised too.
    return Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(80)
        .map(b -> {
          if (b.length > 0) {
            b[0] = (byte) (0x80 | (b[0] & 0x3F));
          }
          return b;
        });
  }

  @Property(tries = 3000)
  void version2GarbageOnlyEverThrowsRtpFormatException(@ForAll("plausibleHeaders") byte[] bytes) {
    try {
      RtpPacket p = RtpPacket.parse(bytes);
      assertThat(p.payloadOffset() + p.payloadLength()).isLessThanOrEqualTo(bytes.length);
      assertThat(p.payloadLength()).isNotNegative();
    } catch (RtpFormatException expected) {
      // the only allowed failure
    }
  }

  @Property(tries = 500)
  void writeThenReadRoundTrips(
      @ForAll boolean marker,
      @ForAll @IntRange(min = 0, max = 127) int pt,
      @ForAll @IntRange(min = 0, max = 65535) int seq,
      @ForAll long timestamp,
      @ForAll int ssrc,
      @ForAll @IntRange(min = 0, max = 15) int csrcs,
      @ForAll @Size(max = 200) byte[] payload) throws Exception {
    int[] ids = new int[csrcs];
    for (int i = 0; i < csrcs; i++) {
      ids[i] = ssrc ^ i;
    }
    byte[] buf = new byte[RtpPacket.headerLength(csrcs) + payload.length];
    int h = RtpPacket.writeHeader(buf, 0, marker, pt, seq, timestamp, ssrc, ids, csrcs);
    System.arraycopy(payload, 0, buf, h, payload.length);
    RtpPacket p = RtpPacket.parse(buf);
    assertThat(p.marker()).isEqualTo(marker);
    assertThat(p.payloadType()).isEqualTo(pt);
    assertThat(p.sequenceNumber()).isEqualTo(seq);
    assertThat(p.timestamp()).isEqualTo(timestamp & 0xFFFFFFFFL);
    assertThat(p.ssrc()).isEqualTo(ssrc);
    assertThat(p.csrcCount()).isEqualTo(csrcs);
    for (int i = 0; i < csrcs; i++) {
      assertThat(p.csrc(i)).isEqualTo(ids[i]);
    }
    assertThat(p.payloadLength()).isEqualTo(payload.length);
  }
}
