package io.causerie.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * How a list of presence entries is split into PRESENCE parts (docs/PROTOCOL.md §3.11, §6.9): in order, each part
 * as full as an entry count and a message size allow. Pure.
 *
 * <p>{@link #BASIC} is what every client accepts: at most {@link ProtocolLimits#BASIC_PRESENCE_ENTRIES} entries.
 * {@link #PACKED} is for a client that announced {@link ClientFeatures#PACKED_PRESENCE}: up to
 * {@link ProtocolLimits#MAX_PRESENCE_ENTRIES} entries while the message stays within
 * {@link ProtocolLimits#PACKED_PRESENCE_BYTES} (600 users of 8-byte names: 5 parts instead of 38).
 */
public final class PresenceParts {
  /** Header, seq ({@code u64}), flags ({@code u8}) and count ({@code u8}): a PRESENCE without entries. */
  public static final int PART_OVERHEAD_BYTES = ProtocolLimits.HEADER_BYTES + 8 + 1 + 1;

  /** The largest entry: a length byte, the longest name, a state byte. */
  public static final int MAX_ENTRY_BYTES = 1 + ProtocolLimits.MAX_NAME_BYTES + 1;

  /** Parts every client accepts. */
  public static final PresenceParts BASIC =
      new PresenceParts(ProtocolLimits.BASIC_PRESENCE_ENTRIES, ProtocolLimits.MAX_DATAGRAM_BYTES);

  /** Parts for a client that announced packed presence. */
  public static final PresenceParts PACKED =
      new PresenceParts(ProtocolLimits.MAX_PRESENCE_ENTRIES, ProtocolLimits.PACKED_PRESENCE_BYTES);

  private final int maxEntries;
  private final int maxBytes;

  /**
   * @param maxEntries most entries in one part, 1 to {@link ProtocolLimits#MAX_PRESENCE_ENTRIES}
   * @param maxBytes largest encoded part, header included: at least one entry of the longest name must fit
   *     ({@link #PART_OVERHEAD_BYTES} + {@link #MAX_ENTRY_BYTES}), at most {@link ProtocolLimits#MAX_DATAGRAM_BYTES}
   */
  public PresenceParts(int maxEntries, int maxBytes) {
    if (maxEntries < 1 || maxEntries > ProtocolLimits.MAX_PRESENCE_ENTRIES) {
      throw new IllegalArgumentException(
          "entries per part must be in [1, " + ProtocolLimits.MAX_PRESENCE_ENTRIES + "]: " + maxEntries);
    }
    int min = PART_OVERHEAD_BYTES + MAX_ENTRY_BYTES;
    if (maxBytes < min || maxBytes > ProtocolLimits.MAX_DATAGRAM_BYTES) {
      throw new IllegalArgumentException(
          "bytes per part must be in [" + min + ", " + ProtocolLimits.MAX_DATAGRAM_BYTES + "]: " + maxBytes);
    }
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
  }

  public int maxEntries() {
    return maxEntries;
  }

  public int maxBytes() {
    return maxBytes;
  }

  /** An entry's encoded size: length byte, the name in UTF-8, state byte. */
  public static int entryBytes(PresenceEntry e) {
    return 1 + utf8Length(e.name()) + 1;
  }

  /**
   * Splits {@code entries} into consecutive parts (views of the list, in order); an empty list gives one empty part,
   * since a snapshot of nobody is still sent. Each part holds at most {@link #maxEntries()} entries and encodes to
   * at most {@link #maxBytes()} bytes.
   *
   * @throws IllegalArgumentException if an entry's name is longer than {@link ProtocolLimits#MAX_NAME_BYTES}
   */
  public List<List<PresenceEntry>> split(List<PresenceEntry> entries) {
    List<List<PresenceEntry>> parts = new ArrayList<>();
    int start = 0;
    int bytes = PART_OVERHEAD_BYTES;
    for (int i = 0; i < entries.size(); i++) {
      int b = entryBytes(entries.get(i));
      if (b > MAX_ENTRY_BYTES) {
        throw new IllegalArgumentException("presence name longer than " + ProtocolLimits.MAX_NAME_BYTES + " bytes");
      }
      if (i - start == maxEntries || bytes + b > maxBytes) {
        parts.add(entries.subList(start, i));
        start = i;
        bytes = PART_OVERHEAD_BYTES;
      }
      bytes += b;
    }
    parts.add(entries.subList(start, entries.size()));
    return parts;
  }

  /** UTF-8 length without encoding; an unpaired surrogate counts 3 bytes, at least what any encoder writes for it. */
  static int utf8Length(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }
}
