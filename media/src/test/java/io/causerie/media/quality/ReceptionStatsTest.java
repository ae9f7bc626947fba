package io.causerie.media.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.causerie.media.rtp.SequenceTracker;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReceptionStatsTest {
  private static final long FRAME_NANOS = 20_000_000L;

  @Test
  void steadyStreamHasNoJitterAndNoLoss() {
    ReceptionStats s = new ReceptionStats(8000);
    for (int i = 0; i < 100; i++) {
      s.onPacket(i, 160L * i, 5_000_000L + i * FRAME_NANOS);
    }
    assertThat(s.jitterTimestampUnits()).isCloseTo(0, within(1e-6));
    assertThat(s.cumulativeLost()).isZero();
    assertThat(s.takeIntervalFractionLost()).isZero();
    assertThat(s.burstRatio()).isEqualTo(1.0);
  }

  @Test
  void alternatingDelayConvergesToTheRfcEstimate() {
    // Transit alternates 0 / 10 ms: |D| = 10 ms = 80 ticks at 8 kHz every packet, so J -> 80.
    ReceptionStats s = new ReceptionStats(8000);
    for (int i = 0; i < 500; i++) {
      long arrival = i * FRAME_NANOS + (i % 2 == 0 ? 0 : 10_000_000L);
      s.onPacket(i, 160L * i, arrival);
    }
    assertThat(s.jitterTimestampUnits()).isCloseTo(80, within(0.5));
    assertThat(s.jitterMillis()).isCloseTo(10, within(0.1));
  }

  @Test
  void jitterIgnoresTimestampWrap() {
    ReceptionStats s = new ReceptionStats(48000);
    long ts = 0xFFFF_FFFFL - 960 * 10;
    for (int i = 0; i < 50; i++) {
      s.onPacket(i, (ts + 960L * i) & 0xFFFF_FFFFL, i * FRAME_NANOS);
    }
    assertThat(s.jitterTimestampUnits()).isCloseTo(0, within(1e-6));
  }

  @Test
  void countsLossIntervalsAndBurstiness() {
    ReceptionStats random = new ReceptionStats(8000, new SequenceTracker(1));
    ReceptionStats bursty = new ReceptionStats(8000, new SequenceTracker(1));
    for (int i = 0; i < 1000; i++) {
      if (i % 10 != 5) { // 10 % isolated losses
        random.onPacket(i, 160L * i, i * FRAME_NANOS);
      }
      if (i % 50 >= 5 || i < 5) { // 10 % lost in runs of 5
        bursty.onPacket(i, 160L * i, i * FRAME_NANOS);
      }
    }
    assertThat(random.cumulativeLossPercent()).isCloseTo(10, within(0.2));
    assertThat(bursty.cumulativeLossPercent()).isCloseTo(10, within(0.6));
    assertThat(random.burstRatio()).isCloseTo(0.9, within(0.05)); // runs of 1 vs 1/(1-p)
    assertThat(bursty.burstRatio()).isCloseTo(4.5, within(0.1)); // runs of 5 vs 1/(1-p)
    assertThat(random.takeIntervalFractionLost()).isCloseTo(25, within(1));
    assertThat(random.takeIntervalFractionLost()).isZero();
  }

  @Test
  void buildsAReportAndRollsTheInterval() {
    ReceptionStats s = new ReceptionStats(8000, new SequenceTracker(1));
    Random r = new Random(1);
    for (int i = 0; i < 200; i++) {
      if (i % 4 != 1) {
        s.onPacket(65_500 + i, 160L * i, i * FRAME_NANOS + r.nextInt(3_000_000));
      }
    }
    QualityReport report = s.report(7, 9, 0, 0);
    assertThat(report.reporterSsrc()).isEqualTo(7);
    assertThat(report.sourceSsrc()).isEqualTo(9);
    assertThat(report.fractionLost()).isEqualTo(64); // 25 %
    assertThat(report.cumulativeLost()).isEqualTo(50);
    assertThat(report.extendedHighestSeq()).isEqualTo(65_500L + 199);
    assertThat(report.jitter()).isPositive();
    assertThat(s.report(7, 9, 0, 0).fractionLost()).isZero();
  }

  @Test
  void probationPacketsAreNotCounted() {
    ReceptionStats s = new ReceptionStats(8000);
    assertThat(s.onPacket(10, 0, 0)).isFalse();
    assertThat(s.onPacket(11, 160, FRAME_NANOS)).isTrue();
    assertThat(s.received()).isEqualTo(1);
  }
}
