package io.causerie.transport.dtls;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.HexFormat;
import java.util.Locale;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The server's long-term DTLS identity: a P-256 key and a self-signed X.509 certificate, generated
 * at first start and stored by the server (see {@link #encode()}). Clients pin the certificate's
 * SHA-256 {@link #fingerprint()}. Immutable.
 */
public final class ServerIdentity {
  /** JCA name of the curve. */
  public static final String CURVE = "secp256r1";
  /** Signature algorithm of the self-signed certificate. */
  public static final String CERT_SIGNATURE = "SHA256withECDSA";
  /** Subject and issuer of the certificate. */
  public static final String SUBJECT = "CN=Causerie server";
  /** Validity of a generated certificate (nobody checks it; pinning is by fingerprint). */
  public static final Duration VALIDITY = Duration.ofDays(100L * 365);
  /** Backdating of notBefore, against clock skew. */
  public static final Duration BACKDATE = Duration.ofDays(1);
  /** Prefix of fingerprints. */
  public static final String FINGERPRINT_PREFIX = "SHA256:";

  /** First bytes of {@link #encode()}: "CSID" and the format version. */
  private static final byte[] MAGIC = {'C', 'S', 'I', 'D'};
  private static final byte FORMAT_VERSION = 1;
  /** Bound on each encoded part, against corrupt lengths. */
  private static final int MAX_PART_BYTES = 16 * 1024;
  private static final int SERIAL_BITS = 63;

  private final byte[] pkcs8;
  private final byte[] certificateDer;
  private final ECPrivateKeyParameters privateKey;
  private final String fingerprint;

  private ServerIdentity(byte[] pkcs8, byte[] certificateDer) {
    this.pkcs8 = pkcs8.clone();
    this.certificateDer = certificateDer.clone();
    try {
      AsymmetricKeyParameter key = PrivateKeyFactory.createKey(this.pkcs8);
      if (!(key instanceof ECPrivateKeyParameters ec)) {
        throw new IllegalArgumentException("the private key is not an EC key");
      }
      AsymmetricKeyParameter pub =
          PublicKeyFactory.createKey(Certificate.getInstance(this.certificateDer).getSubjectPublicKeyInfo());
      if (!(pub instanceof ECPublicKeyParameters ecPub)
          || !ec.getParameters().getG().multiply(ec.getD()).normalize().equals(ecPub.getQ().normalize())) {
        throw new IllegalArgumentException("the certificate does not match the private key");
      }
      if (ec.getParameters().getCurve().getFieldSize() != 256) {
        throw new IllegalArgumentException("the key is not on a 256-bit curve");
      }
      this.privateKey = ec;
    } catch (IOException | RuntimeException e) {
      if (e instanceof IllegalArgumentException iae) {
        throw iae;
      }
      throw new IllegalArgumentException("not a valid server identity: " + e.getMessage(), e);
    }
    this.fingerprint = fingerprintOf(this.certificateDer);
  }

  /** Generates a new P-256 key and a self-signed certificate for it. */
  public static ServerIdentity generate(SecureRandom random) {
    try {
      KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
      kpg.initialize(new ECGenParameterSpec(CURVE), random);
      KeyPair kp = kpg.generateKeyPair();
      Instant now = Instant.now();
      X500Name name = new X500Name(SUBJECT);
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
          new BigInteger(SERIAL_BITS, random), Date.from(now.minus(BACKDATE)), Date.from(now.plus(VALIDITY)),
          name, kp.getPublic());
      byte[] der = builder.build(new JcaContentSignerBuilder(CERT_SIGNATURE).setSecureRandom(random)
          .build(kp.getPrivate())).getEncoded();
      return new ServerIdentity(kp.getPrivate().getEncoded(), der);
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException("cannot generate a server identity", e);
    }
  }

  /**
   * Encodes the identity for storage: "CSID", a version byte, then the PKCS#8 private key and the
   * DER certificate, each preceded by its length as a 4-byte big-endian integer. Contains the private
   * key: store it like a password.
   */
  public byte[] encode() {
    return ByteBuffer.allocate(MAGIC.length + 1 + 4 + pkcs8.length + 4 + certificateDer.length)
        .put(MAGIC).put(FORMAT_VERSION)
        .putInt(pkcs8.length).put(pkcs8)
        .putInt(certificateDer.length).put(certificateDer)
        .array();
  }

  /** Decodes {@link #encode()}; throws IllegalArgumentException if corrupt or inconsistent. */
  public static ServerIdentity decode(byte[] encoded) {
    try {
      ByteBuffer b = ByteBuffer.wrap(encoded);
      byte[] magic = new byte[MAGIC.length];
      b.get(magic);
      if (!Arrays.equals(magic, MAGIC) || b.get() != FORMAT_VERSION) {
        throw new IllegalArgumentException("not an encoded server identity (bad magic or version)");
      }
      byte[] key = part(b);
      byte[] cert = part(b);
      if (b.hasRemaining()) {
        throw new IllegalArgumentException("trailing bytes after the server identity");
      }
      return new ServerIdentity(key, cert);
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("truncated server identity", e);
    }
  }

  private static byte[] part(ByteBuffer b) {
    int n = b.getInt();
    if (n <= 0 || n > MAX_PART_BYTES || n > b.remaining()) {
      throw new IllegalArgumentException("bad part length in server identity: " + n);
    }
    byte[] p = new byte[n];
    b.get(p);
    return p;
  }

  /** "SHA256:" and the uppercase hex pairs, separated by ':', of the certificate's SHA-256. */
  public String fingerprint() {
    return fingerprint;
  }

  /** The fingerprint of a DER certificate, in the format of {@link #fingerprint()}. */
  public static String fingerprintOf(byte[] der) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(der);
      return FINGERPRINT_PREFIX + HexFormat.ofDelimiter(":").withUpperCase().formatHex(h);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  /**
   * Normalises a fingerprint as typed by a user: optional "SHA256:" prefix (any case), hex digits in
   * any case, with or without ':' separators. Returns the canonical form or throws
   * IllegalArgumentException.
   */
  public static String normalizeFingerprint(String text) {
    String t = text.strip();
    if (t.regionMatches(true, 0, FINGERPRINT_PREFIX, 0, FINGERPRINT_PREFIX.length())) {
      t = t.substring(FINGERPRINT_PREFIX.length());
    }
    String hex = t.replace(":", "").toUpperCase(Locale.ROOT);
    if (hex.length() != 64 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      throw new IllegalArgumentException("not a SHA-256 fingerprint: '" + text + "'");
    }
    return FINGERPRINT_PREFIX + HexFormat.ofDelimiter(":").withUpperCase().formatHex(HexFormat.of().parseHex(hex));
  }

  /** A copy of the DER certificate. */
  public byte[] certificateDer() {
    return certificateDer.clone();
  }

  ECPrivateKeyParameters privateKeyParameters() {
    return privateKey;
  }

  @Override
  public String toString() {
    return "ServerIdentity[" + fingerprint + "]";
  }
}
