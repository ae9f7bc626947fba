package io.causerie.media.quality;

import static org.assertj.core.api.Assertions.assertThat;

import io.causerie.media.codec.OpusCodec;
import io.causerie.media.quality.FecController.Decision;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FecControllerTest {
  @ParameterizedTest(name = "reports {0} -> fec {1}, expected loss {2}")
  @CsvSource(delimiter = ';', value = {
    // loss percentages in successive reports; final FEC state; final expected loss
    "0 0 0; false; 0",
    "1 1 1; false; 0",
    "3; true; 5",
    "12; true; 12",
    "40; true; 25",
    "10 0; true; 7",
    "10 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0; false; 0",
    "3 0.4 0.4 1 0.4 0.4; true; 5",
  })
  void decides(String reports, boolean fec, int expected) {
    FecController c = new FecController();
    Decision d = null;
    for (String r : reports.trim().split("\\s+")) {
      d = c.onLossPercent(Double.parseDouble(r));
    }
    assertThat(d).isEqualTo(new Decision(fec, expected));
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
    OpusCodec opus = new OpusCodec();
    c.applyTo(opus);
    assertThat(opus.fecEnabled()).isTrue();
    assertThat(opus.expectedLossPercent()).isEqualTo(11);
    assertThat(c.current()).isSameAs(d);
  }

  @Test
  void acceptsAReport() {
    FecController c = new FecController();
    QualityReport r = new QualityReport(1, 2, 128, 10, 100, 0, 0, 0);
    assertThat(c.onReport(r)).isEqualTo(new Decision(true, 25));
  }
}
