package io.causerie.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SequenceNumbersTest {
  @ParameterizedTest
  @CsvSource({
    // a, b, expected sign of compare(a, b)
    "1, 0, 1",
    "0, 1, -1",
    "5, 5, 0",
    "0, 65535, 1",
    "65535, 0, -1",
    "10, 65530, 1",
    "32767, 0, 1",
    "32768, 0, -1",
    "100, 40000, 1",
  })
  void comparesAcrossTheWrap(int a, int b, int sign) {
    assertThat(SequenceNumbers.compare(a, b)).isEqualTo(sign);
    assertThat(SequenceNumbers.isNewer(a, b)).isEqualTo(sign > 0);
  }

  @ParameterizedTest
  @CsvSource({
    "65535, 0, 1",
    "0, 65535, -1",
    "65000, 500, 1036",
    "7, 7, 0",
  })
  void deltaIsSigned16Bit(int from, int to, int delta) {
    assertThat(SequenceNumbers.delta(from, to)).isEqualTo(delta);
  }

  @ParameterizedTest
  @CsvSource({
    // reference extended, incoming 16-bit, expected extended
    "65535, 0, 65536",
    "65536, 65535, 65535",
    "131071, 2, 131074",
    "70000, 4464, 70000",
    "10, 65500, -36",
  })
  void extendsToTheNearestValue(long reference, int seq, long expected) {
    assertThat(SequenceNumbers.extend(reference, seq)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
    "4294967295, 0, 1",
    "0, 4294967295, -1",
    "4294966336, 960, 1920",
  })
  void timestampDeltaWraps(long from, long to, long delta) {
    assertThat(SequenceNumbers.timestampDelta(from, to)).isEqualTo(delta);
    assertThat(SequenceNumbers.extendTimestamp(from, to)).isEqualTo(from + delta);
  }

  @Property
  void nextIsAlwaysNewerByOne(@ForAll @IntRange(min = 0, max = 65535) int seq) {
    int next = SequenceNumbers.next(seq);
    assertThat(SequenceNumbers.compare(next, seq)).isPositive();
    assertThat(SequenceNumbers.delta(seq, next)).isEqualTo(1);
    assertThat(SequenceNumbers.add(next, -1)).isEqualTo(seq);
  }

  @Property
  void compareIsAntisymmetric(
      @ForAll @IntRange(min = 0, max = 65535) int a, @ForAll @IntRange(min = 0, max = 65535) int b) {
    if (Math.abs(SequenceNumbers.delta(a, b)) != 32768) {
      assertThat(SequenceNumbers.compare(a, b)).isEqualTo(-SequenceNumbers.compare(b, a));
    }
  }
}
