package io.causerie.desktop;

/** Where the current call is, as the user sees it. */
public enum CallPhase {
  /** We asked the client to call; the server has not said it rings yet. */
  DIALING,
  /** Our call rings at the callee. */
  RINGING_OUT,
  /** Someone calls us; we have not answered. */
  RINGING_IN,
  /** We accepted; waiting for the server to start the call. */
  ANSWERING,
  /** Both sides are connected. */
  ACTIVE
}
