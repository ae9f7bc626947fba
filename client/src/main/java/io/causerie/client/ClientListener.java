package io.causerie.client;

import io.causerie.protocol.EndReason;
import io.causerie.protocol.ErrorCode;
import io.causerie.protocol.PresenceState;
import java.util.Map;

/** What a signalling client reports; called on the client's signalling thread, so keep it short. */
public interface ClientListener {
  /** Signed in (again, after a reconnection, when {@code again}). */
  default void onRegistered(String user, int mediaPort, boolean again) {}

  /** Presence changed; {@code changed} holds only what changed, {@code all} the whole known list. */
  default void onPresence(Map<String, PresenceState> changed, Map<String, PresenceState> all) {}

  default void onIncoming(CallInfo call) {}

  /** Our call is ringing at the callee. */
  default void onRinging(CallInfo call) {}

  default void onCallStarted(CallInfo call) {}

  default void onCallEnded(CallInfo call, EndReason reason) {}

  /** A request failed; {@code code} is null when the server did not answer at all. */
  default void onError(ErrorCode code, String message) {}

  /** The session was lost; the client is signing in again by itself. */
  default void onReconnecting(String why) {}
}
