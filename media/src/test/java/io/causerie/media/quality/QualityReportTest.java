package io.causerie.media.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class QualityReportTest {
  private static final QualityReport SAMPLE = new QualityReport(
      0x11223344, 0xCAFEBABE, 64, -3, 0x0001_0005L, 123, 0xABCD_1234L, 0x0002_8000L);

  @Test
  void encodesAsAnRtcpReceiverReport() {
    assertThat(HexFormat.of().formatHex(SAMPLE.toBytes())).isEqualTo(
        "81c90007" + "11223344" + "cafebabe" + "40fffffd" + "00010005" + "0000007b"
            + "abcd1234" + "00028000");
  }

  @Test
  void roundTrips() throws Exception {
    byte[] buf = new byte[40];
    assertThat(SAMPLE.encode(buf, 5)).isEqualTo(32);
    assertThat(QualityReport.decode(buf, 5, 32)).isEqualTo(SAMPLE);
    assertThat(SAMPLE.fractionLostPercent()).isEqualTo(25.0);
  }

  @Property(tries = 500)
  void anyValidReportRoundTrips(
      @ForAll int reporter, @ForAll int source,
      @ForAll @IntRange(min = 0, max = 255) int fraction,
      @ForAll @IntRange(min = -(1 << 23), max = (1 << 23) - 1) int cumulative,
      @ForAll @LongRange(min = 0, max = 0xFFFF_FFFFL) long highest,
      @ForAll @LongRange(min = 0, max = 0xFFFF_FFFFL) long jitter,
      @ForAll @LongRange(min = 0, max = 0xFFFF_FFFFL) long lsr,
      @ForAll @LongRange(min = 0, max = 0xFFFF_FFFFL) long dlsr) throws Exception {
    QualityReport r = new QualityReport(reporter, source, fraction, cumulative, highest, jitter,
        lsr, dlsr);
    assertThat(QualityReport.decode(r.toBytes())).isEqualTo(r);
  }

  static Stream<Arguments> malformed() {
    String good = HexFormat.of().formatHex(SAMPLE.toBytes());
    return Stream.of(
        Arguments.of("empty", ""),
        Arguments.of("truncated", good.substring(0, 62)),
        Arguments.of("trailing byte", good + "00"),
        Arguments.of("version 1", "41" + good.substring(2)),
        Arguments.of("padding bit", "a1" + good.substring(2)),
        Arguments.of("two report blocks", "82" + good.substring(2)),
        Arguments.of("sender report type", "81c8" + good.substring(4)),
        Arguments.of("wrong length field", "81c90008" + good.substring(8)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void rejectsMalformedInput(String name, String hex) {
    byte[] bytes = HexFormat.of().parseHex(hex);
    assertThatThrownBy(() -> QualityReport.decode(bytes))
        .isInstanceOf(QualityReportFormatException.class);
  }

  @Property(tries = 2000)
  void arbitraryBytesOnlyThrowTheFormatException(@ForAll @Size(max = 40) byte[] bytes) {
    try {
      QualityReport.decode(bytes);
      assertThat(bytes).hasSize(32);
    } catch (QualityReportFormatException expected) {
      // the only allowed failure
    }
  }

  @Test
  void rejectsOutOfRangeFields() {
    assertThatThrownBy(() -> new QualityReport(0, 0, 256, 0, 0, 0, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new QualityReport(0, 0, 0, 1 << 23, 0, 0, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new QualityReport(0, 0, 0, 0, 1L << 32, 0, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(QualityReport.clampCumulativeLost(1L << 40)).isEqualTo((1 << 23) - 1);
    assertThat(QualityReport.clampCumulativeLost(-(1L << 40))).isEqualTo(-(1 << 23));
  }

  @Test
  void computesRoundTripTimeAsInRfc3550() {
    // SR sent at t = 10 s; the peer held it 250 ms; the report arrives at t = 10.4 s.
    long lsr = CompactNtp.fromNanos(10_000_000_000L);
    long dlsr = CompactNtp.durationFromNanos(250_000_000L);
    QualityReport r = new QualityReport(1, 2, 0, 0, 0, 0, lsr, dlsr);
    assertThat(r.roundTripMillis(CompactNtp.fromNanos(10_400_000_000L)))
        .isCloseTo(150.0, org.assertj.core.data.Offset.offset(0.1));
    QualityReport noSr = new QualityReport(1, 2, 0, 0, 0, 0, 0, 0);
    assertThat(noSr.roundTripMillis(12345)).isEqualTo(-1);
  }

  @Test
  void roundTripSurvivesTheCompactNtpWrap() {
    long sentNanos = 65_535L * 1_000_000_000L + 900_000_000L; // just before the 16-bit seconds wrap
    long lsr = CompactNtp.fromNanos(sentNanos);
    long dlsr = CompactNtp.durationFromNanos(100_000_000L);
    QualityReport r = new QualityReport(1, 2, 0, 0, 0, 0, lsr, dlsr);
    assertThat(r.roundTripMillis(CompactNtp.fromNanos(sentNanos + 300_000_000L)))
        .isCloseTo(200.0, org.assertj.core.data.Offset.offset(0.1));
  }
}
