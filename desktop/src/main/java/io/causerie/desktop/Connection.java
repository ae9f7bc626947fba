package io.causerie.desktop;

/** The state of the link to the server, as the status bar shows it. */
public enum Connection {
  /** Signed in and answering. */
  CONNECTED,
  /** The session was lost; the client is signing in again by itself. */
  RECONNECTING,
  /** The session is over and will not come back (signed in from elsewhere). */
  SIGNED_OUT;

  /** The words for the status bar. */
  public String label() {
    return switch (this) {
      case CONNECTED -> "Connected";
      case RECONNECTING -> "Reconnecting\u2026";
      case SIGNED_OUT -> "Signed out";
    };
  }
}
