package io.causerie.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class FormatsTest {
  @Test
  void elapsed() {
    assertThat(Formats.elapsed(0)).isEqualTo("0:00");
    assertThat(Formats.elapsed(999)).isEqualTo("0:00");
    assertThat(Formats.elapsed(65_000)).isEqualTo("1:05");
    assertThat(Formats.elapsed(3_600_000 + 61_000)).isEqualTo("1:01:01");
    assertThat(Formats.elapsed(-5)).isEqualTo("0:00");
  }

  @Test
  void clockAndSentences() {
    assertThat(Formats.clock(0, ZoneId.of("UTC"))).isEqualTo("00:00");
    assertThat(Formats.clock(13 * 3_600_000L + 7 * 60_000L, ZoneId.of("Europe/Paris"))).isEqualTo("14:07");
    assertThat(Formats.sentence("no answer")).isEqualTo("No answer");
    assertThat(Formats.sentence("")).isEmpty();
    assertThat(Formats.sentence(null)).isEmpty();
  }
}
