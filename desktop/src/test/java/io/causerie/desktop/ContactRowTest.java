package io.causerie.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import io.causerie.protocol.PresenceState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContactRowTest {
  private static final Map<String, PresenceState> PRESENCE = Map.of(
      "alice", PresenceState.ONLINE,
      "Bob", PresenceState.OFFLINE,
      "carol", PresenceState.IN_CALL,
      "dave", PresenceState.ONLINE,
      "erin", PresenceState.OFFLINE,
      "Anna", PresenceState.ONLINE);

  @Test
  void onlineFirstThenInCallThenOfflineEachByNameIgnoringCase() {
    assertThat(ContactRow.list(PRESENCE, "alice", "")).extracting(ContactRow::name)
        .containsExactly("Anna", "dave", "carol", "Bob", "erin");
  }

  @Test
  void selfIsNotAContact() {
    assertThat(ContactRow.list(PRESENCE, "dave", null)).extracting(ContactRow::name).doesNotContain("dave");
  }

  @Test
  void filterMatchesAnyPartOfTheNameIgnoringCaseAndBlanks() {
    assertThat(ContactRow.list(PRESENCE, "alice", "  A ")).extracting(ContactRow::name)
        .containsExactly("Anna", "dave", "carol");
    assertThat(ContactRow.list(PRESENCE, "alice", "RIN")).extracting(ContactRow::name).containsExactly("erin");
    assertThat(ContactRow.list(PRESENCE, "alice", "zz")).isEmpty();
  }

  @Test
  void statusWords() {
    assertThat(List.of(PresenceState.values())).extracting(ContactRow::statusText)
        .containsExactly("Offline", "Online", "In a call");
  }
}
