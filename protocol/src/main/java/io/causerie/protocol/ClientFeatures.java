package io.causerie.protocol;

/**
 * What a client can take beyond the basic protocol, announced when it signs in (docs/PROTOCOL.md §3.1): an extension
 * attribute {@code f=<feature>[+<feature>...]} after the nonce of its SCRAM client-first message. Every version of the
 * server ignores extensions it does not know (RFC 5802 §5.1), so a client may always send it; a server takes a
 * feature it does not know, or a malformed {@code f=} field, as nothing announced. The extension is part of the
 * SCRAM AuthMessage, so both proofs cover it.
 *
 * @param packedPresence the client accepts PRESENCE parts of up to {@link ProtocolLimits#MAX_PRESENCE_ENTRIES}
 *     entries, packed up to {@link ProtocolLimits#PACKED_PRESENCE_BYTES} (§3.11, §6.9); without it the server sends
 *     at most {@link ProtocolLimits#BASIC_PRESENCE_ENTRIES}
 */
public record ClientFeatures(boolean packedPresence) {
  /** The SCRAM extension attribute's name. */
  public static final char ATTRIBUTE = 'f';

  /** Feature name: PRESENCE parts packed by bytes rather than 16 entries. */
  public static final String PACKED_PRESENCE = "packed-presence";

  /** A client before this extension, or one that announces nothing. */
  public static final ClientFeatures NONE = new ClientFeatures(false);

  /** Everything this version of the reference client takes. */
  public static final ClientFeatures CURRENT = new ClientFeatures(true);

  /** The extension field to append to a client-first message ({@code f=packed-presence}), or "" for none. */
  public String extension() {
    return packedPresence ? ATTRIBUTE + "=" + PACKED_PRESENCE : "";
  }

  /**
   * The features a client-first message announces. Reads the {@code f=} fields after the user name and nonce of
   * the bare message ({@code n=...,r=...[,extensions]}, with or without the GS2 header {@code n,,}); anything
   * else is ignored.
   */
  public static ClientFeatures parse(String clientFirst) {
    if (clientFirst == null) {
      return NONE;
    }
    String bare = clientFirst.startsWith("n,,") ? clientFirst.substring(3) : clientFirst;
    boolean packed = false;
    int field = 0;
    int start = 0;
    for (int i = 0; i <= bare.length(); i++) {
      if (i == bare.length() || bare.charAt(i) == ',') {
        // Fields 0 and 1 are n= and r=; extensions follow.
        if (field >= 2 && i - start >= 2 && bare.charAt(start) == ATTRIBUTE && bare.charAt(start + 1) == '=') {
          packed |= names(bare, start + 2, i, PACKED_PRESENCE);
        }
        field++;
        start = i + 1;
      }
    }
    return packed ? CURRENT : NONE;
  }

  /** True if {@code s[from, to)}, a '+'-separated list of names, holds {@code name}. */
  private static boolean names(String s, int from, int to, String name) {
    int start = from;
    for (int i = from; i <= to; i++) {
      if (i == to || s.charAt(i) == '+') {
        if (i - start == name.length() && s.regionMatches(start, name, 0, name.length())) {
          return true;
        }
        start = i + 1;
      }
    }
    return false;
  }
}
