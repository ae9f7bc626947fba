package io.causerie.desktop;

import io.causerie.client.CallInfo;

/**
 * Something the presenter wants done outside itself: a request to the client, a sound, a window action, or
 * the voice path. The Swing adapter ({@link DesktopSession}) carries each one out.
 */
public sealed interface Effect {
  /** Ask the client to call {@code peer}. */
  record PlaceCall(String peer) implements Effect {}

  /** Ask the client to accept the ringing incoming call. */
  record Answer() implements Effect {}

  /** Ask the client to refuse the ringing incoming call. */
  record Refuse() implements Effect {}

  /** Ask the client to hang up or cancel the current call. */
  record Hangup() implements Effect {}

  /** Start the ring tone. */
  record StartRinging() implements Effect {}

  /** Stop the ring tone. */
  record StopRinging() implements Effect {}

  /** Bring the window to the front (an incoming call). */
  record BringToFront() implements Effect {}

  /** Start the voice path for a call that has just started. */
  record StartAudio(CallInfo call) implements Effect {}

  /** Stop the voice path. */
  record StopAudio() implements Effect {}

  /** Mute or unmute the microphone. */
  record SetMuted(boolean muted) implements Effect {}

  /** The session is over for good (signed in from elsewhere): go back to the login screen with {@code reason}. */
  record SignedOut(String reason) implements Effect {}
}
