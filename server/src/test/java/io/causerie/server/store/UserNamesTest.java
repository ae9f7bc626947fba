package io.causerie.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UserNamesTest {
  @ParameterizedTest
  @ValueSource(strings = {"alice", "Bob", "7seas", "a", "jean-luc.picard_2", "abcdefghijklmnopqrstuvwxyz012345"})
  void validNames(String name) {
    assertThat(UserNames.validate(name)).isEqualTo(name);
    assertThat(UserNames.isValid(name)).isTrue();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "''                                  | must not be empty",
      "abcdefghijklmnopqrstuvwxyz0123456   | 33 characters long; the limit is 32",
      "-alice                              | must start with a letter or digit",
      ".alice                              | must start with a letter or digit",
      "_alice                              | must start with a letter or digit",
      "ali ce                              | a space",
      "alice@home                          | '@'",
      "al,ice                              | ','",
      "élodie                              | must start with a letter or digit",
      "zoë                                 | 'ë'",
  })
  void invalidNamesAreExplained(String name, String fragment) {
    assertThatThrownBy(() -> UserNames.validate(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(fragment);
    assertThat(UserNames.isValid(name)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"bad\u0000name", "tab\tname"})
  void controlCharactersAreNamedNotPrinted(String name) {
    assertThatThrownBy(() -> UserNames.validate(name))
        .hasMessageContaining("control character")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\u0000").doesNotContain("\t"));
  }
}
