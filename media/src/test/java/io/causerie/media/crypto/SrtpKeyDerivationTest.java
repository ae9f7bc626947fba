package io.causerie.media.crypto;

import static io.causerie.media.crypto.CryptoTestSupport.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SrtpKeyDerivationTest {
  // RFC 3711 Appendix B.3 (key derivation test vectors).
  private static final byte[] MASTER_KEY = hex("E1F97A0D3E018BE0D64FA32C06DE4139");
  private static final byte[] MASTER_SALT = hex("0EC675AD498AFEEBB6960B3AABE6");

  @Test
  void rfc3711AppendixB3CipherKey() {
    assertThat(SrtpKeyDerivation.derive(MASTER_KEY, MASTER_SALT,
        SrtpKeyDerivation.LABEL_RTP_ENCRYPTION, 16))
        .isEqualTo(hex("C61E7A93744F39EE10734AFE3FF7A087"));
  }

  @Test
  void rfc3711AppendixB3CipherSalt() {
    assertThat(SrtpKeyDerivation.derive(MASTER_KEY, MASTER_SALT,
        SrtpKeyDerivation.LABEL_RTP_SALT, 14))
        .isEqualTo(hex("30CBBC08863D8C85D49DB34A9AE1"));
  }

  @Test
  void rfc3711AppendixB3AuthKeyOverSeveralBlocks() {
    byte[] expected = hex("CEBE321F6FF7716B6FD4AB49AF256A15"
        + "6D38BAA48F0A0ACF3C34E2359E6CDBCE"
        + "E049646C43D9327AD175578EF7227098"
        + "6371C10C9A369AC2F94A8C5FBCDDDC25"
        + "6D6E919A48B610EF17C2041E47403576"
        + "6B68642C59BBFC2F34DB60DBDFB2");
    assertThat(SrtpKeyDerivation.derive(MASTER_KEY, MASTER_SALT,
        SrtpKeyDerivation.LABEL_RTP_AUTHENTICATION, 94)).isEqualTo(expected);
    assertThat(SrtpKeyDerivation.derive(MASTER_KEY, MASTER_SALT,
        SrtpKeyDerivation.LABEL_RTP_AUTHENTICATION, 20))
        .isEqualTo(hex("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4"));
  }

  @Test
  void aTwelveByteAeadSaltIsZeroPaddedOnTheRight() {
    byte[] salt12 = Arrays.copyOf(MASTER_SALT, 12);
    byte[] salt14 = Arrays.copyOf(salt12, 14);
    for (int label = 0; label <= 5; label++) {
      assertThat(SrtpKeyDerivation.derive(MASTER_KEY, salt12, label, 16))
          .isEqualTo(SrtpKeyDerivation.derive(MASTER_KEY, salt14, label, 16));
    }
  }

  /**
   * Not an RFC vector: the session salt libsrtp/webrtc-srtp derive for master key 00..0f and
   * master salt 40..4b, as recorded by an independent SRTP implementation's interop test. It pins
   * where the 96-bit AEAD salt sits in the 112-bit PRF input.
   */
  @Test
  void aeadSaltDerivationMatchesLibsrtpLayout() {
    byte[] key = hex("000102030405060708090a0b0c0d0e0f");
    byte[] salt = hex("404142434445464748494a4b");
    assertThat(SrtpKeyDerivation.derive(key, salt, SrtpKeyDerivation.LABEL_RTP_SALT, 12))
        .isEqualTo(hex("1fcd5d561e66dc49ec1c3ccb"));
  }

  @Test
  void labelsGiveIndependentKeys() {
    byte[] a = SrtpKeyDerivation.derive(MASTER_KEY, MASTER_SALT,
        SrtpKeyDerivation.LABEL_RTP_ENCRYPTION, 16);
    byte[] b = SrtpKeyDerivation.derive(MASTER_KEY, MASTER_SALT,
        SrtpKeyDerivation.LABEL_RTCP_ENCRYPTION, 16);
    byte[] c = SrtpKeyDerivation.derive(MASTER_KEY, MASTER_SALT,
        SrtpKeyDerivation.LABEL_RTCP_SALT, 16);
    assertThat(a).isNotEqualTo(b);
    assertThat(b).isNotEqualTo(c);
  }

  @Test
  void refusesAnOverlongSalt() {
    assertThatThrownBy(() -> SrtpKeyDerivation.derive(MASTER_KEY, new byte[15], 0, 16))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
