package io.causerie.media.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MosEstimatorTest {
  @Test
  void losslessG711ScoresAboutFourPointFour() {
    MosEstimator.Estimate e = MosEstimator.estimate(CodecImpairment.G711_PLC, 0, 0, 1);
    assertThat(e.rFactor()).isCloseTo(93.2, within(1e-9));
    assertThat(e.mos()).isCloseTo(4.41, within(0.01));
  }

  @ParameterizedTest(name = "R={0} -> MOS {1}")
  @CsvSource({
    "-5, 1.0",
    "0, 1.0",
    "50, 2.58",
    "60, 3.10",
    "70, 3.60",
    "80, 4.02",
    "90, 4.34",
    "100, 4.5",
    "120, 4.5",
  })
  void g107MosMapping(double r, double mos) {
    assertThat(MosEstimator.mosFromR(r)).isCloseTo(mos, within(0.01));
  }

  @ParameterizedTest(name = "{0} ms -> Id {1}")
  @CsvSource({
    "0, 0",
    "100, 2.4",
    "177.3, 4.2552",
    "200, 7.297",
    "400, 34.097",
  })
  void delayImpairment(double delayMillis, double id) {
    assertThat(MosEstimator.delayImpairment(delayMillis)).isCloseTo(id, within(0.001));
  }

  @ParameterizedTest(name = "{0}% loss, BurstR {1}: Ie,eff {2}")
  @CsvSource({
    // G.711 with PLC: Ie=0, Bpl=25.1 -> Ie,eff = 95 * P / (P / BurstR + 25.1)
    "0, 1, 0",
    "1, 1, 3.6398",
    "5, 1, 15.7807",
    "5, 2, 17.2101",
    "20, 1, 42.1286",
  })
  void effectiveEquipmentImpairment(double loss, double burst, double ie) {
    assertThat(MosEstimator.effectiveEquipmentImpairment(CodecImpairment.G711_PLC, loss, burst))
        .isCloseTo(ie, within(0.001));
  }

  @Test
  void concealmentAndCodecChoiceRankAsExpected() {
    double withPlc = MosEstimator.mos(CodecImpairment.G711_PLC, 50, 3, 1);
    double withoutPlc = MosEstimator.mos(CodecImpairment.G711_NO_PLC, 50, 3, 1);
    assertThat(withPlc).isGreaterThan(withoutPlc);
    assertThat(MosEstimator.mos(CodecImpairment.OPUS_24K, 50, 0, 1))
        .isLessThan(MosEstimator.mos(CodecImpairment.G711_PLC, 50, 0, 1));
    assertThat(CodecImpairment.forCodec("opus")).isEqualTo(CodecImpairment.OPUS_24K);
    assertThat(CodecImpairment.forCodec("PCMA")).isEqualTo(CodecImpairment.G711_PLC);
  }

  @Property
  void moreLossNeverRaisesMos(
      @ForAll @DoubleRange(min = 0, max = 100) double a,
      @ForAll @DoubleRange(min = 0, max = 100) double b,
      @ForAll @DoubleRange(min = 0, max = 500) double delay,
      @ForAll @DoubleRange(min = 0.5, max = 4) double burst) {
    double lo = Math.min(a, b);
    double hi = Math.max(a, b);
    for (CodecImpairment c : new CodecImpairment[] {
        CodecImpairment.G711_PLC, CodecImpairment.G711_NO_PLC, CodecImpairment.OPUS_24K}) {
      assertThat(MosEstimator.mos(c, delay, hi, burst))
          .isLessThanOrEqualTo(MosEstimator.mos(c, delay, lo, burst));
    }
  }

  @Property
  void moreDelayNeverRaisesMos(
      @ForAll @DoubleRange(min = 0, max = 800) double a,
      @ForAll @DoubleRange(min = 0, max = 800) double b,
      @ForAll @DoubleRange(min = 0, max = 30) double loss) {
    assertThat(MosEstimator.mos(CodecImpairment.G711_PLC, Math.max(a, b), loss, 1))
        .isLessThanOrEqualTo(MosEstimator.mos(CodecImpairment.G711_PLC, Math.min(a, b), loss, 1));
  }

  @Property
  void mosIsMonotonicInRAndBounded(
      @ForAll @DoubleRange(min = -50, max = 150) double a,
      @ForAll @DoubleRange(min = -50, max = 150) double b) {
    double lo = MosEstimator.mosFromR(Math.min(a, b));
    double hi = MosEstimator.mosFromR(Math.max(a, b));
    assertThat(lo).isLessThanOrEqualTo(hi).isBetween(1.0, 4.5);
    assertThat(hi).isBetween(1.0, 4.5);
  }

  @Test
  void burstyLossHurtsMoreThanRandomLoss() {
    assertThat(MosEstimator.mos(CodecImpairment.G711_PLC, 50, 5, 2))
        .isLessThan(MosEstimator.mos(CodecImpairment.G711_PLC, 50, 5, 1));
  }
}
