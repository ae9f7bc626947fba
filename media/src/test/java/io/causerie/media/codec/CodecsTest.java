package io.causerie.media.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CodecsTest {
  @ParameterizedTest
  @CsvSource({
    "opus, opus, 111, 48000, 960, true",
    "OPUS, opus, 111, 48000, 960, true",
    "pcmu, pcmu, 0, 8000, 160, false",
    "pcma, pcma, 8, 8000, 160, false",
  })
  void createsByName(String query, String name, int pt, int rate, int frame, boolean fec) {
    AudioCodec c = Codecs.byName(query);
    assertThat(c.name()).isEqualTo(name);
    assertThat(c.payloadType()).isEqualTo(pt);
    assertThat(c.sampleRateHz()).isEqualTo(rate);
    assertThat(c.frameSamples()).isEqualTo(frame);
    assertThat(c.frameMillis()).isEqualTo(20);
    assertThat(c.supportsFec()).isEqualTo(fec);
    assertThat(c).isNotSameAs(Codecs.byName(query));
  }

  @org.junit.jupiter.api.Test
  void rejectsUnknownNames() {
    assertThatThrownBy(() -> Codecs.byName("g729")).isInstanceOf(IllegalArgumentException.class);
  }
}
