package io.causerie.media.codec;

import java.util.List;
import java.util.Locale;

/** Factory of fresh codec instances by signalling name. */
public final class Codecs {
  private Codecs() {}

  /** Names accepted by {@link #byName}, in order of preference. */
  public static final List<String> NAMES = List.of(OpusCodec.NAME, PcmuCodec.NAME, PcmaCodec.NAME);

  /**
   * A new codec with default settings for "opus", "pcmu" or "pcma" (case-insensitive).
   *
   * @throws IllegalArgumentException for any other name
   */
  public static AudioCodec byName(String name) {
    switch (name.toLowerCase(Locale.ROOT)) {
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
