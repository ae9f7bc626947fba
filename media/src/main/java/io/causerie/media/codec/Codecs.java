package io.causerie.media.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Factory of fresh codec instances by signalling name. */
public final class Codecs {
  private Codecs() {}

  /** Names accepted by {@link #byName}, in order of preference. */
  public static final List<String> NAMES = List.of(OpusCodec.NAME, PcmuCodec.NAME, PcmaCodec.NAME);

  /**
   * Suffix of a negotiated name whose sender may add redundant copies of earlier frames (RFC 2198) to its
   * packets: "opus+red". Offered as a codec of its own, so a peer that does not know it picks plain "opus".
   */
  public static final String REDUNDANCY_SUFFIX = "+red";

  /** The codec of a negotiated name: "opus" for "opus+red", the name itself otherwise. */
  public static String baseName(String name) {
    return hasRedundancy(name) ? name.substring(0, name.length() - REDUNDANCY_SUFFIX.length()) : name;
  }

  /** Whether a negotiated name allows redundancy ("opus+red"). */
  public static boolean hasRedundancy(String name) {
    return name != null && name.toLowerCase(Locale.ROOT).endsWith(REDUNDANCY_SUFFIX);
  }

  /** Whether {@code codec} can carry redundancy here: Opus only (G.711 has none of the losses it is for). */
  public static boolean supportsRedundancy(String codec) {
    return OpusCodec.NAME.equalsIgnoreCase(codec);
  }

  /**
   * The list to offer or accept for codecs in order of preference: with {@code redundancy}, "opus+red"
   * just before "opus" (the caller prefers it; an old callee skips it and takes "opus").
   */
  public static List<String> withRedundancy(List<String> codecs, boolean redundancy) {
    List<String> out = new ArrayList<>(codecs.size() + 1);
    for (String c : codecs) {
      if (redundancy && supportsRedundancy(c) && !codecs.contains(c + REDUNDANCY_SUFFIX)) {
        out.add(c + REDUNDANCY_SUFFIX);
      }
      out.add(c);
    }
    return List.copyOf(out);
  }

  /**
   * A new codec with default settings for "opus", "pcmu" or "pcma" (case-insensitive); "opus+red" is
   * Opus.
   *
   * @throws IllegalArgumentException for any other name
   */
  public static AudioCodec byName(String name) {
    switch (baseName(name.toLowerCase(Locale.ROOT))) {
      case OpusCodec.NAME:
        return new OpusCodec();
      case PcmuCodec.NAME:
        return new PcmuCodec();
      case PcmaCodec.NAME:
        return new PcmaCodec();
      default:
        throw new IllegalArgumentException("unknown codec: " + name);
    }
  }
}
