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

  @org.junit.jupiter.api.Test
  void redundancyIsOfferedAsACodecOfItsOwnBeforeOpus() {
    assertThat(Codecs.withRedundancy(java.util.List.of("opus", "pcmu", "pcma"), true))
        .containsExactly("opus+red", "opus", "pcmu", "pcma");
    assertThat(Codecs.withRedundancy(java.util.List.of("pcmu", "opus"), true))
        .containsExactly("pcmu", "opus+red", "opus");
    assertThat(Codecs.withRedundancy(java.util.List.of("opus", "pcmu"), false)).containsExactly("opus", "pcmu");
    assertThat(Codecs.byName("opus+red")).isInstanceOf(OpusCodec.class);
    assertThat(Codecs.baseName("opus+red")).isEqualTo("opus");
    assertThat(Codecs.baseName("pcmu")).isEqualTo("pcmu");
    assertThat(Codecs.hasRedundancy("opus+red")).isTrue();
    assertThat(Codecs.hasRedundancy("opus")).isFalse();
    assertThat(Codecs.hasRedundancy(null)).isFalse();
  }

  @org.junit.jupiter.api.Test
  void aCalleePicksTheFirstOfferedItKnows() {
    java.util.List<String> newClient = Codecs.withRedundancy(Codecs.NAMES, true);
    java.util.List<String> oldClient = Codecs.NAMES;
    // What SignallingClient does when answering: the caller's first codec the callee supports.
    java.util.function.BiFunction<java.util.List<String>, java.util.List<String>, String> pick =
        (offer, ours) -> offer.stream().filter(ours::contains).findFirst().orElse(null);
    assertThat(pick.apply(newClient, newClient)).isEqualTo("opus+red");
    assertThat(pick.apply(newClient, oldClient)).as("new caller, old callee").isEqualTo("opus");
    assertThat(pick.apply(oldClient, newClient)).as("old caller, new callee").isEqualTo("opus");
  }
}
