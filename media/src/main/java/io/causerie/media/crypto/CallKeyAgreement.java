package io.causerie.media.crypto;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import javax.crypto.KeyAgreement;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * One side of a call's end-to-end key agreement: ephemeral X25519 (RFC 7748) with a ZRTP-style
 * hash commitment, HKDF-SHA256 (RFC 5869) to per-direction SRTP master keys, and a 4-digit short
 * authentication string (SAS).
 *
 * <p>Message flow through the (untrusted) signalling relay:
 *
 * <ol>
 *   <li>caller → callee: {@link #commitment()} = SHA-256(label ‖ caller public key), in the call
 *       request; the callee stores it with {@link #peerCommitment};
 *   <li>callee → caller: the callee's {@link #publicKey()}, in its accept; the caller calls {@link
 *       #complete} with it;
 *   <li>caller → callee: the caller's {@link #publicKey()}; the callee calls {@link #complete},
 *       which checks it against the commitment.
 * </ol>
 *
 * <p>Because the caller is bound to its key before it sees the callee's, a man in the middle
 * cannot search for a key pair that makes both SAS codes agree: he gets one guess, which succeeds
 * with probability 1/{@value #SAS_MODULUS}. The SAS, like the keys, is bound to the call id and to
 * both public keys through the transcript hash used as HKDF salt.
 *
 * <p>Single use and not thread-safe: {@link #complete} may be called once, success or not.
 */
public final class CallKeyAgreement {
  /** Length of a raw X25519 public key (u-coordinate, little-endian, RFC 7748 §5). */
  public static final int PUBLIC_KEY_BYTES = 32;

  /** Length of the caller's commitment (a SHA-256 digest). */
  public static final int COMMITMENT_BYTES = 32;

  /** Decimal digits in the short authentication string. */
  public static final int SAS_DIGITS = 4;

  /** The SAS is a number below this modulus (10^{@value #SAS_DIGITS}). */
  public static final int SAS_MODULUS = 10_000;

  /** Bytes of HKDF output reduced modulo {@link #SAS_MODULUS} to make the SAS. */
  private static final int SAS_SOURCE_BYTES = 4;

  /** Length of an X25519 shared secret. */
  private static final int SHARED_SECRET_BYTES = 32;

  /** HKDF output per direction: master key then master salt. */
  private static final int DIRECTION_KEY_BYTES =
      SrtpKeys.MASTER_KEY_BYTES + SrtpKeys.MASTER_SALT_BYTES;

  private static final String ALGORITHM = "X25519";
  private static final String DIGEST = "SHA-256";

  static final byte[] COMMITMENT_LABEL = ascii("causerie/e2e/v1 commitment");
  static final byte[] TRANSCRIPT_LABEL = ascii("causerie/e2e/v1 transcript");
  static final byte[] CALLER_TO_CALLEE_INFO = ascii("causerie/e2e/v1 srtp caller to callee");
  static final byte[] CALLEE_TO_CALLER_INFO = ascii("causerie/e2e/v1 srtp callee to caller");
  static final byte[] SAS_INFO = ascii("causerie/e2e/v1 sas");

  /** Which end of the call this agreement belongs to. */
  public enum Role {
    /** Places the call; commits to its key first and reveals it last. */
    CALLER,
    /** Answers the call; sends its key after receiving the caller's commitment. */
    CALLEE
  }

  private final Role role;
  private final long callId;
  private final KeyPair keyPair;
  private final byte[] publicKey;
  private byte[] peerCommitment;
  private boolean used;

  private CallKeyAgreement(Role role, SecureRandom random, long callId) {
    this.role = role;
    this.callId = callId;
    this.keyPair = generateKeyPair(Objects.requireNonNull(random, "random"));
    this.publicKey = encodePublicKey((XECPublicKey) keyPair.getPublic());
  }

  /** The caller's side of call {@code callId}, with a fresh X25519 key pair from {@code random}. */
  public static CallKeyAgreement caller(SecureRandom random, long callId) {
    return new CallKeyAgreement(Role.CALLER, random, callId);
  }

  /** The callee's side of call {@code callId}, with a fresh X25519 key pair from {@code random}. */
  public static CallKeyAgreement callee(SecureRandom random, long callId) {
    return new CallKeyAgreement(Role.CALLEE, random, callId);
  }

  /** This side's role. */
  public Role role() {
    return role;
  }

  /** The call this agreement belongs to. */
  public long callId() {
    return callId;
  }

  /**
   * The caller's commitment to its public key, SHA-256(label ‖ public key), to send in the call
   * request before the public key itself.
   *
   * @throws IllegalStateException on the callee side
   */
  public byte[] commitment() {
    if (role != Role.CALLER) {
      throw new IllegalStateException("only the caller commits to its key");
    }
    return commit(publicKey);
  }

  /** This side's raw 32-byte X25519 public key (little-endian u-coordinate, RFC 7748 §5). */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /**
   * Stores the caller's commitment (callee side), received in the call request. Its length is
   * checked by {@link #complete}, so that bad network input surfaces as a {@link
   * CallCryptoException} there.
   *
   * @throws IllegalStateException on the caller side, or if a commitment was already stored
   */
  public void peerCommitment(byte[] commitment) {
    Objects.requireNonNull(commitment, "commitment");
    if (role != Role.CALLEE) {
      throw new IllegalStateException("only the callee receives a commitment");
    }
    if (peerCommitment != null) {
      throw new IllegalStateException("the caller's commitment was already stored");
    }
    peerCommitment = commitment.clone();
  }

  /**
   * Finishes the agreement with the peer's raw public key: on the callee side checks it against the
   * stored commitment, computes the X25519 shared secret (refusing low-order points), and derives
   * both directions' SRTP keys and the SAS. May be called once; after a failure the agreement is
   * spent and the call must be abandoned.
   *
   * @throws CallCryptoException if the key is malformed, does not match the commitment, or yields
   *     an all-zero shared secret, or if the callee never received a commitment
   * @throws IllegalStateException if called a second time
   */
  public CallKeys complete(byte[] peerPublicKey) throws CallCryptoException {
    if (used) {
      throw new IllegalStateException("this key agreement was already completed or failed");
    }
    used = true;
    checkPublicKeyLength(peerPublicKey);
    byte[] callerCommitment;
    if (role == Role.CALLEE) {
      if (peerCommitment == null) {
        throw new CallCryptoException("no commitment was received from the caller");
      }
      if (peerCommitment.length != COMMITMENT_BYTES) {
        throw new CallCryptoException("the caller's commitment is malformed: "
            + peerCommitment.length + " bytes instead of " + COMMITMENT_BYTES);
      }
      if (!MessageDigest.isEqual(commit(peerPublicKey), peerCommitment)) {
        throw new CallCryptoException("peer key does not match its commitment");
      }
      callerCommitment = peerCommitment;
    } else {
      callerCommitment = commit(publicKey);
    }
    byte[] shared = sharedSecret(peerPublicKey);
    byte[] callerKey = role == Role.CALLER ? publicKey : peerPublicKey;
    byte[] calleeKey = role == Role.CALLER ? peerPublicKey : publicKey;
    byte[] salt = transcriptHash(callId, callerCommitment, callerKey, calleeKey);
    byte[] forward = hkdf(shared, salt, CALLER_TO_CALLEE_INFO, DIRECTION_KEY_BYTES);
    byte[] backward = hkdf(shared, salt, CALLEE_TO_CALLER_INFO, DIRECTION_KEY_BYTES);
    byte[] sasBytes = hkdf(shared, salt, SAS_INFO, SAS_SOURCE_BYTES);
    try {
      SrtpKeys callerToCallee = toSrtpKeys(forward);
      SrtpKeys calleeToCaller = toSrtpKeys(backward);
      String sas = sas(sasBytes);
      return role == Role.CALLER
          ? new CallKeys(callerToCallee, calleeToCaller, sas)
          : new CallKeys(calleeToCaller, callerToCallee, sas);
    } finally {
      Arrays.fill(shared, (byte) 0);
      Arrays.fill(forward, (byte) 0);
      Arrays.fill(backward, (byte) 0);
      Arrays.fill(sasBytes, (byte) 0);
    }
  }

  /** Role and call id only; never key material. */
  @Override
  public String toString() {
    return "CallKeyAgreement[role=" + role + ", callId=" + callId + "]";
  }

  /**
   * The raw X25519 shared secret with {@code peerPublicKey}, refusing malformed keys and low-order
   * points (an all-zero result, RFC 7748 §6.1). Package-private for the RFC 7748 vector test.
   */
  byte[] sharedSecret(byte[] peerPublicKey) throws CallCryptoException {
    checkPublicKeyLength(peerPublicKey);
    byte[] secret;
    try {
      KeyAgreement agreement = KeyAgreement.getInstance(ALGORITHM);
      agreement.init(keyPair.getPrivate());
      agreement.doPhase(decodePublicKey(peerPublicKey), true);
      secret = agreement.generateSecret();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks " + ALGORITHM, e);
    } catch (GeneralSecurityException e) {
      // The JDK refuses small-order points itself ("Point has small order").
      throw new CallCryptoException("peer key is invalid: " + e.getMessage(), e);
    }
    if (secret.length != SHARED_SECRET_BYTES || isAllZero(secret)) {
      Arrays.fill(secret, (byte) 0);
      throw new CallCryptoException("peer key is invalid: it is a low-order point");
    }
    return secret;
  }

  /** Encodes a JDK X25519 public key as the RFC 7748 32-byte little-endian u-coordinate. */
  static byte[] encodePublicKey(XECPublicKey key) {
    byte[] bigEndian = key.getU().toByteArray();
    byte[] raw = new byte[PUBLIC_KEY_BYTES];
    // toByteArray may carry a leading sign byte (33 bytes) or be shorter than 32 bytes.
    for (int i = 0; i < PUBLIC_KEY_BYTES && i < bigEndian.length; i++) {
      raw[i] = bigEndian[bigEndian.length - 1 - i];
    }
    return raw;
  }

  /**
   * Decodes a raw 32-byte little-endian u-coordinate, masking the unused top bit as RFC 7748 §5
   * requires; non-canonical values (u ≥ p) are reduced by the JDK.
   */
  static PublicKey decodePublicKey(byte[] raw) throws GeneralSecurityException {
    byte[] bigEndian = new byte[PUBLIC_KEY_BYTES];
    for (int i = 0; i < PUBLIC_KEY_BYTES; i++) {
      bigEndian[i] = raw[PUBLIC_KEY_BYTES - 1 - i];
    }
    bigEndian[0] &= 0x7F;
    BigInteger u = new BigInteger(1, bigEndian);
    return KeyFactory.getInstance(ALGORITHM)
        .generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, u));
  }

  private static KeyPair generateKeyPair(SecureRandom random) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(ALGORITHM);
      generator.initialize(NamedParameterSpec.X25519, random);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks " + ALGORITHM, e);
    }
  }

  private static void checkPublicKeyLength(byte[] key) throws CallCryptoException {
    if (key == null || key.length != PUBLIC_KEY_BYTES) {
      throw new CallCryptoException("peer key is invalid: expected " + PUBLIC_KEY_BYTES
          + " bytes, got " + (key == null ? "none" : key.length));
    }
  }

  /** SHA-256(commitment label ‖ raw public key). */
  static byte[] commit(byte[] rawPublicKey) {
    MessageDigest digest = sha256();
    digest.update(COMMITMENT_LABEL);
    digest.update(rawPublicKey);
    return digest.digest();
  }

  /** SHA-256(label ‖ call id ‖ caller commitment ‖ caller key ‖ callee key), the HKDF salt. */
  static byte[] transcriptHash(long callId, byte[] commitment, byte[] callerKey, byte[] calleeKey) {
    MessageDigest digest = sha256();
    digest.update(TRANSCRIPT_LABEL);
    for (int shift = Long.SIZE - Byte.SIZE; shift >= 0; shift -= Byte.SIZE) {
      digest.update((byte) (callId >>> shift));
    }
    digest.update(commitment);
    digest.update(callerKey);
    digest.update(calleeKey);
    return digest.digest();
  }

  private static byte[] hkdf(byte[] ikm, byte[] salt, byte[] info, int length) {
    HKDFBytesGenerator generator = new HKDFBytesGenerator(new SHA256Digest());
    generator.init(new HKDFParameters(ikm, salt, info));
    byte[] out = new byte[length];
    generator.generateBytes(out, 0, length);
    return out;
  }

  private static SrtpKeys toSrtpKeys(byte[] material) {
    byte[] key = Arrays.copyOfRange(material, 0, SrtpKeys.MASTER_KEY_BYTES);
    byte[] salt = Arrays.copyOfRange(material, SrtpKeys.MASTER_KEY_BYTES, DIRECTION_KEY_BYTES);
    try {
      return new SrtpKeys(key, salt);
    } finally {
      Arrays.fill(key, (byte) 0);
      Arrays.fill(salt, (byte) 0);
    }
  }

  /** Big-endian unsigned value of the first 4 bytes, modulo 10000, zero-padded. */
  static String sas(byte[] source) {
    long value = 0;
    for (int i = 0; i < SAS_SOURCE_BYTES; i++) {
      value = (value << Byte.SIZE) | (source[i] & 0xFF);
    }
    return String.format(Locale.ROOT, "%0" + SAS_DIGITS + "d", value % SAS_MODULUS);
  }

  private static boolean isAllZero(byte[] bytes) {
    int acc = 0;
    for (byte b : bytes) {
      acc |= b;
    }
    return acc == 0;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance(DIGEST);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks " + DIGEST, e);
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
