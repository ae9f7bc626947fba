package io.causerie.protocol.scram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.api.Test;

class ScramCredentialTest {
  private static final byte[] RFC_SALT = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");

  @Test
  void hiAgreesWithTheJdkPbkdf2() throws Exception {
    byte[] ours = ScramCrypto.hi("pencil".getBytes(StandardCharsets.UTF_8), RFC_SALT, 4096);
    SecretKeyFactory f = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
    byte[] jdk = f.generateSecret(new PBEKeySpec("pencil".toCharArray(), RFC_SALT, 4096, 256)).getEncoded();
    assertThat(ours).isEqualTo(jdk);
  }

  @Test
  void deriveFollowsRfc5802Definitions() {
    ScramCredential c = ScramCredential.derive("pencil".toCharArray(), RFC_SALT, 4096);
    byte[] salted = ScramCrypto.hi("pencil".getBytes(StandardCharsets.UTF_8), RFC_SALT, 4096);
    byte[] clientKey = ScramCrypto.hmac(salted, "Client Key");
    assertThat(c.storedKey()).isEqualTo(ScramCrypto.sha256(clientKey));
    assertThat(c.serverKey()).isEqualTo(ScramCrypto.hmac(salted, "Server Key"));
    assertThat(c.salt()).isEqualTo(RFC_SALT);
    assertThat(c.iterations()).isEqualTo(4096);
  }

  @Test
  void equalityComparesArrayContents() {
    ScramCredential a = ScramCredential.derive("pencil".toCharArray(), RFC_SALT, 4096);
    ScramCredential b = new ScramCredential(a.salt(), a.iterations(), a.storedKey(), a.serverKey());
    assertThat(b).isEqualTo(a).hasSameHashCodeAs(a);
    assertThat(ScramCredential.derive("pencil!".toCharArray(), RFC_SALT, 4096)).isNotEqualTo(a);
  }

  @Test
  void toStringNeverShowsTheKeys() {
    ScramCredential c = ScramCredential.derive("pencil".toCharArray(), RFC_SALT, 4096);
    String text = c.toString();
    assertThat(text)
        .contains("iterations=4096")
        .doesNotContain(Base64.getEncoder().encodeToString(c.storedKey()))
        .doesNotContain(Base64.getEncoder().encodeToString(c.serverKey()));
  }

  @Test
  void arraysAreCopiedInAndOut() {
    byte[] salt = RFC_SALT.clone();
    ScramCredential c = ScramCredential.derive("pencil".toCharArray(), salt, 4096);
    salt[0] ^= 1;
    c.salt()[1] ^= 1;
    c.storedKey()[0] ^= 1;
    assertThat(c).isEqualTo(ScramCredential.derive("pencil".toCharArray(), RFC_SALT, 4096));
  }

  @Test
  void generateUsesAFreshSixteenByteSalt() {
    SecureRandom random = new SecureRandom();
    ScramCredential a = ScramCredential.generate("pencil".toCharArray(), 4096, random);
    ScramCredential b = ScramCredential.generate("pencil".toCharArray(), 4096, random);
    assertThat(a.salt()).hasSize(ScramLimits.SALT_BYTES);
    assertThat(a.salt()).isNotEqualTo(b.salt());
    assertThat(a.storedKey()).isNotEqualTo(b.storedKey());
  }

  @Test
  void passwordsAreNfkcNormalised() {
    ScramCredential composed = ScramCredential.derive("caf\u00e9".toCharArray(), RFC_SALT, 4096);
    ScramCredential decomposed = ScramCredential.derive("cafe\u0301".toCharArray(), RFC_SALT, 4096);
    ScramCredential compat = ScramCredential.derive("\u2168".toCharArray(), RFC_SALT, 4096);
    assertThat(decomposed).isEqualTo(composed);
    assertThat(compat).isEqualTo(ScramCredential.derive("IX".toCharArray(), RFC_SALT, 4096));
  }

  @Test
  void iterationLimitsAndEmptyInputsAreRejected() {
    assertThatThrownBy(() -> ScramCredential.derive("p".toCharArray(), RFC_SALT, ScramCredential.MIN_ITERATIONS - 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4095");
    assertThatThrownBy(() -> ScramCredential.derive("p".toCharArray(), RFC_SALT, ScramCredential.MAX_ITERATIONS + 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ScramCredential.derive(new char[0], RFC_SALT, 4096))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("password");
    assertThatThrownBy(() -> new ScramCredential(new byte[0], 4096, new byte[32], new byte[32]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("salt");
    assertThatThrownBy(() -> new ScramCredential(RFC_SALT, 4096, new byte[31], new byte[32]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stored key");
  }

  @Test
  void constantsAreOrdered() {
    assertThat(ScramCredential.MIN_ITERATIONS).isEqualTo(4096);
    assertThat(ScramCredential.DEFAULT_ITERATIONS)
        .isBetween(ScramCredential.MIN_ITERATIONS, ScramCredential.MAX_ITERATIONS);
  }
}
