package io.causerie.desktop;

import io.causerie.client.CallInfo;
import io.causerie.client.ClientListener;
import io.causerie.protocol.EndReason;
import io.causerie.protocol.ErrorCode;
import io.causerie.protocol.PresenceState;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A {@link ClientListener} that turns each callback into a {@link ClientEvent} and hands it on.
 *
 * <p>Called on the client's signalling thread; the sink decides where the event is handled (the desktop
 * app posts it to the Swing event thread).
 */
public final class ClientEvents implements ClientListener {
  private final Consumer<ClientEvent> sink;

  public ClientEvents(Consumer<ClientEvent> sink) {
    this.sink = Objects.requireNonNull(sink, "sink");
  }

  @Override
  public void onRegistered(String user, int mediaPort, boolean again) {
    sink.accept(new ClientEvent.Registered(user, again));
  }

  @Override
  public void onPresence(Map<String, PresenceState> changed, Map<String, PresenceState> all) {
    sink.accept(new ClientEvent.Presence(changed, all));
  }

  @Override
  public void onIncoming(CallInfo call) {
    sink.accept(new ClientEvent.Incoming(call));
  }

  @Override
  public void onRinging(CallInfo call) {
    sink.accept(new ClientEvent.Ringing(call));
  }

  @Override
  public void onCallStarted(CallInfo call) {
    sink.accept(new ClientEvent.CallStarted(call));
  }

  @Override
  public void onCallEnded(CallInfo call, EndReason reason) {
    sink.accept(new ClientEvent.CallEnded(call, reason));
  }

  @Override
  public void onError(ErrorCode code, String message) {
    sink.accept(new ClientEvent.Error(code, message));
  }

  @Override
  public void onReconnecting(String why) {
    sink.accept(new ClientEvent.Reconnecting(why));
  }
}
