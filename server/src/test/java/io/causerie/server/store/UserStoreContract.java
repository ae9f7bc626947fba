package io.causerie.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.causerie.protocol.scram.ScramCredential;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What every {@link UserStore} must do; subclasses supply the store. */
abstract class UserStoreContract {
  static final long NOW_MILLIS = 1_700_000_000_000L;
  static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(NOW_MILLIS), ZoneOffset.UTC);
  static final ScramCredential ALICE_PW =
      ScramCredential.derive("alice's password".toCharArray(), "salt-of-alice-16".getBytes(StandardCharsets.US_ASCII), 4096);
  static final ScramCredential BOB_PW =
      ScramCredential.derive("bob's password".toCharArray(), "salt-of-bob--16b".getBytes(StandardCharsets.US_ASCII), 4096);

  /** The store under test, empty at the start of each test. */
  abstract UserStore store();

  @Test
  void addedUsersCanBeFound() {
    User added = store().add("alice", ALICE_PW, "192.168.10.7/24");
    assertThat(added.name()).isEqualTo("alice");
    assertThat(added.credential()).isEqualTo(ALICE_PW);
    assertThat(added.allowedCidr()).isEqualTo("192.168.10.0/24");
    assertThat(added.lastSeenIp()).isNull();
    assertThat(added.createdAtMillis()).isEqualTo(NOW_MILLIS);
    assertThat(store().find("alice")).contains(added);
  }

  @Test
  void unknownNamesAreEmptyAndNamesAreCaseSensitive() {
    store().add("alice", ALICE_PW, null);
    assertThat(store().find("bob")).isEmpty();
    assertThat(store().find("Alice")).isEmpty();
    assertThat(store().find("alice").orElseThrow().allowedCidr()).isNull();
  }

  @Test
  void duplicateNamesAreRefused() {
    store().add("alice", ALICE_PW, null);
    assertThatThrownBy(() -> store().add("alice", BOB_PW, null))
        .isInstanceOf(DuplicateUserException.class)
        .hasMessage("user 'alice' already exists");
    assertThat(store().find("alice").orElseThrow().credential()).isEqualTo(ALICE_PW);
  }

  @Test
  void idsAreDistinct() {
    long a = store().add("alice", ALICE_PW, null).id();
    long b = store().add("bob", BOB_PW, null).id();
    assertThat(a).isPositive();
    assertThat(b).isPositive().isNotEqualTo(a);
  }

  @Test
  void listIsOrderedByName() {
    store().add("carol", ALICE_PW, null);
    store().add("alice", ALICE_PW, null);
    store().add("bob", BOB_PW, "::1");
    List<User> users = store().list();
    assertThat(users).extracting(User::name).containsExactly("alice", "bob", "carol");
    assertThat(users.get(1).allowedCidr()).isEqualTo("::1/128");
  }

  @Test
  void namesMatchTheList() {
    store().add("carol", ALICE_PW, null);
    store().add("alice", ALICE_PW, null);
    assertThat(store().names()).containsExactly("alice", "carol");
  }

  @Test
  void listOfAnEmptyStoreIsEmpty() {
    assertThat(store().list()).isEmpty();
  }

  @Test
  void credentialsCanBeReplaced() {
    store().add("alice", ALICE_PW, "10.0.0.5");
    assertThat(store().updateCredential("alice", BOB_PW)).isTrue();
    User alice = store().find("alice").orElseThrow();
    assertThat(alice.credential()).isEqualTo(BOB_PW);
    assertThat(alice.allowedCidr()).isEqualTo("10.0.0.5/32");
    assertThat(store().updateCredential("nobody", BOB_PW)).isFalse();
  }

  @Test
  void usersCanBeDeletedAndTheNameReused() {
    store().add("alice", ALICE_PW, null);
    assertThat(store().delete("alice")).isTrue();
    assertThat(store().find("alice")).isEmpty();
    assertThat(store().delete("alice")).isFalse();
    store().add("alice", BOB_PW, null);
    assertThat(store().find("alice").orElseThrow().credential()).isEqualTo(BOB_PW);
  }

  @Test
  void lastSeenIsRecorded() {
    store().add("alice", ALICE_PW, null);
    store().recordLastSeen("alice", "192.0.2.7");
    assertThat(store().find("alice").orElseThrow().lastSeenIp()).isEqualTo("192.0.2.7");
    store().recordLastSeen("alice", "2001:db8::7");
    assertThat(store().find("alice").orElseThrow().lastSeenIp()).isEqualTo("2001:db8::7");
    store().recordLastSeen("nobody", "192.0.2.8");
    assertThat(store().find("nobody")).isEmpty();
  }

  @Test
  void severalLastSeenAreRecordedTogether() {
    store().add("alice", ALICE_PW, null);
    store().add("bob", BOB_PW, null);
    java.util.Map<String, String> seen = new java.util.LinkedHashMap<>();
    seen.put("alice", "192.0.2.7");
    seen.put("nobody", "192.0.2.8");
    seen.put("bob", "2001:db8::7");
    store().recordLastSeen(seen);
    assertThat(store().find("alice").orElseThrow().lastSeenIp()).isEqualTo("192.0.2.7");
    assertThat(store().find("bob").orElseThrow().lastSeenIp()).isEqualTo("2001:db8::7");
    assertThat(store().find("nobody")).isEmpty();
    store().recordLastSeen(java.util.Map.of());
  }

  @Test
  void badNamesAndRangesAreRefusedAndNothingIsStored() {
    assertThatThrownBy(() -> store().add("-alice", ALICE_PW, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must start with a letter or digit");
    assertThatThrownBy(() -> store().add("alice", ALICE_PW, "192.168.300.0/24"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("300");
    assertThat(store().list()).isEmpty();
  }
}
