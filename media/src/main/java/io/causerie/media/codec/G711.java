package io.causerie.media.codec;

/**
 * ITU-T G.711 μ-law and A-law companding, bit-exact with the ITU-T G.191 Software Tool Library
 * ({@code g711.c}: {@code ulaw_compress/expand}, {@code alaw_compress/expand}); linear input is
 * 16-bit two's complement, of which μ-law uses the 14 and A-law the 13 most significant bits.
 *
 * <p>Encoding uses 16 KiB / 8 KiB lookup tables built once from the reference algorithm, decoding
 * 256-entry tables, so the per-sample cost is one array read.
 */
public final class G711 {
  private G711() {}

  /** μ-law code of linear 0 (positive zero). */
  public static final int ULAW_ZERO = 0xFF;

  /** A-law code of linear 0 (the smallest positive level, +8). */
  public static final int ALAW_ZERO = 0xD5;

  private static final int ULAW_BIAS = 0x84;
  private static final int[] SEG_ALAW_END = {0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF};

  private static final short[] ULAW_TO_LINEAR = new short[256];
  private static final short[] ALAW_TO_LINEAR = new short[256];
  /** Indexed by (pcm >> 2) + 8192. */
  private static final byte[] LINEAR14_TO_ULAW = new byte[1 << 14];
  /** Indexed by (pcm >> 3) + 4096. */
  private static final byte[] LINEAR13_TO_ALAW = new byte[1 << 13];

  static {
    for (int code = 0; code < 256; code++) {
      ULAW_TO_LINEAR[code] = (short) referenceUlawToLinear(code);
      ALAW_TO_LINEAR[code] = (short) referenceAlawToLinear(code);
    }
    for (int i = 0; i < LINEAR14_TO_ULAW.length; i++) {
      LINEAR14_TO_ULAW[i] = (byte) referenceLinearToUlaw((i - 8192) << 2);
    }
    for (int i = 0; i < LINEAR13_TO_ALAW.length; i++) {
      LINEAR13_TO_ALAW[i] = (byte) referenceLinearToAlaw((i - 4096) << 3);
    }
  }

  /** Encodes one 16-bit linear sample to a μ-law code 0..255. */
  public static int linearToUlaw(int pcm) {
    return LINEAR14_TO_ULAW[(clamp16(pcm) >> 2) + 8192] & 0xFF;
  }

  /** Decodes a μ-law code (low 8 bits used) to a 16-bit linear sample. */
  public static short ulawToLinear(int code) {
    return ULAW_TO_LINEAR[code & 0xFF];
  }

  /** Encodes one 16-bit linear sample to an A-law code 0..255 (even bits inverted, as sent). */
  public static int linearToAlaw(int pcm) {
    return LINEAR13_TO_ALAW[(clamp16(pcm) >> 3) + 4096] & 0xFF;
  }

  /** Decodes an A-law code (low 8 bits used) to a 16-bit linear sample. */
  public static short alawToLinear(int code) {
    return ALAW_TO_LINEAR[code & 0xFF];
  }

  private static int clamp16(int v) {
    return Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
  }

  private static int segment(int value, int[] ends) {
    for (int i = 0; i < ends.length; i++) {
      if (value <= ends[i]) {
        return i;
      }
    }
    return ends.length;
  }

  /**
   * The ITU-T G.191 {@code ulaw_compress} for one sample, used to build the table. Negative
   * samples take the one's complement, as G.191 does (the popular Sun {@code g711.c} negates
   * instead and so differs by one code for some negative inputs).
   */
  static int referenceLinearToUlaw(int pcm) {
    int absno = (pcm < 0 ? ~pcm : pcm) >> 2;
    absno += 33;
    if (absno > 0x1FFF) {
      absno = 0x1FFF;
    }
    int segno = 1;
    for (int i = absno >> 6; i != 0; i >>= 1) {
      segno++;
    }
    int highNibble = 8 - segno;
    int lowNibble = 0x0F - ((absno >> segno) & 0x0F);
    int code = (highNibble << 4) | lowNibble;
    return pcm >= 0 ? code | 0x80 : code;
  }

  /** μ-law expansion (identical results to G.191 {@code ulaw_expand}). */
  static int referenceUlawToLinear(int code) {
    int u = ~code & 0xFF;
    int t = ((u & 0x0F) << 3) + ULAW_BIAS;
    t <<= (u & 0x70) >> 4;
    return (u & 0x80) != 0 ? ULAW_BIAS - t : t - ULAW_BIAS;
  }

  /**
   * A-law compression; {@code -v - 1} on the 13-bit value equals G.191's one's complement, so the
   * result is that of G.191 {@code alaw_compress}.
   */
  static int referenceLinearToAlaw(int pcm) {
    int v = pcm >> 3;
    int mask;
    if (v >= 0) {
      mask = 0xD5;
    } else {
      mask = 0x55;
      v = -v - 1;
    }
    int seg = segment(v, SEG_ALAW_END);
    if (seg >= 8) {
      return 0x7F ^ mask;
    }
    int aval = seg << 4;
    aval |= seg < 2 ? (v >> 1) & 0x0F : (v >> seg) & 0x0F;
    return aval ^ mask;
  }

  /** A-law expansion (identical results to G.191 {@code alaw_expand}). */
  static int referenceAlawToLinear(int code) {
    int a = (code & 0xFF) ^ 0x55;
    int t = (a & 0x0F) << 4;
    int seg = (a & 0x70) >> 4;
    switch (seg) {
      case 0:
        t += 8;
        break;
      case 1:
        t += 0x108;
        break;
      default:
        t += 0x108;
        t <<= seg - 1;
    }
    return (a & 0x80) != 0 ? t : -t;
  }
}
