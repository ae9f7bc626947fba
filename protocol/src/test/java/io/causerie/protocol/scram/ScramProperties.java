package io.causerie.protocol.scram;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;

/** Whatever a peer sends, the parsers answer with a result or a {@link ScramException}, never another exception. */
class ScramProperties {
  private static final String CLIENT_NONCE = "rOprNGfwEbeRWgbNEkqO";
  private static final String SERVER_NONCE = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
  private static final FakeCredentials FAKE =
      new FakeCredentials("a server secret of 32 bytes.....".getBytes(StandardCharsets.US_ASCII), 4096);
  private static final ScramCredential PENCIL =
      ScramCredential.derive("pencil".toCharArray(), Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);

  /** One client past its final message, shared across tries: verifyServerFinal only changes state on success. */
  private static ScramClient verifiedClient;

  @Property(tries = 1000)
  void clientFirstParserThrowsOnlyScramException(@ForAll("messages") String message) {
    try {
      ScramServer.start(message, name -> Optional.of(PENCIL), SERVER_NONCE, FAKE);
    } catch (ScramException expected) {
      // the only failure allowed
    }
  }

  @Property(tries = 1000)
  void arbitraryUnicodeClientFirstThrowsOnlyScramException(@ForAll @StringLength(max = 1100) String message) {
    try {
      ScramServer.parseClientFirst(message);
    } catch (ScramException expected) {
      // fine
    }
  }

  @Property(tries = 1000)
  void clientFinalParserThrowsOnlyScramException(@ForAll("clientFinals") String message) throws ScramException {
    ScramServer server = ScramServer.start("n,,n=user,r=" + CLIENT_NONCE, name -> Optional.of(PENCIL), SERVER_NONCE, FAKE);
    try {
      server.serverFinal(message);
    } catch (ScramException expected) {
      // includes ScramAuthenticationException
    }
  }

  @Property(tries = 300)
  void serverFirstParserThrowsOnlyScramException(@ForAll("serverFirsts") String message) {
    ScramClient client = new ScramClient("user", "pencil".toCharArray(), CLIENT_NONCE);
    try {
      client.clientFinalMessage(message);
    } catch (ScramException expected) {
      // fine
    }
  }

  @Property(tries = 1000)
  void serverFinalParserThrowsOnlyScramException(@ForAll("serverFinals") String message) throws ScramException {
    try {
      client().verifyServerFinal(message);
    } catch (ScramException expected) {
      // fine
    }
  }

  private static synchronized ScramClient client() throws ScramException {
    if (verifiedClient == null) {
      verifiedClient = new ScramClient("user", "pencil".toCharArray(), CLIENT_NONCE);
      verifiedClient.clientFinalMessage(ScramClientTest.SERVER_FIRST);
    }
    return verifiedClient;
  }

  /** Strings built from SCRAM's own tokens reach deeper into the parsers than uniform noise does. */
  private static Arbitrary<String> tokens(String... extra) {
    Arbitrary<String> token = Arbitraries.oneOf(
        Arbitraries.of("n", "y", "p=tls", ",", ",", "=", "=2C", "=3D", "=4", "n=", "r=", "s=", "i=", "c=", "p=",
            "v=", "e=", "m=", "a=", "x=", "biws", "eSws", "AAAA", "AA==", "====", "4096", "-1", "\u0000", "é", "\uD800",
            "user", CLIENT_NONCE, SERVER_NONCE, "W22ZaJ0SNY7soEsUEjb6gQ=="),
        Arbitraries.of(extra.length == 0 ? new String[] {"x"} : extra),
        Arbitraries.strings().ofMaxLength(8));
    return token.list().ofMaxSize(24).map(l -> String.join("", l));
  }

  @Provide
  Arbitrary<String> messages() {
    return Arbitraries.oneOf(tokens("n,,", "n,,n=user,r=abc"), Arbitraries.strings().ofMaxLength(1100));
  }

  @Provide
  Arbitrary<String> clientFinals() {
    return Arbitraries.oneOf(
        tokens("c=biws,r=" + CLIENT_NONCE + SERVER_NONCE, ",p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="),
        Arbitraries.strings().ofMaxLength(1100));
  }

  @Provide
  Arbitrary<String> serverFirsts() {
    // Iteration counts stay small or out of range, so no try pays for a large PBKDF2.
    return Arbitraries.oneOf(
        tokens("r=" + CLIENT_NONCE + SERVER_NONCE, ",s=W22ZaJ0SNY7soEsUEjb6gQ==", ",i=4096", ",i=10000001",
            ",i=99999999999", ",i=4095"),
        Arbitraries.strings().ofMaxLength(1100));
  }

  @Provide
  Arbitrary<String> serverFinals() {
    return Arbitraries.oneOf(
        tokens("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=", "e=invalid-proof"),
        Arbitraries.strings().ofMaxLength(1100));
  }
}
