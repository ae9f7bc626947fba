package io.causerie.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PresencePartsTest {
  private static List<PresenceEntry> users(int n, String format) {
    return IntStream.range(0, n).mapToObj(i -> new PresenceEntry(String.format(format, i), PresenceState.ONLINE))
        .toList();
  }

  private static List<Integer> sizes(List<List<PresenceEntry>> parts) {
    return parts.stream().map(List::size).toList();
  }

  private static int encodedSize(List<PresenceEntry> part) {
    return MessageCodec.encode(new Message.Presence(1, 2, 3, true, true, part)).length;
  }

  @Test
  void anEmptyListIsOneEmptyPart() {
    assertThat(PresenceParts.BASIC.split(List.of())).containsExactly(List.of());
    assertThat(PresenceParts.PACKED.split(List.of())).containsExactly(List.of());
    assertThat(encodedSize(List.of())).isEqualTo(PresenceParts.PART_OVERHEAD_BYTES);
  }

  @Test
  void basicPartsHoldSixteenEntriesAsBefore() {
    assertThat(sizes(PresenceParts.BASIC.split(users(40, "user%02d")))).containsExactly(16, 16, 8);
    assertThat(sizes(PresenceParts.BASIC.split(users(16, "user%02d")))).containsExactly(16);
    assertThat(sizes(PresenceParts.BASIC.split(users(17, "user%02d")))).containsExactly(16, 1);
  }

  @Test
  void packedPartsFillTheByteBudget() {
    // 600 users of 6-byte names (8 bytes an entry): (1100 - 30) / 8 = 133 a part, 5 parts instead of 38.
    List<List<PresenceEntry>> parts = PresenceParts.PACKED.split(users(600, "u%05d"));
    assertThat(sizes(parts)).containsExactly(133, 133, 133, 133, 68);
    assertThat(encodedSize(parts.get(0))).isEqualTo(30 + 133 * 8).isLessThanOrEqualTo(ProtocolLimits.PACKED_PRESENCE_BYTES);
    assertThat(parts.stream().flatMap(List::stream).toList()).isEqualTo(users(600, "u%05d"));
    assertThat(sizes(PresenceParts.BASIC.split(users(600, "u%05d")))).hasSize(38);
  }

  @Test
  void aPartExactlyFullIsClosedAndOneByteLessMovesAnEntryOn() {
    List<PresenceEntry> twenty = users(20, "user%02d"); // 8 bytes an entry
    PresenceParts exact = new PresenceParts(ProtocolLimits.MAX_PRESENCE_ENTRIES, PresenceParts.PART_OVERHEAD_BYTES + 10 * 8);
    List<List<PresenceEntry>> parts = exact.split(twenty);
    assertThat(sizes(parts)).containsExactly(10, 10);
    assertThat(parts).allSatisfy(p -> assertThat(encodedSize(p)).isEqualTo(exact.maxBytes()));
    PresenceParts oneLess = new PresenceParts(ProtocolLimits.MAX_PRESENCE_ENTRIES, exact.maxBytes() - 1);
    assertThat(sizes(oneLess.split(twenty))).containsExactly(9, 9, 2);
  }

  @Test
  void theEntryCountCapsAPartBeforeTheBytesDo() {
    assertThat(sizes(new PresenceParts(3, ProtocolLimits.MAX_DATAGRAM_BYTES).split(users(7, "u%d"))))
        .containsExactly(3, 3, 1);
    // 300 one-byte names (3 bytes an entry) fit 1100 bytes but not the u8 count: 255 and 45.
    List<PresenceEntry> tiny = IntStream.range(0, 300)
        .mapToObj(i -> new PresenceEntry(String.valueOf((char) ('a' + i % 26)), PresenceState.OFFLINE)).toList();
    assertThat(sizes(PresenceParts.PACKED.split(tiny))).containsExactly(255, 45);
  }

  @Test
  void namesOfTheLongestLengthFitInEveryShape() {
    String ascii = "n".repeat(ProtocolLimits.MAX_NAME_BYTES - 2);
    String accented = "é".repeat(ProtocolLimits.MAX_NAME_BYTES / 2); // 2 bytes each
    String emoji = "\uD83D\uDE00".repeat(ProtocolLimits.MAX_NAME_BYTES / 4); // 4 bytes each, a surrogate pair
    List<PresenceEntry> longest = IntStream.range(0, 30)
        .mapToObj(i -> new PresenceEntry(i % 3 == 0 ? ascii + String.format("%02d", i) : i % 3 == 1 ? accented : emoji,
            PresenceState.IN_CALL))
        .toList();
    assertThat(longest).allSatisfy(e -> assertThat(PresenceParts.entryBytes(e)).isEqualTo(PresenceParts.MAX_ENTRY_BYTES));
    // (1100 - 30) / 66 = 16 a part.
    List<List<PresenceEntry>> packed = PresenceParts.PACKED.split(longest);
    assertThat(sizes(packed)).containsExactly(16, 14);
    assertThat(packed).allSatisfy(p -> assertThat(encodedSize(p)).isLessThanOrEqualTo(ProtocolLimits.PACKED_PRESENCE_BYTES));
    assertThat(encodedSize(packed.get(0))).isEqualTo(30 + 16 * 66);
    // The smallest shape allowed carries one of them a part.
    PresenceParts smallest = new PresenceParts(1, PresenceParts.PART_OVERHEAD_BYTES + PresenceParts.MAX_ENTRY_BYTES);
    assertThat(sizes(smallest.split(longest.subList(0, 3)))).containsExactly(1, 1, 1);
    assertThat(encodedSize(List.of(longest.get(2)))).isEqualTo(smallest.maxBytes());
  }

  @Test
  void aNameOverTheLimitIsRefused() {
    List<PresenceEntry> tooLong = List.of(new PresenceEntry("x".repeat(ProtocolLimits.MAX_NAME_BYTES + 1),
        PresenceState.ONLINE));
    assertThatThrownBy(() -> PresenceParts.PACKED.split(tooLong)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shapesOutsideTheWireLimitsAreRefused() {
    int min = PresenceParts.PART_OVERHEAD_BYTES + PresenceParts.MAX_ENTRY_BYTES;
    assertThatThrownBy(() -> new PresenceParts(0, 1000)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PresenceParts(ProtocolLimits.MAX_PRESENCE_ENTRIES + 1, 1000))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PresenceParts(16, min - 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PresenceParts(16, ProtocolLimits.MAX_DATAGRAM_BYTES + 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new PresenceParts(16, min).maxBytes()).isEqualTo(min);
  }

  @Test
  void utf8LengthMatchesTheEncoder() {
    for (String s : List.of("", "a", "é", "€", "\uD83D\uDE00", "aé€\uD83D\uDE00z")) {
      assertThat(PresenceParts.utf8Length(s)).isEqualTo(s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    }
  }
}
