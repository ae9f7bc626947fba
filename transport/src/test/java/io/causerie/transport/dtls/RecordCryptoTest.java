package io.causerie.transport.dtls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsFatalAlert;
import org.junit.jupiter.api.Test;

/** The JDK record cipher against BouncyCastle's own AES-GCM: the same bytes both ways, tampering refused. */
class RecordCryptoTest {
  private static final int MAC_BYTES = 16;

  private static byte[] bcSeal(byte[] key, byte[] nonce, byte[] aad, byte[] plain) throws Exception {
    GCMBlockCipher gcm = (GCMBlockCipher) GCMBlockCipher.newInstance(AESEngine.newInstance());
    gcm.init(true, new AEADParameters(new KeyParameter(key), MAC_BYTES * 8, nonce, aad));
    byte[] out = new byte[gcm.getOutputSize(plain.length)];
    int n = gcm.processBytes(plain, 0, plain.length, out, 0);
    gcm.doFinal(out, n);
    return out;
  }

  private static RecordCrypto.JdkAesGcm keyed(boolean encrypting, byte[] key, byte[] nonce) throws Exception {
    RecordCrypto.JdkAesGcm c = new RecordCrypto.JdkAesGcm(encrypting);
    c.setKey(key, 0, key.length);
    c.init(nonce, MAC_BYTES);
    return c;
  }

  @Test
  void sealsExactlyAsBouncyCastleAndOpensItsRecordsInPlace() throws Exception {
    Random rnd = new Random(42);
    for (int len : new int[] {0, 1, 15, 16, 17, 100, 1_086}) {
      byte[] key = new byte[16];
      byte[] nonce = new byte[12];
      byte[] aad = new byte[13];
      byte[] plain = new byte[len];
      rnd.nextBytes(key);
      rnd.nextBytes(nonce);
      rnd.nextBytes(aad);
      rnd.nextBytes(plain);
      byte[] expected = bcSeal(key, nonce, aad, plain);

      RecordCrypto.JdkAesGcm seal = keyed(true, key, nonce);
      assertThat(seal.getOutputSize(len)).isEqualTo(expected.length);
      byte[] sealed = new byte[5 + expected.length];
      int n = seal.doFinal(aad, plain, 0, len, sealed, 5);
      assertThat(n).isEqualTo(expected.length);
      assertThat(Arrays.copyOfRange(sealed, 5, 5 + n)).isEqualTo(expected);

      // Opened in place, as the record layer does: output over its own input.
      RecordCrypto.JdkAesGcm open = keyed(false, key, nonce);
      byte[] buf = new byte[8 + expected.length];
      System.arraycopy(expected, 0, buf, 8, expected.length);
      assertThat(open.getOutputSize(expected.length)).isEqualTo(len);
      int m = open.doFinal(aad, buf, 8, expected.length, buf, 8);
      assertThat(m).isEqualTo(len);
      assertThat(Arrays.copyOfRange(buf, 8, 8 + m)).isEqualTo(plain);
    }
  }

  @Test
  void aTamperedRecordIsABadRecordMac() throws Exception {
    byte[] key = new byte[16];
    byte[] nonce = new byte[12];
    byte[] aad = new byte[13];
    byte[] sealed = bcSeal(key, nonce, aad, "PRESENCE".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    sealed[3] ^= 1;
    RecordCrypto.JdkAesGcm open = keyed(false, key, nonce);
    assertThatThrownBy(() -> open.doFinal(aad, sealed, 0, sealed.length, new byte[sealed.length], 0))
        .isInstanceOfSatisfying(TlsFatalAlert.class,
            e -> assertThat(e.getAlertDescription()).isEqualTo(AlertDescription.bad_record_mac));
  }

  @Test
  void eachRecordMayUseTheSameCipherWithANewNonce() throws Exception {
    byte[] key = new byte[16];
    byte[] aad = new byte[13];
    RecordCrypto.JdkAesGcm seal = new RecordCrypto.JdkAesGcm(true);
    seal.setKey(key, 0, 16);
    for (int seq = 0; seq < 3; seq++) {
      byte[] nonce = new byte[12];
      nonce[11] = (byte) seq;
      seal.init(nonce, MAC_BYTES);
      byte[] plain = {1, 2, 3};
      byte[] out = new byte[plain.length + MAC_BYTES];
      seal.doFinal(aad, plain, 0, plain.length, out, 0);
      assertThat(out).isEqualTo(bcSeal(key, nonce, aad, plain));
    }
  }
}
