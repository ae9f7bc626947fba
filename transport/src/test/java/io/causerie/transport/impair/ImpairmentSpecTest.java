package io.causerie.transport.impair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImpairmentSpecTest {

  @Test
  void parsesEveryKey() {
    ImpairmentSpec spec =
        ImpairmentSpec.parse("loss=20,burst=4,jitter=30,reorder=5,dup=1.5,seed=42,delay=50");

    assertThat(spec.lossPercent()).isEqualTo(20);
    assertThat(spec.burstLength()).isEqualTo(4);
    assertThat(spec.jitterMillis()).isEqualTo(30);
    assertThat(spec.reorderPercent()).isEqualTo(5);
    assertThat(spec.duplicatePercent()).isEqualTo(1.5);
    assertThat(spec.seed()).isEqualTo(42);
    assertThat(spec.delayMillis()).isEqualTo(50);
    assertThat(spec.isNone()).isFalse();
  }

  @Test
  void acceptsAnySubsetInAnyOrderWithSpaces() {
    ImpairmentSpec spec = ImpairmentSpec.parse(" seed=7 , dup=3,loss = 0.25 ");

    assertThat(spec)
        .isEqualTo(new ImpairmentSpec(0.25, 0, 0, 0, 0, 3, 7));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "off", "OFF"})
  void emptyOrOffMeansNoImpairment(String text) {
    assertThat(ImpairmentSpec.parse(text)).isEqualTo(ImpairmentSpec.NONE);
    assertThat(ImpairmentSpec.parse(text).isNone()).isTrue();
  }

  @Test
  void noImpairmentPrintsOff() {
    assertThat(ImpairmentSpec.NONE).hasToString("off");
    assertThat(ImpairmentSpec.parse("loss=0,seed=0")).hasToString("off");
  }

  @Test
  void aSeedAloneIsStillNoImpairment() {
    ImpairmentSpec spec = ImpairmentSpec.parse("seed=9");

    assertThat(spec.isNone()).isTrue();
    assertThat(spec).hasToString("seed=9");
  }

  @Test
  void toStringPrintsTheSyntaxInCanonicalOrder() {
    ImpairmentSpec spec =
        ImpairmentSpec.parse("seed=42,delay=50,dup=1.5,reorder=5,jitter=30,burst=4,loss=20");

    assertThat(spec).hasToString("loss=20,burst=4,delay=50,jitter=30,reorder=5,dup=1.5,seed=42");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "loss=20",
        "loss=12.5,burst=2.5",
        "delay=120,jitter=0.5",
        "reorder=100,dup=100,seed=9223372036854775807",
        "loss=100,burst=3",
        "loss=50,burst=1"
      })
  void toStringRoundTrips(String text) {
    ImpairmentSpec spec = ImpairmentSpec.parse(text);

    assertThat(spec).hasToString(text);
    assertThat(ImpairmentSpec.parse(spec.toString())).isEqualTo(spec);
  }

  @Test
  void negativeZeroEqualsZero() {
    assertThat(ImpairmentSpec.parse("loss=-0")).isEqualTo(ImpairmentSpec.NONE);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "bogus=1            | bogus   | 1",
        "loss=101           | loss    | 101",
        "loss=-1            | loss    | -1",
        "reorder=100.5      | reorder | 100.5",
        "dup=250            | dup     | 250",
        "jitter=-5          | jitter  | -5",
        "delay=-0.5         | delay   | -0.5",
        "delay=60001        | delay   | 60001",
        "loss=abc           | loss    | abc",
        "loss=NaN           | loss    | NaN",
        "loss=1e3           | loss    | 1e3",
        "loss=             | loss    | ''",
        "seed=-3            | seed    | -3",
        "seed=1.5           | seed    | 1.5",
        "seed=99999999999999999999 | seed | 99999999999999999999",
        "burst=0.5          | burst   | 0.5",
        "loss=80,burst=2    | burst   | 2",
        "loss=1,loss=2      | loss    | 2",
        "loss               | loss    | ''",
        "loss=5,            | ''      | ''"
      })
  void rejectsBadInputNamingKeyValueAndValidKeys(String text, String key, String value) {
    assertThatThrownBy(() -> ImpairmentSpec.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(key)
        .hasMessageContaining(value)
        .hasMessageContainingAll("loss", "burst", "jitter", "delay", "reorder", "dup", "seed");
  }

  @Test
  void unknownKeyMessageNamesTheKeyAndTheValue() {
    assertThatThrownBy(() -> ImpairmentSpec.parse("loss=5,lost=7"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'lost'")
        .hasMessageContaining("'7'")
        .hasMessageContaining("valid keys: loss, burst, delay, jitter, reorder, dup, seed");
  }

  @Test
  void burstMustBeFeasibleForTheLossRate() {
    assertThat(ImpairmentSpec.parse("loss=80,burst=4").burstLength()).isEqualTo(4);
    assertThatThrownBy(() -> ImpairmentSpec.parse("loss=80,burst=3.9"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("burst=3.9")
        .hasMessageContaining("at least 4");
  }

  @Test
  void constructorValidatesLikeParse() {
    assertThatThrownBy(() -> new ImpairmentSpec(0, 0, 0, 0, 0, 0, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("seed=-1");
    assertThatThrownBy(() -> new ImpairmentSpec(Double.NaN, 0, 0, 0, 0, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("loss=NaN");
  }

  @Test
  void withSeedChangesOnlyTheSeed() {
    ImpairmentSpec spec = ImpairmentSpec.parse("loss=3,jitter=7");

    assertThat(spec.withSeed(11)).isEqualTo(ImpairmentSpec.parse("loss=3,jitter=7,seed=11"));
  }
}
