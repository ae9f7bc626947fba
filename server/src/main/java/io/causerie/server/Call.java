package io.causerie.server;

import io.causerie.protocol.EndReason;
import java.util.List;

/** One call between two sessions and its state machine (docs/PROTOCOL.md §7). Signalling thread only. */
final class Call {
  /** The call states; ENDED is final. */
  enum State {
    RINGING,
    ACTIVE,
    ENDED
  }

  final long id;
  final Session caller;
  final Session callee;
  final List<String> offer;
  final long createdNanos;
  final long createdMillis;
  final long noAnswerDeadlineNanos;
  /** Set once the callee's client acknowledged INCOMING and the caller was told RINGING. */
  boolean ringingSent;
  String codec;
  long answeredNanos;
  long answeredMillis;
  /** The caller revealed its key (CALL_KEY); a second, different key is refused. */
  boolean callerKeySent;
  EndReason endReason;
  private State state = State.RINGING;

  Call(long id, Session caller, Session callee, List<String> offer, long nowNanos, long nowMillis,
      long noAnswerDeadlineNanos) {
    this.id = id;
    this.caller = caller;
    this.callee = callee;
    this.offer = offer;
    this.createdNanos = nowNanos;
    this.createdMillis = nowMillis;
    this.noAnswerDeadlineNanos = noAnswerDeadlineNanos;
  }

  State state() {
    return state;
  }

  /** The one place a call changes state; illegal moves are bugs. */
  void setState(State next) {
    boolean legal = switch (state) {
      case RINGING -> next == State.ACTIVE || next == State.ENDED;
      case ACTIVE -> next == State.ENDED;
      case ENDED -> false;
    };
    if (!legal) {
      throw new IllegalStateException("call " + Long.toHexString(id) + ": " + state + " -> " + next);
    }
    state = next;
  }

  Session other(Session s) {
    return s == caller ? callee : caller;
  }

  String idHex() {
    return Long.toHexString(id);
  }
}
