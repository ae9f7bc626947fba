package io.causerie.client.media;

/** The one exception thrown for a datagram that looks like RTCP but is malformed. */
public final class RtcpFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  public RtcpFormatException(String message) {
    super(message);
  }
}
