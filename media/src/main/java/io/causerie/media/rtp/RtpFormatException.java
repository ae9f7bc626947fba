package io.causerie.media.rtp;

/** The one exception thrown for bytes that are not a well-formed RTP packet (RFC 3550 §5.1). */
public final class RtpFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  public RtpFormatException(String message) {
    super(message);
  }
}
