package io.causerie.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import io.causerie.client.SignInException;
import io.causerie.protocol.ErrorCode;
import java.net.UnknownHostException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class LoginErrorsTest {
  @Test
  void eachFailureHasItsOwnSentence() {
    assertThat(LoginErrors.describe(new SignInException(ErrorCode.AUTH_FAILED, "wrong user name or password"),
        "voip", "10.0.0.1:6100")).isEqualTo("Wrong user name or password.");
    assertThat(LoginErrors.describe(new SignInException(null, "no answer"), "voip", "10.0.0.1:6100"))
        .isEqualTo("Could not reach the server at 10.0.0.1:6100. Check the address and that the server is running.");
    assertThat(LoginErrors.describe(new SignInException(null, "no answer"), "voip:7000", null))
        .startsWith("Could not reach the server at voip:7000.");
    assertThat(LoginErrors.describe(new SignInException(ErrorCode.LOCKED_OUT, "later"), "voip", null))
        .isEqualTo("Too many failed sign-ins: this account is locked for now. Try again later.");
    assertThat(LoginErrors.describe(new SignInException(ErrorCode.SERVER_FULL, "server is full"), "voip", null))
        .isEqualTo("The server refused the sign-in: server is full.");
    assertThat(LoginErrors.describe(new SignInException(ErrorCode.INTERNAL, ""), "voip", null))
        .isEqualTo("The server refused the sign-in: internal server error.");
  }

  @Test
  void wrappedAndLocalFailures() {
    assertThat(LoginErrors.describe(new ExecutionException(new SignInException(ErrorCode.AUTH_FAILED, "x")), "v",
        null)).isEqualTo("Wrong user name or password.");
    assertThat(LoginErrors.describe(new UnknownHostException("nowhere.invalid"), "nowhere.invalid", null))
        .isEqualTo("Cannot find the server \"nowhere.invalid\": unknown host name.");
    assertThat(LoginErrors.describe(new IllegalArgumentException("bad server address 'x:0': port must be 1-65535"),
        "x:0", null)).isEqualTo("Bad server address 'x:0': port must be 1-65535.");
  }

  @Test
  void validation() {
    assertThat(LoginErrors.validate("", "alice", "pw".toCharArray())).startsWith("Enter the server's address");
    assertThat(LoginErrors.validate("voip", " ", "pw".toCharArray())).isEqualTo("Enter your user name.");
    assertThat(LoginErrors.validate("voip", "alice", new char[0])).isEqualTo("Enter your password.");
    assertThat(LoginErrors.validate("voip", "alice", "pw".toCharArray())).isNull();
  }
}
