package io.causerie.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.causerie.protocol.scram.FakeCredentials;
import io.causerie.protocol.scram.ScramAuthenticationException;
import io.causerie.protocol.scram.ScramClient;
import io.causerie.protocol.scram.ScramCredential;
import io.causerie.protocol.scram.ScramException;
import io.causerie.protocol.scram.ScramNonce;
import io.causerie.protocol.scram.ScramServer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClientFeaturesTest {
  private final SecureRandom random = new SecureRandom();
  private final FakeCredentials fakes =
      new FakeCredentials("a server secret of 32 bytes.....".getBytes(StandardCharsets.US_ASCII));

  @Test
  void theExtensionNamesPackedPresence() {
    assertThat(ClientFeatures.CURRENT.extension()).isEqualTo("f=packed-presence");
    assertThat(ClientFeatures.NONE.extension()).isEmpty();
  }

  @Test
  void parsesTheExtensionAfterTheNonceOnly() {
    assertThat(ClientFeatures.parse("n,,n=alice,r=abc")).isEqualTo(ClientFeatures.NONE);
    assertThat(ClientFeatures.parse("n,,n=alice,r=abc,f=packed-presence")).isEqualTo(ClientFeatures.CURRENT);
    assertThat(ClientFeatures.parse("n=alice,r=abc,f=packed-presence")).isEqualTo(ClientFeatures.CURRENT);
    assertThat(ClientFeatures.parse("n,,n=alice,r=abc,x=1,f=later+packed-presence,y=2"))
        .isEqualTo(ClientFeatures.CURRENT);
    // Unknown or malformed: nothing announced.
    assertThat(ClientFeatures.parse("n,,n=alice,r=abc,f=packed-presence2")).isEqualTo(ClientFeatures.NONE);
    assertThat(ClientFeatures.parse("n,,n=alice,r=abc,f=")).isEqualTo(ClientFeatures.NONE);
    assertThat(ClientFeatures.parse("n,,n=alice,r=abc,F=packed-presence")).isEqualTo(ClientFeatures.NONE);
    assertThat(ClientFeatures.parse(null)).isEqualTo(ClientFeatures.NONE);
    // The nonce may hold '=': a nonce that looks like the extension is still the nonce.
    assertThat(ClientFeatures.parse("n,,n=alice,r=f=packed-presence")).isEqualTo(ClientFeatures.NONE);
  }

  @Test
  void theServerSignsInAClientThatAnnouncesAndItsProofsCoverTheAnnouncement() throws ScramException {
    ScramCredential cred = ScramCredential.generate("pw".toCharArray(), ScramCredential.MIN_ITERATIONS, random);
    ScramClient client = ScramClient.withRandomNonce("alice", "pw".toCharArray(), random,
        ClientFeatures.CURRENT.extension());
    assertThat(client.clientFirstMessage()).endsWith(",f=packed-presence");
    ScramServer.ClientFirst first = ScramServer.parseClientFirst(client.clientFirstMessage());
    assertThat(ClientFeatures.parse(first.bare())).isEqualTo(ClientFeatures.CURRENT);
    ScramServer server = ScramServer.start(first, Optional.of(cred), ScramNonce.generate(random), fakes);
    client.verifyServerFinal(server.serverFinal(client.clientFinalMessage(server.serverFirstMessage())));
    assertThat(client.isServerVerified()).isTrue();

    // Stripped on the way, the announcement makes the proof fail: it is part of the AuthMessage.
    ScramClient again = ScramClient.withRandomNonce("alice", "pw".toCharArray(), random,
        ClientFeatures.CURRENT.extension());
    String stripped = again.clientFirstMessage().replace(",f=packed-presence", "");
    ScramServer fooled = ScramServer.start(stripped, name -> Optional.of(cred), ScramNonce.generate(random), fakes);
    String clientFinal = again.clientFinalMessage(fooled.serverFirstMessage());
    assertThatThrownBy(() -> fooled.serverFinal(clientFinal)).isInstanceOf(ScramAuthenticationException.class);
  }

  @Test
  void aClientRefusesAnExtensionThatIsNotOneOptionalAttribute() {
    for (String bad : new String[] {"m=x", "f", "=x", "f=a,b", "1=x", "f=a\0"}) {
      assertThatThrownBy(() -> new ScramClient("alice", "pw".toCharArray(), "abc", bad))
          .as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(new ScramClient("alice", "pw".toCharArray(), "abc", "").clientFirstMessage())
        .isEqualTo("n,,n=alice,r=abc");
  }
}
