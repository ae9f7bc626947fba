package io.causerie.protocol.scram;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The server side of one SCRAM-SHA-256 login (RFC 5802 §3, RFC 7677), pure and single-use.
 *
 * <p>An unknown user gets a server-first message made from {@link FakeCredentials}, indistinguishable in shape,
 * iteration count and salt stability from a known user's, and then fails at the final step with exactly the
 * exception a wrong password gets. The proof is checked in constant time. Channel binding is not supported: a
 * client-first whose GS2 header is not {@code n,,} (including any authzid) is rejected.
 *
 * <p>Not thread-safe: one instance per login attempt, used by one thread.
 */
public final class ScramServer {
  /** What to send the client when {@link #serverFinal} fails (RFC 5802 §7 server-error); the same for every cause. */
  public static final String FAILURE_SERVER_FINAL = "e=invalid-proof";

  /** A parsed client-first message: the user name (unescaped), the client's nonce and the bare part. */
  public record ClientFirst(String username, String clientNonce, String bare) {}

  private final String username;
  private final ScramCredential credential;
  private final boolean known;
  private final String clientFirstBare;
  private final String nonce;
  private final String serverFirst;
  private boolean finished;

  private ScramServer(ClientFirst first, ScramCredential credential, boolean known, String serverNonce) {
    this.username = first.username();
    this.credential = credential;
    this.known = known;
    this.clientFirstBare = first.bare();
    this.nonce = first.clientNonce() + serverNonce;
    this.serverFirst =
        "r=" + nonce + ",s=" + credential.saltBase64() + ",i=" + credential.iterations();
  }

  /**
   * Parses the client-first message, looks the user up, and prepares the server-first message.
   *
   * @param lookup the user store; an empty answer makes the login fail later, indistinguishably
   * @param serverNonce the server's printable nonce part (see {@link ScramNonce#generate}), at least
   *     {@link ScramLimits#MIN_SERVER_NONCE_CHARS} characters
   * @throws ScramException for a malformed client-first message, channel binding, an authzid or a mandatory extension
   */
  public static ScramServer start(String clientFirst, Function<String, Optional<ScramCredential>> lookup,
      String serverNonce, FakeCredentials fake) throws ScramException {
    ClientFirst parsed = parseClientFirst(clientFirst);
    return start(parsed, lookup.apply(parsed.username()), serverNonce, fake);
  }

  /**
   * Prepares the server-first message for an already parsed client-first message, for callers that look the user
   * up elsewhere (off the signalling thread, say).
   */
  public static ScramServer start(ClientFirst clientFirst, Optional<ScramCredential> credential, String serverNonce,
      FakeCredentials fake) {
    if (!ScramSyntax.isPrintable(serverNonce) || serverNonce.length() < ScramLimits.MIN_SERVER_NONCE_CHARS) {
      throw new IllegalArgumentException("server nonce must be at least " + ScramLimits.MIN_SERVER_NONCE_CHARS
          + " printable ASCII characters without commas");
    }
    return credential
        .map(c -> new ScramServer(clientFirst, c, true, serverNonce))
        .orElseGet(() -> new ScramServer(clientFirst, fake.credentialFor(clientFirst.username()), false, serverNonce));
  }

  /**
   * Parses {@code n,,n=<saslname>,r=<nonce>[,extensions]}.
   *
   * @throws ScramException for anything malformed or unsupported, with a message saying what
   */
  public static ClientFirst parseClientFirst(String clientFirst) throws ScramException {
    ScramSyntax.checkSize(clientFirst, "client-first message");
    List<String> parts = ScramSyntax.split(clientFirst);
    if (parts.size() < 2) {
      throw new ScramException("client-first message: missing GS2 header");
    }
    String flag = parts.get(0);
    if (flag.equals("y") || flag.startsWith("p=")) {
      throw new ScramException("client-first message: channel binding is not supported (GS2 header must be \"n,,\")");
    }
    if (!flag.equals("n")) {
      throw new ScramException("client-first message: GS2 header must be \"n,,\"");
    }
    if (!parts.get(1).isEmpty()) {
      throw new ScramException("client-first message: an authorization identity (a=) is not supported");
    }
    List<String> bare = parts.subList(2, parts.size());
    if (!bare.isEmpty() && ScramSyntax.is(bare.get(0), 'm')) {
      throw new ScramException("client-first message: mandatory extension is not supported");
    }
    String username = ScramSyntax.unescapeUsername(ScramSyntax.attribute(bare, 0, 'n', "client-first message"));
    String clientNonce = ScramSyntax.attribute(bare, 1, 'r', "client-first message");
    if (!ScramSyntax.isPrintable(clientNonce)) {
      throw new ScramException("client-first message: nonce must be printable ASCII without commas");
    }
    ScramSyntax.checkExtensions(bare, 2, "client-first message");
    int bareStart = flag.length() + 1 + parts.get(1).length() + 1;
    return new ClientFirst(username, clientNonce, clientFirst.substring(bareStart));
  }

  /** The user name the client claimed (unescaped); known or not. */
  public String username() {
    return username;
  }

  /** {@code r=<combined nonce>,s=<base64 salt>,i=<iterations>}. */
  public String serverFirstMessage() {
    return serverFirst;
  }

  /**
   * Checks the client-final message and returns the server-final message {@code v=<base64 ServerSignature>}.
   *
   * @throws ScramAuthenticationException for a wrong proof, a wrong nonce, a wrong channel binding or an unknown
   *     user, always with {@link ScramAuthenticationException#SERVER_MESSAGE}; send {@link #FAILURE_SERVER_FINAL}
   * @throws ScramException for a malformed message
   * @throws IllegalStateException when called twice
   */
  public String serverFinal(String clientFinal) throws ScramException {
    if (finished) {
      throw new IllegalStateException("serverFinal was already called for this login");
    }
    finished = true;
    ScramSyntax.checkSize(clientFinal, "client-final message");
    List<String> parts = ScramSyntax.split(clientFinal);
    String channelBinding = ScramSyntax.attribute(parts, 0, 'c', "client-final message");
    String finalNonce = ScramSyntax.attribute(parts, 1, 'r', "client-final message");
    int last = parts.size() - 1;
    if (last < 2 || !ScramSyntax.is(parts.get(last), 'p')) {
      throw new ScramException("client-final message: expected the proof 'p=' as the last attribute");
    }
    ScramSyntax.checkExtensions(parts.subList(0, last), 2, "client-final message");
    byte[] proof = ScramSyntax.base64(parts.get(last).substring(2), "client-final message: proof");

    String withoutProof = clientFinal.substring(0, clientFinal.length() - parts.get(last).length() - 1);
    String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;

    // Every check runs whatever the earlier ones said, so the time taken does not tell which one failed.
    byte[] clientSignature = ScramCrypto.hmac(credential.storedKeyView(), authMessage);
    byte[] paddedProof = new byte[ScramLimits.HASH_BYTES];
    System.arraycopy(proof, 0, paddedProof, 0, Math.min(proof.length, paddedProof.length));
    byte[] clientKey = ScramCrypto.xor(paddedProof, clientSignature);
    boolean proofOk = MessageDigest.isEqual(ScramCrypto.sha256(clientKey), credential.storedKeyView());
    boolean lengthOk = proof.length == ScramLimits.HASH_BYTES;
    boolean nonceOk = MessageDigest.isEqual(
        finalNonce.getBytes(StandardCharsets.UTF_8), nonce.getBytes(StandardCharsets.UTF_8));
    boolean bindingOk = channelBinding.equals(ScramClient.CHANNEL_BINDING);
    byte[] serverSignature = ScramCrypto.hmac(credential.serverKeyView(), authMessage);
    if (!(known & proofOk & lengthOk & nonceOk & bindingOk)) {
      throw new ScramAuthenticationException(ScramAuthenticationException.SERVER_MESSAGE);
    }
    return "v=" + ScramSyntax.base64(serverSignature);
  }
}
