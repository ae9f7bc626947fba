package io.causerie.client.media;

import java.util.Locale;

/** When a call that negotiated "opus+red" sends redundant copies of earlier frames (RFC 2198). */
public enum RedundancyMode {
  /** When the peer's reports show loss ({@code FecController}'s redundancy threshold); the default. */
  AUTO,
  /** Never, and "opus+red" is neither offered nor accepted. */
  OFF,
  /** In every packet from the first, whatever the reports say (testing, known-bad paths). */
  ALWAYS;

  /** Parses {@code auto}, {@code off} or {@code always} (case-insensitive). */
  public static RedundancyMode parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("redundancy must be auto, off or always, not '" + s + "'");
    }
  }
}
