package io.causerie.media.quality;

/**
 * E-model codec impairment constants (ITU-T G.107 §7.4, values from ITU-T G.113 Appendix I).
 *
 * @param name what the constants describe
 * @param ie equipment impairment factor of the codec without loss
 * @param bpl packet-loss robustness factor (higher = degrades more gracefully)
 */
public record CodecImpairment(String name, double ie, double bpl) {
  /** G.711 without concealment: Ie = 0, Bpl = 4.3 (G.113 Appendix I, Table I.3). */
  public static final CodecImpairment G711_NO_PLC = new CodecImpairment("G.711", 0, 4.3);

  /** G.711 with Appendix I concealment: Ie = 0, Bpl = 25.1 (G.113 Appendix I, Table I.3). */
  public static final CodecImpairment G711_PLC = new CodecImpairment("G.711+PLC", 0, 25.1);

  /**
   * Opus at 24 kbit/s, an assumption: G.113 lists no Opus values. Ie = 11 puts it with the
   * narrowband CELP codecs of similar bitrate (G.729A: Ie = 11), which is conservative because the
   * narrowband E-model cannot credit Opus's wideband audio; Bpl = 20 reflects its built-in PLC
   * (between G.729A's 19 and G.711+PLC's 25.1), not counting in-band FEC.
   */
  public static final CodecImpairment OPUS_24K = new CodecImpairment("Opus 24k", 11, 20);

  public CodecImpairment {
    if (ie < 0 || ie > 95) {
      throw new IllegalArgumentException("Ie out of 0..95: " + ie);
    }
    if (bpl <= 0) {
      throw new IllegalArgumentException("Bpl must be positive: " + bpl);
    }
  }

  /** The constants for a codec by signalling name; G.711 is assumed to run with concealment. */
  public static CodecImpairment forCodec(String codecName) {
    switch (codecName.toLowerCase(java.util.Locale.ROOT)) {
      case "opus":
        return OPUS_24K;
      case "pcmu":
      case "pcma":
        return G711_PLC;
      default:
        throw new IllegalArgumentException("no impairment constants for codec " + codecName);
    }
  }
}
