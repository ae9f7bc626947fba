package io.causerie.protocol.scram;

/**
 * Thrown when a well-formed SCRAM exchange does not authenticate: wrong password, unknown user, wrong nonce or
 * wrong channel binding on the server side (deliberately one message for all of them), or an {@code e=} answer
 * from the server on the client side.
 */
public final class ScramAuthenticationException extends ScramException {
  private static final long serialVersionUID = 1L;

  /** The one message the server side uses, so a caller cannot tell an unknown user from a wrong password. */
  public static final String SERVER_MESSAGE = "authentication failed";

  public ScramAuthenticationException(String message) {
    super(message);
  }
}
