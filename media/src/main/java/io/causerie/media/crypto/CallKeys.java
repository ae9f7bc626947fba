package io.causerie.media.crypto;

import java.util.Objects;

/**
 * The outcome of a call's key agreement, already oriented for this side: {@link #send} protects
 * what this side sends, {@link #receive} unprotects what the peer sends, and {@link #sas} is the
 * short authentication string both users read aloud and compare.
 *
 * @param send the SRTP keys for media this side sends
 * @param receive the SRTP keys for media this side receives
 * @param sas {@value CallKeyAgreement#SAS_DIGITS} decimal digits, equal on both sides unless a man
 *     in the middle ran the agreement
 */
public record CallKeys(SrtpKeys send, SrtpKeys receive, String sas) {
  /** Checks that nothing is missing. */
  public CallKeys {
    Objects.requireNonNull(send, "send");
    Objects.requireNonNull(receive, "receive");
    Objects.requireNonNull(sas, "sas");
  }

  /** Names the fields but never prints key material or the SAS. */
  @Override
  public String toString() {
    return "CallKeys[send=" + send + ", receive=" + receive + ", sas=<redacted>]";
  }
}
