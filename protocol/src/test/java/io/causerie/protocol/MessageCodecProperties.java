package io.causerie.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class MessageCodecProperties {

  @Property(tries = 2000)
  void arbitraryBytesGiveAMessageOrAProtocolException(@ForAll @Size(max = 1300) byte[] bytes) {
    try {
      MessageCodec.decode(bytes);
    } catch (ProtocolException expected) {
      // the only failure allowed
    }
  }

  @Property(tries = 2000)
  void headerPrefixedGarbageGivesAMessageOrAProtocolException(
      @ForAll("types") int type, @ForAll @Size(max = 200) byte[] body) {
    byte[] wire = new byte[ProtocolLimits.HEADER_BYTES + body.length];
    wire[0] = (byte) MessageCodec.MAGIC_0;
    wire[1] = (byte) MessageCodec.MAGIC_1;
    wire[2] = (byte) ProtocolLimits.VERSION;
    wire[3] = (byte) type;
    System.arraycopy(body, 0, wire, ProtocolLimits.HEADER_BYTES, body.length);
    try {
      Message m = MessageCodec.decode(wire);
      // Whatever decodes must re-encode to the same bytes: one meaning per datagram. The one allowed difference:
      // undefined bits of a flags byte, which receivers ignore (PROTOCOL.md §2.2), are not written back.
      byte[] again = MessageCodec.encode(m);
      assertThat(again).hasSameSizeAs(wire);
      int[] differing = java.util.stream.IntStream.range(0, wire.length).filter(i -> again[i] != wire[i]).toArray();
      assertThat(differing.length).isLessThanOrEqualTo(1);
      for (int i : differing) {
        assertThat(again[i] & ~wire[i]).as("only bits the datagram set may be cleared").isZero();
      }
      assertThat(MessageCodec.encode(MessageCodec.decode(again))).isEqualTo(again);
    } catch (ProtocolException expected) {
      // fine
    }
  }

  @Property(tries = 1000)
  void callsRoundTrip(@ForAll long tx, @ForAll long session, @ForAll("names") String callee,
      @ForAll("codecLists") List<String> codecs) throws ProtocolException {
    Message m = new Message.Call(tx, session, callee, codecs);
    assertThat(MessageCodec.decode(MessageCodec.encode(m))).isEqualTo(m);
  }

  @Property(tries = 1000)
  void presenceRoundTrips(@ForAll long seq, @ForAll boolean snapshot, @ForAll boolean last,
      @ForAll("entries") List<PresenceEntry> entries) throws ProtocolException {
    Message m = new Message.Presence(1, 2, seq, snapshot, last, entries);
    assertThat(MessageCodec.decode(MessageCodec.encode(m))).isEqualTo(m);
  }

  @Provide
  Arbitrary<Integer> types() {
    return Arbitraries.of(MessageType.values()).map(MessageType::wire);
  }

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.strings().alpha().numeric().withChars("._-é").ofMinLength(1).ofMaxLength(32);
  }

  @Provide
  Arbitrary<List<String>> codecLists() {
    return Arbitraries.of("opus", "pcmu", "pcma", "x").list().ofMaxSize(ProtocolLimits.MAX_CODECS);
  }

  @Provide
  Arbitrary<List<PresenceEntry>> entries() {
    return Combinators.combine(names(), Arbitraries.of(PresenceState.values()))
        .as(PresenceEntry::new)
        .list()
        .ofMaxSize(ProtocolLimits.BASIC_PRESENCE_ENTRIES); // 16 of names up to 64 bytes fit any datagram
  }

  @Provide
  Arbitrary<List<PresenceEntry>> manyEntries() {
    return Combinators.combine(names(), Arbitraries.of(PresenceState.values()))
        .as(PresenceEntry::new)
        .list()
        .ofMaxSize(700);
  }

  @Property(tries = 300)
  void packedPartsFitTheirBudgetAndCarryEveryEntryInOrder(@ForAll("manyEntries") List<PresenceEntry> entries)
      throws ProtocolException {
    List<List<PresenceEntry>> parts = PresenceParts.PACKED.split(entries);
    List<PresenceEntry> back = new java.util.ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      byte[] wire = MessageCodec.encode(new Message.Presence(1, 2, 3, true, i == parts.size() - 1, parts.get(i)));
      assertThat(wire.length).isLessThanOrEqualTo(ProtocolLimits.PACKED_PRESENCE_BYTES);
      back.addAll(((Message.Presence) MessageCodec.decode(wire)).entries());
      if (i + 1 < parts.size()) { // a part is closed only when the next entry would not fit
        int next = PresenceParts.entryBytes(parts.get(i + 1).get(0));
        assertThat(parts.get(i).size() == ProtocolLimits.MAX_PRESENCE_ENTRIES
            || wire.length + next > ProtocolLimits.PACKED_PRESENCE_BYTES).isTrue();
      }
    }
    assertThat(back).isEqualTo(entries);
  }
}
