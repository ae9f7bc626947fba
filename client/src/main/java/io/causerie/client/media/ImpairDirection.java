package io.causerie.client.media;

import java.util.Locale;

/** Which way {@code --impair} acts on the client's own media path. */
public enum ImpairDirection {
  /** Datagrams arriving from the relay (as pjsua's {@code --rx-drop-pct}): the default. */
  IN,
  /** Datagrams sent to the relay. */
  OUT,
  /** Both ways, each with its own random stream. */
  BOTH;

  /** Parses "in", "out" or "both". */
  public static ImpairDirection parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("impair direction must be in, out or both, not '" + s + "'");
    }
  }

  boolean incoming() {
    return this != OUT;
  }

  boolean outgoing() {
    return this != IN;
  }
}
