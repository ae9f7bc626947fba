package io.causerie.desktop;

import io.causerie.client.CallInfo;
import io.causerie.protocol.EndReason;
import io.causerie.protocol.ErrorCode;
import io.causerie.protocol.PresenceState;
import java.util.Map;

/** One {@link io.causerie.client.ClientListener} callback as data, so the presenter can be fed without threads. */
public sealed interface ClientEvent {
  /** Signed in; {@code again} after a reconnection. */
  record Registered(String user, boolean again) implements ClientEvent {}

  /** Presence changed; {@code all} is the whole known list. */
  record Presence(Map<String, PresenceState> changed, Map<String, PresenceState> all) implements ClientEvent {
    public Presence {
      changed = Map.copyOf(changed);
      all = Map.copyOf(all);
    }
  }

  /** Someone is calling us. */
  record Incoming(CallInfo call) implements ClientEvent {}

  /** Our call rings at the callee. */
  record Ringing(CallInfo call) implements ClientEvent {}

  /** The call was answered; media may flow. */
  record CallStarted(CallInfo call) implements ClientEvent {}

  /** The call is over, for {@code reason}. */
  record CallEnded(CallInfo call, EndReason reason) implements ClientEvent {}

  /** A request failed; {@code code} is null when the server did not answer. */
  record Error(ErrorCode code, String message) implements ClientEvent {}

  /** The session was lost and the client is signing in again by itself. */
  record Reconnecting(String why) implements ClientEvent {}
}
