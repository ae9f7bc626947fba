package io.causerie.protocol.scram;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;

/**
 * The client side of one SCRAM-SHA-256 login (RFC 5802 §3, RFC 7677), without channel binding: build the
 * client-first message, answer the server-first with a proof, then check the server's signature.
 *
 * <pre>
 *   client-first  n,,n=&lt;saslname&gt;,r=&lt;client nonce&gt;
 *   server-first  r=&lt;client nonce + server nonce&gt;,s=&lt;base64 salt&gt;,i=&lt;iterations&gt;
 *   client-final  c=biws,r=&lt;nonce&gt;,p=&lt;base64 ClientProof&gt;
 *   server-final  v=&lt;base64 ServerSignature&gt;   (or e=&lt;error&gt;)
 * </pre>
 *
 * <p>Pure and single-use; not thread-safe. The password copy is wiped once the proof is computed.
 */
public final class ScramClient {
  /** GS2 header for "client does not support channel binding" with no authzid. */
  static final String GS2_HEADER = "n,,";

  /** base64("n,,"), the channel-binding attribute value every client-final carries. */
  static final String CHANNEL_BINDING = "biws";

  private final String username;
  private final char[] password;
  private final String clientNonce;
  private final String clientFirstBare;
  private byte[] expectedServerSignature;
  private boolean verified;

  /**
   * A client with an explicit nonce (tests use the RFC's); {@link #withRandomNonce} is the normal way.
   *
   * @throws IllegalArgumentException for an empty or over-long user name, an empty password or a nonce that is
   *     not printable ASCII without commas
   */
  public ScramClient(String username, char[] password, String clientNonce) {
    this(username, password, clientNonce, "");
  }

  /**
   * A client whose client-first message carries {@code extension} after the nonce (RFC 5802 §5.1: an attribute
   * {@code a=value} that is not {@code m}; "" for none), e.g. {@link io.causerie.protocol.ClientFeatures#extension}.
   * It is part of the AuthMessage, so the proofs cover it.
   *
   * @throws IllegalArgumentException as above, or for a malformed or mandatory extension
   */
  public ScramClient(String username, char[] password, String clientNonce, String extension) {
    if (!extension.isEmpty() && (extension.length() < 2 || !ScramSyntax.isAttributeName(extension.charAt(0))
        || extension.charAt(0) == 'm' || extension.charAt(1) != '=' || extension.indexOf(',') >= 0
        || extension.indexOf('\0') >= 0)) {
      throw new IllegalArgumentException("a client-first extension is one attribute a=value, not m=: " + extension);
    }
    try {
      ScramSyntax.checkUsername(username);
    } catch (ScramException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    if (password.length == 0) {
      throw new IllegalArgumentException("password must not be empty");
    }
    if (!ScramSyntax.isPrintable(clientNonce)) {
      throw new IllegalArgumentException("client nonce must be printable ASCII without commas");
    }
    this.username = username;
    this.password = password.clone();
    this.clientNonce = clientNonce;
    this.clientFirstBare = "n=" + ScramSyntax.escapeUsername(username) + ",r=" + clientNonce
        + (extension.isEmpty() ? "" : "," + extension);
  }

  /** A client with a fresh random nonce. */
  public static ScramClient withRandomNonce(String username, char[] password, SecureRandom random) {
    return new ScramClient(username, password, ScramNonce.generate(random));
  }

  /** A client with a fresh random nonce and a client-first extension ("" for none). */
  public static ScramClient withRandomNonce(String username, char[] password, SecureRandom random, String extension) {
    return new ScramClient(username, password, ScramNonce.generate(random), extension);
  }

  public String username() {
    return username;
  }

  /** {@code n,,n=<saslname>,r=<nonce>[,<extension>]}. */
  public String clientFirstMessage() {
    return GS2_HEADER + clientFirstBare;
  }

  /**
   * Answers the server-first message with the client-final message carrying the proof.
   *
   * @throws ScramException when the message is malformed, its nonce does not extend ours, or its iteration count
   *     is outside {@link ScramCredential#MIN_ITERATIONS}..{@link ScramCredential#MAX_ITERATIONS}
   */
  public String clientFinalMessage(String serverFirst) throws ScramException {
    if (expectedServerSignature != null) {
      throw new IllegalStateException("clientFinalMessage was already called");
    }
    ScramSyntax.checkSize(serverFirst, "server-first message");
    List<String> parts = ScramSyntax.split(serverFirst);
    if (!parts.isEmpty() && ScramSyntax.is(parts.get(0), 'm')) {
      throw new ScramException("server-first message: mandatory extension is not supported");
    }
    String nonce = ScramSyntax.attribute(parts, 0, 'r', "server-first message");
    String saltText = ScramSyntax.attribute(parts, 1, 's', "server-first message");
    String iterationText = ScramSyntax.attribute(parts, 2, 'i', "server-first message");
    ScramSyntax.checkExtensions(parts, 3, "server-first message");

    if (!ScramSyntax.isPrintable(nonce)) {
      throw new ScramException("server-first message: nonce is not printable ASCII");
    }
    if (!nonce.startsWith(clientNonce) || nonce.length() == clientNonce.length()) {
      throw new ScramException("server-first message: nonce does not extend the client nonce");
    }
    byte[] salt = ScramSyntax.base64(saltText, "server-first message: salt");
    if (salt.length == 0 || salt.length > ScramLimits.MAX_SALT_BYTES) {
      throw new ScramException(
          "server-first message: salt must be 1.." + ScramLimits.MAX_SALT_BYTES + " bytes, got " + salt.length);
    }
    int iterations = parseIterations(iterationText);

    String clientFinalWithoutProof = "c=" + CHANNEL_BINDING + ",r=" + nonce;
    String authMessage = clientFirstBare + "," + serverFirst + "," + clientFinalWithoutProof;

    byte[] normalized = ScramCrypto.normalize(password);
    byte[] salted = ScramCrypto.hi(normalized, salt, iterations);
    byte[] clientKey = ScramCrypto.clientKey(salted);
    byte[] storedKey = ScramCrypto.sha256(clientKey);
    byte[] clientSignature = ScramCrypto.hmac(storedKey, authMessage);
    byte[] proof = ScramCrypto.xor(clientKey, clientSignature);
    byte[] serverKey = ScramCrypto.serverKey(salted);
    expectedServerSignature = ScramCrypto.hmac(serverKey, authMessage);
    Arrays.fill(password, '\0');
    Arrays.fill(normalized, (byte) 0);
    Arrays.fill(salted, (byte) 0);
    Arrays.fill(clientKey, (byte) 0);
    Arrays.fill(serverKey, (byte) 0);
    return clientFinalWithoutProof + ",p=" + ScramSyntax.base64(proof);
  }

  /**
   * Checks the server-final message: the server proves it holds this user's ServerKey.
   *
   * @throws ScramAuthenticationException when the server answered {@code e=...} (it rejected the login)
   * @throws ScramException when the message is malformed or the signature does not match (an impostor server)
   */
  public void verifyServerFinal(String serverFinal) throws ScramException {
    if (expectedServerSignature == null) {
      throw new IllegalStateException("clientFinalMessage must be called before verifyServerFinal");
    }
    ScramSyntax.checkSize(serverFinal, "server-final message");
    List<String> parts = ScramSyntax.split(serverFinal);
    if (ScramSyntax.is(parts.get(0), 'e')) {
      throw new ScramAuthenticationException("server rejected the login: " + sanitize(parts.get(0).substring(2)));
    }
    String signatureText = ScramSyntax.attribute(parts, 0, 'v', "server-final message");
    ScramSyntax.checkExtensions(parts, 1, "server-final message");
    byte[] signature = ScramSyntax.base64(signatureText, "server-final message: signature");
    if (!MessageDigest.isEqual(signature, expectedServerSignature)) {
      throw new ScramException("server signature does not verify: the server does not hold this user's credential");
    }
    verified = true;
  }

  /** True once {@link #verifyServerFinal} accepted the server's signature. */
  public boolean isServerVerified() {
    return verified;
  }

  private static int parseIterations(String text) throws ScramException {
    if (text.isEmpty() || text.length() > 10 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new ScramException("server-first message: iteration count is not a positive decimal number");
    }
    long iterations = Long.parseLong(text);
    if (iterations < ScramCredential.MIN_ITERATIONS) {
      throw new ScramException("server-first message: iteration count " + iterations
          + " is below the minimum " + ScramCredential.MIN_ITERATIONS);
    }
    if (iterations > ScramCredential.MAX_ITERATIONS) {
      throw new ScramException("server-first message: iteration count " + iterations
          + " exceeds the maximum " + ScramCredential.MAX_ITERATIONS + " this client computes");
    }
    return (int) iterations;
  }

  /** Keeps a server-supplied error value printable and short before it lands in a message. */
  private static String sanitize(String value) {
    String ascii = new String(value.getBytes(StandardCharsets.US_ASCII), StandardCharsets.US_ASCII);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < ascii.length() && out.length() < 64; i++) {
      char c = ascii.charAt(i);
      out.append(c >= 0x20 && c < 0x7F ? c : '?');
    }
    return out.toString();
  }
}
