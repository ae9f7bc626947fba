package io.causerie.protocol.scram;

import java.security.SecureRandom;

/** Generates the random, printable nonces both sides contribute to a SCRAM exchange. */
public final class ScramNonce {
  private ScramNonce() {}

  /** A fresh nonce: {@link ScramLimits#NONCE_BYTES} random bytes in base64, which never contains a comma. */
  public static String generate(SecureRandom random) {
    byte[] bytes = new byte[ScramLimits.NONCE_BYTES];
    random.nextBytes(bytes);
    return ScramSyntax.base64(bytes);
  }
}
