package io.causerie.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.causerie.protocol.scram.FakeCredentials;
import io.causerie.protocol.scram.ScramCredential;
import io.causerie.protocol.scram.ScramException;
import io.causerie.protocol.scram.ScramServer;
import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScramProverTest {
  private final SecureRandom random = new SecureRandom();
  private final ScramCredential credential =
      ScramCredential.generate(BenchUsers.PASSWORD.toCharArray(), BenchUsers.ITERATIONS, random);

  private ScramServer server(String clientFirst) throws ScramException {
    return ScramServer.start(clientFirst, u -> Optional.of(credential), "serverNonce0123456789",
        FakeCredentials.random(random));
  }

  @Test
  void cachedProverSendsExactlyWhatTheProductClientSends() throws ScramException {
    ScramProver.KeyCache keys = new ScramProver.KeyCache();
    for (int i = 0; i < 3; i++) {
      String nonce = "clientNonce" + i;
      ScramProver full = ScramProver.full("bench7", BenchUsers.PASSWORD.toCharArray(), nonce);
      ScramProver cached = ScramProver.cached("bench7", BenchUsers.PASSWORD.toCharArray(), nonce, keys);
      assertThat(cached.clientFirst()).isEqualTo(full.clientFirst());
      ScramServer s = server(full.clientFirst());
      String serverFirst = s.serverFirstMessage();
      String finalFull = full.clientFinal(serverFirst);
      assertThat(cached.clientFinal(serverFirst)).isEqualTo(finalFull);
      String serverFinal = s.serverFinal(finalFull);
      full.verifyServerFinal(serverFinal);
      cached.verifyServerFinal(serverFinal);
    }
    assertThat(keys.derivations()).isEqualTo(1);
  }

  @Test
  void cachedProverRejectsAnImpostor() throws ScramException {
    ScramProver cached = ScramProver.cached("bench1", "wrong".toCharArray(), "abc", new ScramProver.KeyCache());
    ScramServer s = server(cached.clientFirst());
    String clientFinal = cached.clientFinal(s.serverFirstMessage());
    assertThatThrownBy(() -> s.serverFinal(clientFinal)).isInstanceOf(ScramException.class);
    assertThatThrownBy(() -> cached.verifyServerFinal("v=AAAA")).isInstanceOf(ScramException.class);
    assertThatThrownBy(() -> cached.clientFinal("r=other,s=AAAA,i=4096")).isInstanceOf(ScramException.class);
  }
}
