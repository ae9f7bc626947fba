package io.causerie.transport.dtls;

import java.io.IOException;
import java.net.InetSocketAddress;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The BouncyCastle TLS peers: DTLS 1.2 only, ECDHE-ECDSA AEAD suites only. */
final class Peers {
  private static final Logger log = LoggerFactory.getLogger(Peers.class);

  /** Our cipher suites, in preference order. */
  static final int[] CIPHER_SUITES = {
    CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
  };

  /** The server's signature: ECDSA over P-256 with SHA-256. */
  static final SignatureAndHashAlgorithm SERVER_SIGNATURE =
      new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa);

  private Peers() {}

  private static void logAlert(String who, String dir, short level, short description, String message,
      Throwable cause) {
    if (log.isDebugEnabled()) {
      log.debug("DTLS {}: alert {} {} {}{}", who, dir, AlertLevel.getText(level),
          AlertDescription.getText(description), message == null ? "" : " (" + message + ")",
          cause);
    }
  }

  /**
   * The server's certificate, parsed once for every handshake of a layer: each association keeps the certificate
   * it presented for as long as it lives, and a copy parsed per handshake was about 1.5 KB of ASN.1 objects per
   * signed-in client. Immutable once parsed (BouncyCastle caches the public key in it idempotently).
   */
  static Certificate serverCertificate(BcTlsCrypto crypto, ServerIdentity identity) throws IOException {
    return new Certificate(new TlsCertificate[] {crypto.createCertificate(identity.certificateDer())});
  }

  /**
   * The server side of one handshake. The record layer keeps it for the association's life, so what only the
   * handshake needs (the client's and our extensions, the suites it offered) is let go when the handshake is done.
   */
  static final class Server extends DefaultTlsServer {
    private final ServerIdentity identity;
    private final Certificate certificate;
    private final DtlsConfig config;
    private final BcTlsCrypto bc;

    Server(BcTlsCrypto crypto, ServerIdentity identity, Certificate certificate, DtlsConfig config) {
      super(crypto);
      this.bc = crypto;
      this.identity = identity;
      this.certificate = certificate;
      this.config = config;
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
      super.notifyHandshakeComplete();
      clientExtensions = null;
      serverExtensions.clear();
      offeredCipherSuites = null;
      certificateStatusRequest = null;
      statusRequestV2 = null;
      trustedCAKeys = null;
      clientProtocolNames = null;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
      return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
      return TlsUtils.getSupportedCipherSuites(getCrypto(), CIPHER_SUITES);
    }

    @Override
    protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
      return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), bc,
          identity.privateKeyParameters(), certificate, SERVER_SIGNATURE);
    }

    @Override
    public int getHandshakeTimeoutMillis() {
      return config.handshakeTimeoutMillis();
    }

    @Override
    public int getHandshakeResendTimeMillis() {
      return config.handshakeResendMillis();
    }

    @Override
    public void notifyAlertRaised(short level, short description, String message, Throwable cause) {
      logAlert("server", "sent", level, description, message, cause);
    }

    @Override
    public void notifyAlertReceived(short level, short description) {
      logAlert("server", "received", level, description, null, null);
    }
  }

  /** The client side: authenticates the server by its certificate fingerprint. */
  static final class Client extends DefaultTlsClient {
    private final DtlsConfig config;
    private final InetSocketAddress server;
    private final ServerFingerprintPolicy policy;
    volatile FingerprintMismatchException mismatch;

    Client(BcTlsCrypto crypto, DtlsConfig config, InetSocketAddress server, ServerFingerprintPolicy policy) {
      super(crypto);
      this.config = config;
      this.server = server;
      this.policy = policy;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
      return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
      return TlsUtils.getSupportedCipherSuites(getCrypto(), CIPHER_SUITES);
    }

    @Override
    public int getHandshakeTimeoutMillis() {
      return config.handshakeTimeoutMillis();
    }

    @Override
    public int getHandshakeResendTimeMillis() {
      return config.handshakeResendMillis();
    }

    @Override
    public TlsAuthentication getAuthentication() {
      return new TlsAuthentication() {
        @Override
        public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
          Certificate chain = serverCertificate.getCertificate();
          if (chain == null || chain.isEmpty()) {
            throw new TlsFatalAlert(AlertDescription.bad_certificate, "no server certificate");
          }
          String presented = ServerIdentity.fingerprintOf(chain.getCertificateAt(0).getEncoded());
          try {
            policy.check(server, presented);
          } catch (FingerprintMismatchException e) {
            mismatch = e;
            throw new TlsFatalAlert(AlertDescription.bad_certificate, e.getMessage(), e);
          }
        }

        @Override
        public TlsCredentials getClientCredentials(CertificateRequest certificateRequest) {
          return null;
        }
      };
    }

    @Override
    public void notifyAlertRaised(short level, short description, String message, Throwable cause) {
      logAlert("client", "sent", level, description, message, cause);
    }

    @Override
    public void notifyAlertReceived(short level, short description) {
      logAlert("client", "received", level, description, null, null);
    }
  }
}
