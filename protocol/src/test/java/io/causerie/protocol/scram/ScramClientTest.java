package io.causerie.protocol.scram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ScramClientTest {
  static final String CLIENT_NONCE = "rOprNGfwEbeRWgbNEkqO";
  static final String SERVER_NONCE = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
  static final String SERVER_FIRST = "r=" + CLIENT_NONCE + SERVER_NONCE + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
  static final String CLIENT_FINAL =
      "c=biws,r=" + CLIENT_NONCE + SERVER_NONCE + ",p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
  static final String SERVER_FINAL = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

  private static ScramClient rfcClient() {
    return new ScramClient("user", "pencil".toCharArray(), CLIENT_NONCE);
  }

  @Test
  void rfc7677TestVector() throws ScramException {
    ScramClient client = rfcClient();
    assertThat(client.clientFirstMessage()).isEqualTo("n,,n=user,r=" + CLIENT_NONCE);
    assertThat(client.clientFinalMessage(SERVER_FIRST)).isEqualTo(CLIENT_FINAL);
    client.verifyServerFinal(SERVER_FINAL);
    assertThat(client.isServerVerified()).isTrue();
  }

  @Test
  void userNamesAreEscaped() {
    ScramClient client = new ScramClient("a,b=c", "pw".toCharArray(), CLIENT_NONCE);
    assertThat(client.clientFirstMessage()).isEqualTo("n,,n=a=2Cb=3Dc,r=" + CLIENT_NONCE);
  }

  @Test
  void tamperedServerSignatureIsRejected() throws ScramException {
    ScramClient client = rfcClient();
    client.clientFinalMessage(SERVER_FIRST);
    String tampered = "v=7rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";
    assertThatThrownBy(() -> client.verifyServerFinal(tampered))
        .isExactlyInstanceOf(ScramException.class)
        .hasMessageContaining("server signature does not verify");
    assertThat(client.isServerVerified()).isFalse();
  }

  @Test
  void serverErrorIsAnAuthenticationFailure() throws ScramException {
    ScramClient client = rfcClient();
    client.clientFinalMessage(SERVER_FIRST);
    assertThatThrownBy(() -> client.verifyServerFinal("e=invalid-proof"))
        .isInstanceOf(ScramAuthenticationException.class)
        .hasMessageContaining("invalid-proof");
  }

  @Test
  void serverNonceMustExtendTheClientNonce() {
    assertThatThrownBy(() -> rfcClient().clientFinalMessage("r=somebodyElse123,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"))
        .isInstanceOf(ScramException.class).hasMessageContaining("nonce");
    assertThatThrownBy(() -> rfcClient().clientFinalMessage("r=" + CLIENT_NONCE + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"))
        .isInstanceOf(ScramException.class).hasMessageContaining("nonce");
  }

  @Test
  void iterationCountsOutsideTheLimitsAreRefused() {
    String prefix = "r=" + CLIENT_NONCE + SERVER_NONCE + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=";
    assertThatThrownBy(() -> rfcClient().clientFinalMessage(prefix + (ScramCredential.MAX_ITERATIONS + 1)))
        .isInstanceOf(ScramException.class).hasMessageContaining("maximum");
    assertThatThrownBy(() -> rfcClient().clientFinalMessage(prefix + "4095"))
        .isInstanceOf(ScramException.class).hasMessageContaining("minimum");
    assertThatThrownBy(() -> rfcClient().clientFinalMessage(prefix + "99999999999999999999"))
        .isInstanceOf(ScramException.class);
    assertThatThrownBy(() -> rfcClient().clientFinalMessage(prefix + "-4096"))
        .isInstanceOf(ScramException.class);
  }

  @Test
  void malformedServerFirstMessagesAreRejected() {
    String n = CLIENT_NONCE + SERVER_NONCE;
    for (String bad : new String[] {
        "", "r=" + n, "r=" + n + ",s=W22ZaJ0SNY7soEsUEjb6gQ==", "s=W22ZaJ0SNY7soEsUEjb6gQ==,r=" + n + ",i=4096",
        "m=x,r=" + n + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", "r=" + n + ",s=!!!,i=4096", "r=" + n + ",s=,i=4096",
        "r=" + n + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,", "r=" + n + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,bogus"}) {
      assertThatThrownBy(() -> rfcClient().clientFinalMessage(bad)).as(bad).isInstanceOf(ScramException.class);
    }
  }

  @Test
  void serverFirstMayCarryExtensions() throws ScramException {
    assertThat(rfcClient().clientFinalMessage(SERVER_FIRST + ",x=ignored")).startsWith("c=biws,r=");
  }

  @Test
  void misuseIsAProgrammingError() throws ScramException {
    assertThatThrownBy(() -> rfcClient().verifyServerFinal(SERVER_FINAL)).isInstanceOf(IllegalStateException.class);
    ScramClient client = rfcClient();
    client.clientFinalMessage(SERVER_FIRST);
    assertThatThrownBy(() -> client.clientFinalMessage(SERVER_FIRST)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new ScramClient("", "pw".toCharArray(), "abc")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ScramClient("u", new char[0], "abc")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ScramClient("u", "pw".toCharArray(), "a,b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ScramClient("x".repeat(65), "pw".toCharArray(), "abc"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
