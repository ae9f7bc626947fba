package io.causerie.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QualityGradeTest {
  private static final double N = Double.NaN;

  @ParameterizedTest(name = "mos={0} loss={1} jitter={2} rtt={3} jb={4} -> {5}")
  @CsvSource(nullValues = "none", value = {
    // MOS bands
    "4.4, 0, 2, 40, 40, GOOD",
    "4.0, 0, 2, 40, 40, GOOD",
    "3.99, 0, 2, 40, 40, FAIR",
    "3.6, 0, 2, 40, 40, FAIR",
    "3.59, 0, 2, 40, 40, POOR",
    // loss only makes it worse
    "4.4, 2.0, 2, 40, 40, GOOD",
    "4.4, 2.1, 2, 40, 40, FAIR",
    "4.4, 8.0, 2, 40, 40, FAIR",
    "4.4, 8.1, 2, 40, 40, POOR",
    // jitter
    "4.4, 0, 30, 40, 40, GOOD",
    "4.4, 0, 31, 40, 40, FAIR",
    "4.4, 0, 61, 40, 40, POOR",
    // one-way delay = rtt/2 + jitter buffer
    "4.4, 0, 2, 200, 50, GOOD",
    "4.4, 0, 2, 200, 51, FAIR",
    "4.4, 0, 2, 600, 100, FAIR",
    "4.4, 0, 2, 600, 101, POOR",
    // a poor MOS is not rescued by good figures
    "3.0, 0, 0, 10, 20, POOR",
  })
  void grades(double mos, double loss, double jitter, double rtt, double jb, QualityGrade expected) {
    assertThat(QualityGrade.of(new CallQuality(mos, loss, jitter, rtt, jb))).isEqualTo(expected);
  }

  @Test
  void unknownFiguresAreIgnored() {
    assertThat(QualityGrade.of(null)).isNull();
    assertThat(QualityGrade.of(CallQuality.UNKNOWN)).isNull();
    assertThat(QualityGrade.of(new CallQuality(N, 9, N, N, N))).isEqualTo(QualityGrade.POOR);
    assertThat(QualityGrade.of(new CallQuality(N, N, N, 100, N))).isEqualTo(QualityGrade.GOOD);
    assertThat(QualityGrade.of(new CallQuality(-1, N, N, N, N))).isNull();
  }

  @Test
  void oneWayDelayUsesWhatIsKnown() {
    assertThat(QualityGrade.oneWayMillis(new CallQuality(N, N, N, 100, 60))).isEqualTo(110);
    assertThat(QualityGrade.oneWayMillis(new CallQuality(N, N, N, 100, N))).isEqualTo(50);
    assertThat(QualityGrade.oneWayMillis(new CallQuality(N, N, N, N, 60))).isEqualTo(60);
    assertThat(QualityGrade.oneWayMillis(CallQuality.UNKNOWN)).isNaN();
  }
}
