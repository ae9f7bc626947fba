package io.causerie.media.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.causerie.media.testing.Signals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class G711Test {
  @ParameterizedTest(name = "linear {0} -> u-law 0x{1}")
  @CsvSource({
    "0, FF",
    "-1, 7F",
    "-4, 7F",
    "-5, 7E",
    "1000, CE",
    "-1000, 4E",
    "32767, 80",
    "-32768, 00",
    "8159, 9F",
  })
  void ulawKnownEncodings(int linear, String code) {
    assertThat(G711.linearToUlaw(linear)).isEqualTo(Integer.parseInt(code, 16));
  }

  @ParameterizedTest(name = "u-law 0x{0} -> {1}")
  @CsvSource({
    "FF, 0",
    "7F, 0",
    "80, 32124",
    "00, -32124",
    "CE, 988",
    "4E, -988",
    "F0, 120",
  })
  void ulawKnownDecodings(String code, int linear) {
    assertThat(G711.ulawToLinear(Integer.parseInt(code, 16))).isEqualTo((short) linear);
  }

  @ParameterizedTest(name = "linear {0} -> A-law 0x{1}")
  @CsvSource({
    "0, D5",
    "-1, 55",
    "1000, FA",
    "32767, AA",
    "-32768, 2A",
  })
  void alawKnownEncodings(int linear, String code) {
    assertThat(G711.linearToAlaw(linear)).isEqualTo(Integer.parseInt(code, 16));
  }

  @ParameterizedTest(name = "A-law 0x{0} -> {1}")
  @CsvSource({
    "D5, 8",
    "55, -8",
    "AA, 32256",
    "2A, -32256",
    "FA, 1008",
  })
  void alawKnownDecodings(String code, int linear) {
    assertThat(G711.alawToLinear(Integer.parseInt(code, 16))).isEqualTo((short) linear);
  }

  @Test
  void tablesMatchTheReferenceAlgorithmForEverySample() {
    for (int x = Short.MIN_VALUE; x <= Short.MAX_VALUE; x++) {
      assertThat(G711.linearToUlaw(x)).isEqualTo(G711.referenceLinearToUlaw(x));
      assertThat(G711.linearToAlaw(x)).isEqualTo(G711.referenceLinearToAlaw(x));
    }
  }

  /** Independent transcription of ITU-T G.191 {@code alaw_compress} for one sample. */
  private static int g191AlawCompress(short x) {
    int ix = x < 0 ? (~x) >> 4 : x >> 4;
    if (ix > 15) {
      int iexp = 1;
      while (ix > 16 + 15) {
        ix >>= 1;
        iexp++;
      }
      ix -= 16;
      ix += iexp << 4;
    }
    if (x >= 0) {
      ix |= 0x80;
    }
    return ix ^ 0x55;
  }

  /** Independent transcription of ITU-T G.191 {@code alaw_expand}. */
  private static short g191AlawExpand(int code) {
    int ix = (code ^ 0x55) & 0x7F;
    int iexp = ix >> 4;
    int mant = ix & 0x0F;
    if (iexp > 0) {
      mant += 16;
    }
    mant = (mant << 4) + 8;
    if (iexp > 1) {
      mant <<= iexp - 1;
    }
    return (short) (code > 127 ? mant : -mant);
  }

  /** Independent transcription of ITU-T G.191 {@code ulaw_expand}. */
  private static short g191UlawExpand(int code) {
    int sign = code < 0x80 ? -1 : 1;
    int mantissa = ~code;
    int exponent = (mantissa >> 4) & 0x07;
    int segment = exponent + 1;
    mantissa &= 0x0F;
    int step = 4 << segment;
    return (short) (sign * ((0x80 << exponent) + step * mantissa + step / 2 - 4 * 33));
  }

  @Test
  void matchesG191TranscriptionsBitExactly() {
    for (int x = Short.MIN_VALUE; x <= Short.MAX_VALUE; x++) {
      assertThat(G711.linearToAlaw(x)).as("A-law of %d", x).isEqualTo(g191AlawCompress((short) x));
    }
    for (int c = 0; c < 256; c++) {
      assertThat(G711.alawToLinear(c)).isEqualTo(g191AlawExpand(c));
      assertThat(G711.ulawToLinear(c)).isEqualTo(g191UlawExpand(c));
    }
  }

  @Test
  void roundTripErrorIsWithinHalfAStepPlusTruncation() {
    for (int x = Short.MIN_VALUE; x <= Short.MAX_VALUE; x++) {
      int bound = Math.abs(x) / 32 + 16;
      assertThat(Math.abs(G711.ulawToLinear(G711.linearToUlaw(x)) - x))
          .as("u-law error at %d", x).isLessThanOrEqualTo(bound);
      assertThat(Math.abs(G711.alawToLinear(G711.linearToAlaw(x)) - x))
          .as("A-law error at %d", x).isLessThanOrEqualTo(bound);
    }
  }

  @Test
  void decodedCodesReEncodeToThemselves() {
    for (int c = 0; c < 256; c++) {
      int expectedU = c == 0x7F ? 0xFF : c; // negative zero re-encodes as positive zero
      assertThat(G711.linearToUlaw(G711.ulawToLinear(c))).isEqualTo(expectedU);
      assertThat(G711.linearToAlaw(G711.alawToLinear(c))).isEqualTo(c);
    }
  }

  @Test
  void sineRoundTripHasTollQualitySnr() {
    short[] tone = Signals.sine(1000, 16000, 8000, 1600);
    for (G711Codec codec : new G711Codec[] {new PcmuCodec(), new PcmaCodec()}) {
      byte[] payload = new byte[160];
      short[] out = new short[1600];
      for (int f = 0; f < 10; f++) {
        assertThat(codec.encode(tone, f * 160, payload, 0)).isEqualTo(160);
        assertThat(codec.decode(payload, 0, 160, out, f * 160)).isEqualTo(160);
      }
      assertThat(Signals.snrDb(tone, 0, out, 0, 1600)).as(codec.name()).isGreaterThan(35);
    }
  }
}
