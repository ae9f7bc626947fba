package io.causerie.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void buildsNestedObjects() {
    String s = Json.object().put("a", "x\"y\n").put("n", 3).put("d", 0.1250).put("big", 1e6).put("nan", Double.NaN)
        .put("t", true).put("none", (String) null).put("o", Json.object().put("k", 1))
        .putObjects("list", List.of(Json.object().put("i", 1), Json.object())).putLongs("ls", List.of(1L, 2L))
        .toString();
    assertThat(s).isEqualTo("{\"a\":\"x\\\"y\\n\",\"n\":3,\"d\":0.125,\"big\":1000000,\"nan\":null,\"t\":true,"
        + "\"none\":null,\"o\":{\"k\":1},\"list\":[{\"i\":1},{}],\"ls\":[1,2]}");
  }

  @Test
  void numbersAreLocaleIndependentAndTrimmed() {
    assertThat(Json.number(2.0)).isEqualTo("2");
    assertThat(Json.number(-0.0001)).isEqualTo("0");
    assertThat(Json.number(12.3456)).isEqualTo("12.346");
    assertThat(Json.object().put("c", "\u0001").toString()).isEqualTo("{\"c\":\"\\u0001\"}");
  }
}
