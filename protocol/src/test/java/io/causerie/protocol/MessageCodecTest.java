package io.causerie.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MessageCodecTest {
  private static final Octets KEY = Octets.of(HexFormat.of().parseHex(
      "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"));


  static Stream<Message> oneOfEach() {
    long tx = 0x0123456789ABCDEFL;
    long s = 0x1122334455667788L;
    return Stream.of(
        new Message.AuthStart(tx, 0, "n,,n=alice,r=abc", 0, 0),
        new Message.AuthStart(tx, 0, "n,,n=alice,r=abc", 5101, 5001),
        new Message.AuthFinish(tx, 0, 42L, "c=biws,r=abcdef,p=xyz="),
        new Message.Logout(tx, s),
        new Message.Keepalive(tx, s, 1_767_225_600_000L),
        new Message.Call(tx, s, "bob", List.of("opus", "pcmu", "pcma")),
        new Message.Call(tx, s, "bob", List.of()),
        new Message.Call(tx, s, "bob", List.of("opus"), KEY),
        new Message.Accept(tx, s, -5L, "opus"),
        new Message.Accept(tx, s, -5L, "opus", KEY),
        new Message.CallKey(tx, s, 7L, KEY),
        new Message.PeerKey(tx, s, 7L, KEY),
        new Message.Refuse(tx, s, 7L),
        new Message.Cancel(tx, s, 7L),
        new Message.Hangup(tx, s, 7L),
        new Message.Who(tx, s),
        new Message.CallQuality(tx, s, 7L, 12, 35, 5, 410),
        Message.CallQuality.of(tx, s, 7L, Double.NaN, 1e9, -1, 4.1),
        new Message.Presence(tx, s, 99L, true, false,
            List.of(new PresenceEntry("alice", PresenceState.ONLINE), new PresenceEntry("bob", PresenceState.IN_CALL),
                new PresenceEntry("élodie", PresenceState.OFFLINE))),
        new Message.Incoming(tx, s, 7L, "alice", List.of("opus")),
        new Message.Incoming(tx, s, 7L, "alice", List.of("opus"), KEY),
        new Message.Ringing(tx, s, 7L),
        new Message.CallStarted(tx, s, 7L, "bob", "opus", 6001, true),
        new Message.CallStarted(tx, s, 7L, "alice", "pcmu", 6002, false),
        new Message.CallStarted(tx, s, 7L, "bob", "opus", 6001, true, KEY),
        new Message.CallEnded(tx, s, 7L, EndReason.NO_ANSWER),
        new Message.Ok(tx, s),
        new Message.Error(tx, s, ErrorCode.BUSY, "bob is in a call"),
        new Message.AuthChallenge(tx, 0, 42L, "r=abcdef,s=c2FsdA==,i=4096"),
        new Message.AuthOk(tx, s, "v=abc=", 6003, 20, 60),
        new Message.CallProceeding(tx, s, 7L));
  }

  @Test
  void keysLongerThanTheLimitAreRejectedBothWays() {
    Octets tooLong = Octets.of(new byte[ProtocolLimits.MAX_KEY_BYTES + 1]);
    assertThatThrownBy(() -> MessageCodec.encode(new Message.CallKey(1, 2, 3, tooLong)))
        .isInstanceOf(IllegalArgumentException.class);
    byte[] wire = MessageCodec.encode(new Message.CallKey(1, 2, 3, Octets.of(new byte[ProtocolLimits.MAX_KEY_BYTES])));
    byte[] grown = Arrays.copyOf(wire, wire.length + 1);
    grown[ProtocolLimits.HEADER_BYTES + 8] = (byte) (ProtocolLimits.MAX_KEY_BYTES + 1);
    assertThatThrownBy(() -> MessageCodec.decode(grown)).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("key of");
  }

  @ParameterizedTest
  @MethodSource("oneOfEach")
  void roundTrips(Message m) throws ProtocolException {
    byte[] wire = MessageCodec.encode(m);
    assertThat(wire.length).isLessThanOrEqualTo(ProtocolLimits.MAX_DATAGRAM_BYTES);
    assertThat(MessageCodec.decode(wire)).isEqualTo(m);
  }

  @Test
  void aReaddressedPresenceIsThePresenceEncodedForThatTransactionAndSession() throws ProtocolException {
    Message.Presence template = new Message.Presence(0, 0, 7, false, true,
        List.of(new PresenceEntry("alice", PresenceState.IN_CALL), new PresenceEntry("bob", PresenceState.ONLINE)));
    byte[] wire = MessageCodec.encode(template);
    byte[] copy = MessageCodec.readdressed(wire, 0x0123456789abcdefL, -2L);
    Message.Presence expected = new Message.Presence(0x0123456789abcdefL, -2L, 7, false, true, template.entries());
    assertThat(copy).isEqualTo(MessageCodec.encode(expected));
    assertThat(MessageCodec.decode(copy)).isEqualTo(expected);
    assertThat(MessageCodec.decode(wire)).isEqualTo(template); // the template is untouched
  }

  @ParameterizedTest
  @MethodSource("oneOfEach")
  void everyTruncationIsAProtocolError(Message m) {
    byte[] wire = MessageCodec.encode(m);
    for (int len = 0; len < wire.length; len++) {
      byte[] cut = Arrays.copyOf(wire, len);
      assertThatThrownBy(() -> MessageCodec.decode(cut)).isInstanceOf(ProtocolException.class);
    }
  }

  @ParameterizedTest
  @MethodSource("oneOfEach")
  void trailingBytesAreRejected(Message m) {
    byte[] wire = Arrays.copyOf(MessageCodec.encode(m), MessageCodec.encode(m).length + 1);
    assertThatThrownBy(() -> MessageCodec.decode(wire))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("trailing");
  }

  @Test
  void keepaliveFixtureMatchesTheDocumentedLayout() throws ProtocolException {
    // docs/PROTOCOL.md §3.4: KEEPALIVE is the header and the sender's clock.
    byte[] wire = HexFormat.of().parseHex("435a0104" + "0123456789abcdef" + "1122334455667788" + "0000019b76daa800");
    Message.Keepalive k = new Message.Keepalive(0x0123456789ABCDEFL, 0x1122334455667788L, 1_767_225_600_000L);
    assertThat(MessageCodec.decode(wire)).isEqualTo(k);
    assertThat(MessageCodec.encode(k)).isEqualTo(wire);
  }

  @Test
  void callFixtureMatchesTheDocumentedLayout() throws ProtocolException {
    // CALL "bob" offering opus then pcmu, with a 4-byte key commitment (real ones are 32 bytes).
    byte[] wire = HexFormat.of().parseHex("435a0105" + "0000000000000001" + "0000000000000002" + "03626f62" + "02"
        + "046f707573" + "0470636d75" + "04" + "c0ffee00");
    Message.Call call = new Message.Call(1, 2, "bob", List.of("opus", "pcmu"),
        Octets.of(HexFormat.of().parseHex("c0ffee00")));
    assertThat(MessageCodec.decode(wire)).isEqualTo(call);
    assertThat(MessageCodec.encode(call)).isEqualTo(wire);
  }

  @Test
  void callStartedFixtureMatchesTheDocumentedLayoutAndCarriesNoMediaIdInPortMode() throws ProtocolException {
    // docs/PROTOCOL.md §3.14: to the caller, peer "bob", media port 6001, no key.
    byte[] wire = HexFormat.of().parseHex("435a0123" + "0f0e0d0c0b0a0908" + "1122334455667788" + "00000000cafef00d"
        + "03626f62" + "046f707573" + "1771" + "01" + "00");
    Message.CallStarted cs = new Message.CallStarted(0x0f0e0d0c0b0a0908L, 0x1122334455667788L, 0xcafef00dL, "bob",
        "opus", 6001, true);
    assertThat(MessageCodec.encode(cs)).isEqualTo(wire);
    assertThat(MessageCodec.decode(wire)).isEqualTo(cs);
    assertThat(((Message.CallStarted) MessageCodec.decode(wire)).mediaId()).isZero();
  }

  @Test
  void callStartedCarriesTheSinglePortMediaIdAsAnOptionalTrailingField() throws ProtocolException {
    Message.CallStarted plain = new Message.CallStarted(1, 2, 3, "bob", "opus", 6000, false, KEY);
    Message.CallStarted withId = new Message.CallStarted(1, 2, 3, "bob", "opus", 6000, false, KEY, 0xDEADBEEF);
    byte[] wire = MessageCodec.encode(withId);
    assertThat(wire).hasSize(MessageCodec.encode(plain).length + 4);
    assertThat(Arrays.copyOfRange(wire, wire.length - 4, wire.length))
        .isEqualTo(HexFormat.of().parseHex("deadbeef"));
    assertThat(MessageCodec.decode(wire)).isEqualTo(withId);
    // A cut inside the id, or anything after it, is malformed.
    for (int cut = 1; cut < 4; cut++) {
      byte[] shorter = Arrays.copyOf(wire, wire.length - cut);
      assertThatThrownBy(() -> MessageCodec.decode(shorter)).isInstanceOf(ProtocolException.class)
          .hasMessageContaining("trailing");
    }
    byte[] zero = Arrays.copyOf(MessageCodec.encode(plain), wire.length);
    assertThatThrownBy(() -> MessageCodec.decode(zero)).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("reserved");
    byte[] longer = Arrays.copyOf(wire, wire.length + 1);
    assertThatThrownBy(() -> MessageCodec.decode(longer)).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("trailing");
  }

  @Test
  void callQualityFiguresUseFixedPointWithAnUnknownMarker() {
    Message.CallQuality q = Message.CallQuality.of(1, 2, 3, 1.25, 12.34, Double.NaN, 4.156);
    assertThat(q.lossPermille()).isEqualTo(13);
    assertThat(q.jitterTenthsMs()).isEqualTo(123);
    assertThat(q.rttTenthsMs()).isEqualTo(Message.CallQuality.UNKNOWN);
    assertThat(q.mosHundredths()).isEqualTo(416);
    assertThat(Message.CallQuality.value(q.mosHundredths(), 100)).isEqualTo(4.16);
    assertThat(Message.CallQuality.value(q.rttTenthsMs(), 10)).isNull();
  }

  @Test
  void wrongVersionIsReportedAsSuch() {
    byte[] wire = MessageCodec.encode(new Message.Logout(1, 2));
    wire[2] = 9;
    assertThatThrownBy(() -> MessageCodec.decode(wire))
        .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_VERSION));
  }

  @Test
  void unknownTypeBadMagicAndOversizeAreRejected() {
    byte[] wire = MessageCodec.encode(new Message.Logout(1, 2));
    wire[3] = 0x7F;
    assertThatThrownBy(() -> MessageCodec.decode(wire)).hasMessageContaining("unknown message type");
    byte[] magic = MessageCodec.encode(new Message.Logout(1, 2));
    magic[0] = 'X';
    assertThatThrownBy(() -> MessageCodec.decode(magic)).hasMessageContaining("magic");
    byte[] big = new byte[ProtocolLimits.MAX_DATAGRAM_BYTES + 1];
    assertThatThrownBy(() -> MessageCodec.decode(big)).hasMessageContaining("exceeds");
  }

  @Test
  void invalidUtf8IsRejected() {
    byte[] wire = MessageCodec.encode(new Message.Call(1, 2, "bob", List.of()));
    wire[ProtocolLimits.HEADER_BYTES + 1] = (byte) 0xC3; // a lone lead byte followed by 'o'
    assertThatThrownBy(() -> MessageCodec.decode(wire)).hasMessageContaining("UTF-8");
  }

  @Test
  void encoderRefusesOverlongFields() {
    String longName = "x".repeat(ProtocolLimits.MAX_NAME_BYTES + 1);
    assertThatThrownBy(() -> MessageCodec.encode(new Message.Call(1, 2, longName, List.of())))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void longErrorTextIsTruncatedOnACharacterBoundary() throws ProtocolException {
    String text = "é".repeat(300);
    Message.Error decoded = (Message.Error) MessageCodec.decode(
        MessageCodec.encode(new Message.Error(1, 2, ErrorCode.INTERNAL, text)));
    assertThat(decoded.text()).isEqualTo("é".repeat(ProtocolLimits.MAX_ERROR_TEXT_BYTES / 2));
  }

  @Test
  void presenceWithTheMostEntriesRoundTripsAndOneMoreCannotBeWritten() throws ProtocolException {
    // 255 one-byte names: 30 + 255 * 3 = 795 bytes. The count is a u8, so 255 is also the most a datagram can say.
    List<PresenceEntry> entries = java.util.stream.IntStream.range(0, ProtocolLimits.MAX_PRESENCE_ENTRIES)
        .mapToObj(i -> new PresenceEntry(String.valueOf((char) ('a' + i % 26)), PresenceState.ONLINE))
        .toList();
    byte[] wire = MessageCodec.encode(new Message.Presence(1, 2, 3, true, true, entries));
    assertThat(wire).hasSize(PresenceParts.PART_OVERHEAD_BYTES + 3 * ProtocolLimits.MAX_PRESENCE_ENTRIES);
    assertThat(((Message.Presence) MessageCodec.decode(wire)).entries()).isEqualTo(entries);
    List<PresenceEntry> more = new java.util.ArrayList<>(entries);
    more.add(new PresenceEntry("z", PresenceState.OFFLINE));
    assertThatThrownBy(() -> MessageCodec.encode(new Message.Presence(1, 2, 3, true, true, more)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void undefinedPresenceFlagBitsAreIgnoredAndNotWrittenBack() throws ProtocolException {
    byte[] wire = MessageCodec.encode(new Message.Presence(1, 2, 3, true, true, List.of()));
    int flags = PresenceParts.PART_OVERHEAD_BYTES - 2; // header, seq; then flags and count
    assertThat(wire[flags]).isEqualTo((byte) 0x03);
    wire[flags] = (byte) 0xFF;
    Message.Presence p = (Message.Presence) MessageCodec.decode(wire);
    assertThat(p.snapshot()).isTrue();
    assertThat(p.last()).isTrue();
    assertThat(MessageCodec.encode(p)[flags]).isEqualTo((byte) 0x03);
  }

  @Test
  void fullPresenceDatagramFits() {
    List<PresenceEntry> entries = java.util.stream.IntStream.range(0, ProtocolLimits.BASIC_PRESENCE_ENTRIES)
        .mapToObj(i -> new PresenceEntry("u".repeat(ProtocolLimits.MAX_NAME_BYTES - 2) + i % 10 + i / 10,
            PresenceState.ONLINE))
        .toList();
    byte[] wire = MessageCodec.encode(new Message.Presence(1, 2, 3, true, true, entries));
    assertThat(wire.length).isLessThanOrEqualTo(ProtocolLimits.MAX_DATAGRAM_BYTES);
  }
}
