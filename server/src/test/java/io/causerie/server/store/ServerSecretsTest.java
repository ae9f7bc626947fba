package io.causerie.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerSecretsTest {
  @TempDir Path dir;

  @Test
  void aSecretIsCreatedOnceAndSurvivesReopening() {
    String db = dir.resolve("s.db").toString();
    byte[] first;
    try (Database d = Database.open(db)) {
      first = new ServerSecrets(d).getOrCreate("k", new SecureRandom());
      assertThat(first).hasSize(ServerSecrets.SECRET_BYTES);
      assertThat(new ServerSecrets(d).getOrCreate("k", new SecureRandom())).isEqualTo(first);
      assertThat(new ServerSecrets(d).getOrCreate("other", new SecureRandom())).isNotEqualTo(first);
    }
    try (Database d = Database.open(db)) {
      assertThat(new ServerSecrets(d).getOrCreate("k", new SecureRandom())).isEqualTo(first);
    }
  }
}
