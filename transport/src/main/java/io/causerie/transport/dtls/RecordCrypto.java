package io.causerie.transport.dtls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.TlsAEADCipher;
import org.bouncycastle.tls.crypto.impl.TlsAEADCipherImpl;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * BouncyCastle's TLS crypto with the record layer's AES-GCM done by the JDK's {@code AES/GCM/NoPadding}: the
 * handshake (ECDHE, ECDSA, PRF) stays BouncyCastle's, but every signalling record is sealed and opened by the
 * JDK cipher, which the JIT compiles to the CPU's AES and carry-less-multiply instructions. BouncyCastle's
 * pure-Java AES engine and GCM tables took 58 % of the server's signalling thread at 2,000 set-ups/s (JFR,
 * docs/BENCHMARKS.md "Signalling after presence coalescing"). Same algorithm, same bytes on the wire.
 */
final class RecordCrypto extends BcTlsCrypto {
  /** The JDK's own provider: a provider list with BouncyCastle's first would hand back the slow engine again. */
  static final String PREFERRED_PROVIDER = "SunJCE";

  RecordCrypto(SecureRandom random) {
    super(random);
  }

  @Override
  protected TlsAEADCipher createCipher_AES_GCM(TlsCryptoParameters params, int cipherKeySize, int macSize)
      throws IOException {
    return new TlsAEADCipher(params, new JdkAesGcm(true), new JdkAesGcm(false), cipherKeySize, macSize,
        TlsAEADCipher.AEAD_GCM, null); // null: the standard nonces (RFC 5288), as BouncyCastle's own
  }

  /** A new JDK AES-GCM cipher, from {@link #PREFERRED_PROVIDER} when present. */
  static Cipher newAesGcm() throws NoSuchAlgorithmException, NoSuchPaddingException {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding", PREFERRED_PROVIDER);
    } catch (NoSuchProviderException e) {
      return Cipher.getInstance("AES/GCM/NoPadding");
    }
  }

  /**
   * One direction of one association's record protection. Used by one thread at a time (the record layer's
   * lock); the nonce is new for every record, as GCM requires and the JDK checks.
   */
  static final class JdkAesGcm implements TlsAEADCipherImpl {
    private final boolean encrypting;
    private final Cipher cipher;
    private SecretKeySpec key;
    private GCMParameterSpec spec;
    private int macSize;

    JdkAesGcm(boolean encrypting) throws IOException {
      this.encrypting = encrypting;
      try {
        this.cipher = newAesGcm();
      } catch (GeneralSecurityException e) {
        throw new TlsFatalAlert(AlertDescription.internal_error, e);
      }
    }

    @Override
    public void setKey(byte[] k, int off, int len) {
      key = new SecretKeySpec(k, off, len, "AES");
    }

    @Override
    public void init(byte[] nonce, int macSizeBytes) {
      this.macSize = macSizeBytes;
      this.spec = new GCMParameterSpec(macSizeBytes * 8, nonce);
    }

    @Override
    public int getOutputSize(int inputLength) {
      return encrypting ? inputLength + macSize : Math.max(0, inputLength - macSize);
    }

    @Override
    public int doFinal(byte[] additionalData, byte[] input, int inputOffset, int inputLength, byte[] output,
        int outputOffset) throws IOException {
      try {
        cipher.init(encrypting ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE, key, spec);
        if (additionalData != null && additionalData.length > 0) {
          cipher.updateAAD(additionalData);
        }
        return cipher.doFinal(input, inputOffset, inputLength, output, outputOffset);
      } catch (javax.crypto.AEADBadTagException e) {
        throw new TlsFatalAlert(AlertDescription.bad_record_mac, e);
      } catch (GeneralSecurityException e) {
        throw new TlsFatalAlert(encrypting ? AlertDescription.internal_error : AlertDescription.bad_record_mac, e);
      }
    }
  }
}
