package io.causerie.protocol.scram;

import static io.causerie.protocol.scram.ScramClientTest.CLIENT_FINAL;
import static io.causerie.protocol.scram.ScramClientTest.CLIENT_NONCE;
import static io.causerie.protocol.scram.ScramClientTest.SERVER_FINAL;
import static io.causerie.protocol.scram.ScramClientTest.SERVER_FIRST;
import static io.causerie.protocol.scram.ScramClientTest.SERVER_NONCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ScramServerTest {
  private static final byte[] SECRET = "a server secret of 32 bytes.....".getBytes(StandardCharsets.US_ASCII);
  private static final ScramCredential PENCIL =
      ScramCredential.derive("pencil".toCharArray(), Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);

  private final SecureRandom random = new SecureRandom();
  private final Map<String, ScramCredential> users = new HashMap<>();
  private final List<String> lookedUp = new ArrayList<>();
  private final Function<String, Optional<ScramCredential>> lookup = name -> {
    lookedUp.add(name);
    return Optional.ofNullable(users.get(name));
  };

  private static FakeCredentials fake() {
    return new FakeCredentials(SECRET);
  }

  @Test
  void rfc7677TestVector() throws ScramException {
    users.put("user", PENCIL);
    ScramServer server = ScramServer.start("n,,n=user,r=" + CLIENT_NONCE, lookup, SERVER_NONCE, fake());
    assertThat(server.username()).isEqualTo("user");
    assertThat(server.serverFirstMessage()).isEqualTo(SERVER_FIRST);
    assertThat(server.serverFinal(CLIENT_FINAL)).isEqualTo(SERVER_FINAL);
  }

  @Test
  void clientAndServerRoundTrip() throws ScramException {
    users.put("élodie,=x", ScramCredential.generate("s3cret päss".toCharArray(), 4096, random));
    ScramClient client = ScramClient.withRandomNonce("élodie,=x", "s3cret päss".toCharArray(), random);
    ScramServer server = ScramServer.start(client.clientFirstMessage(), lookup, ScramNonce.generate(random), fake());
    assertThat(lookedUp).containsExactly("élodie,=x");
    String serverFinal = server.serverFinal(client.clientFinalMessage(server.serverFirstMessage()));
    client.verifyServerFinal(serverFinal);
    assertThat(client.isServerVerified()).isTrue();
  }

  @Test
  void wrongPasswordAndUnknownUserFailAlike() throws ScramException {
    users.put("alice", ScramCredential.generate("right".toCharArray(), 4096, random));
    FakeCredentials fake = new FakeCredentials(SECRET, 4096);

    ScramClient wrongPassword = ScramClient.withRandomNonce("alice", "wrong".toCharArray(), random);
    ScramServer known = ScramServer.start(wrongPassword.clientFirstMessage(), lookup, ScramNonce.generate(random), fake);
    ScramClient unknownUser = ScramClient.withRandomNonce("mallory", "wrong".toCharArray(), random);
    ScramServer unknown = ScramServer.start(unknownUser.clientFirstMessage(), lookup, ScramNonce.generate(random), fake);

    String shape = "r=[!-+\\--~]{48},s=[A-Za-z0-9+/]{22}==,i=4096";
    assertThat(known.serverFirstMessage()).matches(shape);
    assertThat(unknown.serverFirstMessage()).matches(shape);

    String knownFinal = wrongPassword.clientFinalMessage(known.serverFirstMessage());
    String unknownFinal = unknownUser.clientFinalMessage(unknown.serverFirstMessage());
    Throwable a = catchThrowable(() -> known.serverFinal(knownFinal));
    Throwable b = catchThrowable(() -> unknown.serverFinal(unknownFinal));
    assertThat(a).isExactlyInstanceOf(ScramAuthenticationException.class);
    assertThat(b).isExactlyInstanceOf(a.getClass()).hasMessage(a.getMessage());
  }

  @Test
  void unknownUserGetsTheDefaultIterationCountAndAStableSalt() throws ScramException {
    ScramServer first = ScramServer.start("n,,n=ghost,r=abc", lookup, ScramNonce.generate(random), fake());
    ScramServer again = ScramServer.start("n,,n=ghost,r=xyz", lookup, ScramNonce.generate(random), fake());
    ScramServer other = ScramServer.start("n,,n=ghost2,r=abc", lookup, ScramNonce.generate(random), fake());
    assertThat(first.serverFirstMessage()).endsWith(",i=" + ScramCredential.DEFAULT_ITERATIONS);
    assertThat(salt(first)).isEqualTo(salt(again)).hasSize(ScramLimits.SALT_BYTES);
    assertThat(salt(other)).isNotEqualTo(salt(first));
    ScramServer otherSecret = ScramServer.start(
        "n,,n=ghost,r=abc", lookup, ScramNonce.generate(random), FakeCredentials.random(random));
    assertThat(salt(otherSecret)).isNotEqualTo(salt(first));
  }

  @Test
  void parsedAndLookupStartsAgree() throws ScramException {
    users.put("user", PENCIL);
    ScramServer.ClientFirst first = ScramServer.parseClientFirst("n,,n=user,r=" + CLIENT_NONCE);
    ScramServer viaParsed = ScramServer.start(first, Optional.of(PENCIL), SERVER_NONCE, fake());
    ScramServer viaLookup = ScramServer.start("n,,n=user,r=" + CLIENT_NONCE, lookup, SERVER_NONCE, fake());
    assertThat(viaParsed.serverFirstMessage()).isEqualTo(viaLookup.serverFirstMessage());
    ScramServer unknown = ScramServer.start(first, Optional.empty(), SERVER_NONCE, fake());
    assertThatThrownBy(() -> unknown.serverFinal(CLIENT_FINAL))
        .isExactlyInstanceOf(ScramAuthenticationException.class);
  }

  @Test
  void wrongNonceOrChannelBindingFailLikeAWrongPassword() throws ScramException {
    users.put("user", PENCIL);
    String[] bad = {
        CLIENT_FINAL.replace("$k0", "$k1"),
        CLIENT_FINAL.replace("c=biws", "c=eSws"),
        CLIENT_FINAL.replace("p=dHzb", "p=dHzc"),
        CLIENT_FINAL.replaceAll(",p=.*", ",p=AAAA"),
    };
    for (String clientFinal : bad) {
      ScramServer server = ScramServer.start("n,,n=user,r=" + CLIENT_NONCE, lookup, SERVER_NONCE, fake());
      assertThatThrownBy(() -> server.serverFinal(clientFinal))
          .as(clientFinal)
          .isExactlyInstanceOf(ScramAuthenticationException.class)
          .hasMessage(ScramAuthenticationException.SERVER_MESSAGE);
    }
  }

  @Test
  void channelBindingAndAuthzidAreRejected() {
    assertThatThrownBy(() -> ScramServer.parseClientFirst("y,,n=user,r=abc"))
        .isExactlyInstanceOf(ScramException.class).hasMessageContaining("channel binding");
    assertThatThrownBy(() -> ScramServer.parseClientFirst("p=tls-unique,,n=user,r=abc"))
        .isExactlyInstanceOf(ScramException.class).hasMessageContaining("channel binding");
    assertThatThrownBy(() -> ScramServer.parseClientFirst("n,a=admin,n=user,r=abc"))
        .isExactlyInstanceOf(ScramException.class).hasMessageContaining("authorization identity");
    assertThatThrownBy(() -> ScramServer.parseClientFirst("n,,m=ext,n=user,r=abc"))
        .isExactlyInstanceOf(ScramException.class).hasMessageContaining("mandatory extension");
  }

  @Test
  void userNamesAreUnescapedAndLimited() throws ScramException {
    assertThat(ScramServer.parseClientFirst("n,,n=a=2Cb=3Dc,r=abc").username()).isEqualTo("a,b=c");
    assertThat(ScramServer.parseClientFirst("n,,n=" + "é".repeat(32) + ",r=abc").username()).hasSize(32);
    assertThatThrownBy(() -> ScramServer.parseClientFirst("n,,n=" + "é".repeat(32) + "x,r=abc"))
        .isInstanceOf(ScramException.class).hasMessageContaining("64");
    assertThatThrownBy(() -> ScramServer.parseClientFirst("n,,n=a=41,r=abc"))
        .isInstanceOf(ScramException.class).hasMessageContaining("escape");
    assertThatThrownBy(() -> ScramServer.parseClientFirst("n,,n=,r=abc"))
        .isInstanceOf(ScramException.class).hasMessageContaining("empty");
    assertThatThrownBy(() -> ScramServer.parseClientFirst("n,,n=user,r=ab\u00e7"))
        .isInstanceOf(ScramException.class).hasMessageContaining("nonce");
  }

  @Test
  void clientFirstKeepsItsExtensionsInTheBarePart() throws ScramException {
    ScramServer.ClientFirst first = ScramServer.parseClientFirst("n,,n=user,r=abc,x=1");
    assertThat(first.bare()).isEqualTo("n=user,r=abc,x=1");
    assertThat(first.clientNonce()).isEqualTo("abc");
  }

  @Test
  void oversizedMessagesAreRejected() throws ScramException {
    String huge = "n,,n=user,r=" + "a".repeat(ScramLimits.MAX_MESSAGE_BYTES);
    assertThatThrownBy(() -> ScramServer.parseClientFirst(huge))
        .isInstanceOf(ScramException.class).hasMessageContaining("1024");
    ScramServer server = ScramServer.start("n,,n=user,r=abc", lookup, SERVER_NONCE, fake());
    assertThatThrownBy(() -> server.serverFinal("c=biws,r=x,p=" + "A".repeat(2000)))
        .isInstanceOf(ScramException.class).hasMessageContaining("1024");
  }

  @Test
  void malformedClientFinalIsAParseError() throws ScramException {
    for (String bad : new String[] {"", "c=biws", "c=biws,r=abc", "r=abc,c=biws,p=AAAA", "c=biws,r=abc,p=!!",
        "c=biws,r=abc,,p=AAAA"}) {
      ScramServer server = ScramServer.start("n,,n=user,r=abc", lookup, SERVER_NONCE, fake());
      assertThatThrownBy(() -> server.serverFinal(bad)).as(bad)
          .isExactlyInstanceOf(ScramException.class);
    }
  }

  @Test
  void aLoginIsSingleUse() throws ScramException {
    users.put("user", PENCIL);
    ScramServer server = ScramServer.start("n,,n=user,r=" + CLIENT_NONCE, lookup, SERVER_NONCE, fake());
    server.serverFinal(CLIENT_FINAL);
    assertThatThrownBy(() -> server.serverFinal(CLIENT_FINAL)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void shortOrUnprintableServerNoncesAreRefused() {
    assertThatThrownBy(() -> ScramServer.start("n,,n=user,r=abc", lookup, "short", fake()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ScramServer.start("n,,n=user,r=abc", lookup, "0123456789,abcdefgh", fake()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static byte[] salt(ScramServer server) {
    String first = server.serverFirstMessage();
    String s = first.substring(first.indexOf(",s=") + 3, first.indexOf(",i="));
    return Base64.getDecoder().decode(s);
  }
}
