package io.causerie.media.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * The SRTP key derivation function of RFC 3711 §4.3 (AES in counter mode as a PRF over the master
 * key), with a key derivation rate of zero, as RFC 7714 §11 uses it for AEAD_AES_128_GCM. AES/ECB
 * supplies the block function; this is the RFC's KDF, not a new cipher.
 *
 * <p>The PRF input is the master salt, left-aligned in a 112-bit field (a 96-bit AEAD salt is
 * padded with zero bits on the right, as libsrtp does), XORed with the label in its 8th octet, then
 * followed by a 16-bit block counter.
 */
final class SrtpKeyDerivation {
  /** Label for the SRTP encryption key. */
  static final int LABEL_RTP_ENCRYPTION = 0x00;

  /** Label for the SRTP authentication key (unused by AEAD). */
  static final int LABEL_RTP_AUTHENTICATION = 0x01;

  /** Label for the SRTP salting key. */
  static final int LABEL_RTP_SALT = 0x02;

  /** Label for the SRTCP encryption key. */
  static final int LABEL_RTCP_ENCRYPTION = 0x03;

  /** Label for the SRTCP authentication key (unused by AEAD). */
  static final int LABEL_RTCP_AUTHENTICATION = 0x04;

  /** Label for the SRTCP salting key. */
  static final int LABEL_RTCP_SALT = 0x05;

  /** Length of the PRF input field the master salt lives in (112 bits). */
  static final int MAX_MASTER_SALT_BYTES = 14;

  /** Octet of the PRF input the label is XORed into (key_id = label ‖ r, right-aligned). */
  private static final int LABEL_OFFSET = 7;

  private static final int AES_BLOCK_BYTES = 16;

  /** Longest output the 16-bit block counter allows. */
  private static final int MAX_OUTPUT_BYTES = AES_BLOCK_BYTES << Short.SIZE;

  private SrtpKeyDerivation() {}

  /**
   * Derives {@code length} bytes for {@code label} from an AES master key (16, 24 or 32 bytes) and
   * a master salt of at most 14 bytes.
   */
  static byte[] derive(byte[] masterKey, byte[] masterSalt, int label, int length) {
    if (masterSalt.length > MAX_MASTER_SALT_BYTES) {
      throw new IllegalArgumentException("master salt longer than " + MAX_MASTER_SALT_BYTES
          + " bytes: " + masterSalt.length);
    }
    if (label < 0 || label > 0xFF || length < 0 || length > MAX_OUTPUT_BYTES) {
      throw new IllegalArgumentException("label " + label + " or length " + length
          + " out of range");
    }
    byte[] block = new byte[AES_BLOCK_BYTES];
    System.arraycopy(masterSalt, 0, block, 0, masterSalt.length);
    block[LABEL_OFFSET] ^= (byte) label;
    byte[] out = new byte[length];
    byte[] keystream = new byte[AES_BLOCK_BYTES];
    try {
      Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
      aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(masterKey, "AES"));
      for (int pos = 0, counter = 0; pos < length; pos += AES_BLOCK_BYTES, counter++) {
        block[AES_BLOCK_BYTES - 2] = (byte) (counter >>> Byte.SIZE);
        block[AES_BLOCK_BYTES - 1] = (byte) counter;
        aes.doFinal(block, 0, AES_BLOCK_BYTES, keystream, 0);
        System.arraycopy(keystream, 0, out, pos, Math.min(AES_BLOCK_BYTES, length - pos));
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot run the SRTP KDF with a " + masterKey.length
          + "-byte master key", e);
    } finally {
      Arrays.fill(block, (byte) 0);
      Arrays.fill(keystream, (byte) 0);
    }
    return out;
  }
}
