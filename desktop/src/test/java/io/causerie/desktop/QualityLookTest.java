package io.causerie.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QualityLookTest {
  private static final double N = Double.NaN;

  @Test
  void noReportShowsADash() {
    QualityLook look = QualityLook.of(null);
    assertThat(look.text()).isEqualTo("\u2014");
    assertThat(look.grade()).isNull();
    assertThat(look.tooltip()).isEqualTo("Call quality: no reports yet");
    assertThat(QualityLook.of(CallQuality.UNKNOWN).text()).isEqualTo("\u2014");
  }

  @Test
  void goodReportListsEveryFigure() {
    QualityLook look = QualityLook.of(new CallQuality(4.32, 0.24, 4.4, 38, 60));
    assertThat(look.text()).isEqualTo("Good");
    assertThat(look.grade()).isEqualTo(QualityGrade.GOOD);
    assertThat(look.tooltip()).isEqualTo("<html>Call quality: Good<br>Estimated MOS 4.3 of 4.5<br>Packet loss 0.2 %"
        + "<br>Jitter 4 ms<br>Round trip 38 ms<br>Jitter buffer 60 ms</html>");
  }

  @Test
  void aWorseGradeSaysWhatLimitsIt() {
    QualityLook look = QualityLook.of(new CallQuality(4.2, 3.5, 45, 300, 80));
    assertThat(look.text()).isEqualTo("Fair");
    assertThat(look.tooltip()).contains("Packet loss 3.5 %").endsWith("Limited by packet loss, jitter, delay</html>");
    QualityLook poor = QualityLook.of(new CallQuality(3.2, 0, 2, 40, 40));
    assertThat(poor.text()).isEqualTo("Poor");
    assertThat(poor.tooltip()).endsWith("Limited by the estimated MOS</html>");
  }

  @Test
  void onlySomeFiguresKnown() {
    QualityLook look = QualityLook.of(new CallQuality(N, 12, N, N, N));
    assertThat(look.text()).isEqualTo("Poor");
    assertThat(look.tooltip()).isEqualTo("<html>Call quality: Poor<br>Packet loss 12.0 %<br>Limited by packet loss"
        + "</html>");
  }

  @Test
  void theBadgeShowsTheLook() {
    // The Swing badge only applies the look; it works without a display.
    QualityBadge badge = new QualityBadge();
    assertThat(badge.look().text()).isEqualTo("\u2014");
    badge.show(new CallQuality(3.8, 0, 2, 40, 40));
    assertThat(badge.look().grade()).isEqualTo(QualityGrade.FAIR);
    assertThat(badge.getToolTipText()).startsWith("<html>Call quality: Fair");
    assertThat(badge.getAccessibleContext().getAccessibleName()).isEqualTo("Call quality");
    assertThat(badge.getAccessibleContext().getAccessibleDescription()).isEqualTo("Call quality: Fair");
  }
}
