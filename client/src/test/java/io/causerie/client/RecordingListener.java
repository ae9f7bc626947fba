package io.causerie.client;

import io.causerie.protocol.EndReason;
import io.causerie.protocol.ErrorCode;
import io.causerie.protocol.PresenceState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Records every event of a headless client, and lets a test wait for the next one it cares about. Shared with
 * other modules' tests (client test-jar).
 */
public final class RecordingListener implements ClientListener {
  /** One event: its kind and details. */
  public record Event(String kind, CallInfo call, EndReason reason, ErrorCode code, String text,
      Map<String, PresenceState> presence) {}

  public final LinkedBlockingQueue<Event> queue = new LinkedBlockingQueue<>();
  public final List<Event> all = java.util.Collections.synchronizedList(new ArrayList<>());
  public volatile Map<String, PresenceState> presence = Map.of();

  private void add(Event e) {
    all.add(e);
    queue.add(e);
  }

  @Override
  public void onRegistered(String user, int mediaPort, boolean again) {
    add(new Event(again ? "registered-again" : "registered", null, null, null, null, null));
  }

  @Override
  public void onPresence(Map<String, PresenceState> changed, Map<String, PresenceState> all) {
    presence = all;
    add(new Event("presence", null, null, null, null, changed));
  }

  @Override
  public void onIncoming(CallInfo call) {
    add(new Event("incoming", call, null, null, null, null));
  }

  @Override
  public void onRinging(CallInfo call) {
    add(new Event("ringing", call, null, null, null, null));
  }

  @Override
  public void onCallStarted(CallInfo call) {
    add(new Event("call-started", call, null, null, null, null));
  }

  @Override
  public void onCallEnded(CallInfo call, EndReason reason) {
    add(new Event("call-ended", call, reason, null, null, null));
  }

  @Override
  public void onError(ErrorCode code, String message) {
    add(new Event("error", null, null, code, message, null));
  }

  @Override
  public void onReconnecting(String why) {
    add(new Event("reconnecting", null, null, null, why, null));
  }

  /** Waits for the next event of this kind (skipping others), or fails. */
  public Event await(String kind, Duration timeout) throws InterruptedException {
    return await(e -> e.kind().equals(kind), kind, timeout);
  }

  public Event await(Predicate<Event> match, String what, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      Event e = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
      if (e == null) {
        throw new AssertionError("no " + what + " within " + timeout + "; saw " + all);
      }
      if (match.test(e)) {
        return e;
      }
    }
  }

  public long count(String kind) {
    synchronized (all) {
      return all.stream().filter(e -> e.kind().equals(kind)).count();
    }
  }
}
