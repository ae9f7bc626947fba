package io.causerie.media.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.causerie.media.codec.OpusCodec;
import io.causerie.media.quality.FecController.Decision;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FecControllerTest {
  private static final int BASE = FecController.BASE_BITRATE_BPS;
  private static final int FEC = FecController.FEC_BITRATE_BPS;
  private static final int HIGH = FecController.HIGH_LOSS_FEC_BITRATE_BPS;

  @ParameterizedTest(name = "reports {0} -> fec {1}, expected loss {2}, {3} bit/s")
  @CsvSource(delimiter = ';', value = {
    // loss percentages in successive reports; final FEC state; final expected loss; bitrate
    "0 0 0; false; 0; 24000",
    "1 1 1; false; 0; 24000",
    "3; true; 5; 32000",
    "9.9; true; 10; 32000",
    "10; true; 10; 40000",
    "12; true; 12; 40000",
    "40; true; 25; 40000",
    "10 0; true; 7; 40000",
    "10 0 0; true; 5; 32000",
    "10 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0; false; 0; 24000",
    "3 0.4 0.4 1 0.4 0.4; true; 5; 32000",
  })
  void decides(String reports, boolean fec, int expected, int bitrate) {
    FecController c = new FecController();
    Decision d = null;
    for (String r : reports.trim().split("\\s+")) {
      d = c.onLossPercent(Double.parseDouble(r));
    }
    assertThat(d).isEqualTo(new Decision(fec, expected, bitrate, fec));
  }

  @Test
  void constantsRaiseTheBitrateWithFec() {
    assertThat(BASE).isEqualTo(OpusCodec.Config.DEFAULT_BITRATE_BPS).isEqualTo(24_000);
    assertThat(FEC).isGreaterThan(BASE);
    assertThat(HIGH).isGreaterThan(FEC).isLessThanOrEqualTo(OpusCodec.MAX_BITRATE_BPS);
  }

  @Test
  void highLossBitrateHasHysteresis() {
    FecController c = new FecController();
    List<Integer> rates = new ArrayList<>();
    // Loss hovering around the high-loss threshold (10 %, left below 7 %): stays high.
    for (int i = 0; i < 20; i++) {
      rates.add(c.onLossPercent(i % 2 == 0 ? 10.5 : 8.0).bitrateBps());
    }
    assertThat(rates).containsOnly(HIGH);
    // Clear loss below the exit threshold: back to the moderate FEC bitrate, FEC still on.
    Decision d = c.onLossPercent(5);
    assertThat(d).isEqualTo(new Decision(true, 6, FEC, true));
    // 9 % does not re-enter the high tier from below; 10 % does.
    assertThat(c.onLossPercent(9).bitrateBps()).isEqualTo(FEC);
    assertThat(c.onLossPercent(10).bitrateBps()).isEqualTo(HIGH);
    // Loss gone: FEC off after the hold, and the bitrate back to the base with it.
    for (int i = 0; i < 30; i++) {
      d = c.onLossPercent(0);
    }
    assertThat(d).isEqualTo(new Decision(false, 0, BASE));
  }

  @Test
  void bitrateFollowsFecOnAndOff() {
    FecController c = new FecController();
    assertThat(c.current()).isEqualTo(new Decision(false, 0, BASE));
    assertThat(c.onLossPercent(1.9).bitrateBps()).isEqualTo(BASE);
    assertThat(c.onLossPercent(2.0)).isEqualTo(new Decision(true, 5, FEC, true));
  }

  @Test
  void redundancyHasItsOwnThresholdAndStopsWithFec() {
    FecController c = new FecController(FecController.Config.DEFAULTS.withRedundancyEnableLossPercent(4.0));
    Decision d = c.onLossPercent(3);
    assertThat(d.fecEnabled()).isTrue();
    assertThat(d.redundancy()).isFalse();
    d = c.onLossPercent(4);
    assertThat(d.redundancy()).isTrue();
    // Below the threshold again but FEC still on: copies keep coming until FEC stops.
    assertThat(c.onLossPercent(1).redundancy()).isTrue();
    for (int i = 0; i < 30; i++) {
      d = c.onLossPercent(0);
    }
    assertThat(d).isEqualTo(new Decision(false, 0, BASE, false));
    assertThat(new FecController().onLossPercent(2.0).redundancy()).isTrue();
    assertThatThrownBy(() -> FecController.Config.DEFAULTS.withRedundancyEnableLossPercent(1.0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsInconsistentHighLossThresholds() {
    assertThatThrownBy(() -> new FecController.Config(2.0, 0.5, 3, 0.7, 5, 25, 7.0, 10.0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new FecController.Config(2.0, 0.5, 3, 0.7, 5, 25, 10.0, 1.0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void hysteresisPreventsFlapping() {
    FecController c = new FecController();
    List<Boolean> states = new ArrayList<>();
    // Loss hovering around the thresholds: 2.5 %, 1 %, 2.5 %, 1 % ...
    for (int i = 0; i < 40; i++) {
      states.add(c.onLossPercent(i % 2 == 0 ? 2.5 : 1.0).fecEnabled());
    }
    assertThat(states).containsOnly(true);
  }

  @Test
  void switchesOnFromRtcpFractionAndAppliesToOpus() {
    FecController c = new FecController();
    assertThat(c.onFractionLost(0).fecEnabled()).isFalse();
    Decision d = c.onFractionLost(26); // 10.2 %
    assertThat(d.fecEnabled()).isTrue();
    assertThat(d.expectedLossPercent()).isEqualTo(11);
    assertThat(d.bitrateBps()).isEqualTo(HIGH);
    OpusCodec opus = new OpusCodec();
    c.applyTo(opus);
    assertThat(opus.bitrateBps()).isEqualTo(HIGH);
    assertThat(opus.fecEnabled()).isTrue();
    assertThat(opus.expectedLossPercent()).isEqualTo(11);
    assertThat(c.current()).isSameAs(d);
  }

  @Test
  void acceptsAReport() {
    FecController c = new FecController();
    QualityReport r = new QualityReport(1, 2, 128, 10, 100, 0, 0, 0);
    assertThat(c.onReport(r)).isEqualTo(new Decision(true, 25, HIGH, true));
  }
}
