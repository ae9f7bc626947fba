package io.causerie.desktop;

import io.causerie.client.CallInfo;

/**
 * The call in progress, as the call panel shows it.
 *
 * @param phase where the call is
 * @param peer the other party
 * @param outgoing we placed it
 * @param sinceMillis when it was placed or arrived, epoch milliseconds
 * @param startedAtMillis when it connected, or 0 before that
 * @param muted our microphone is muted
 * @param incomingAudio whether the peer's voice arrives
 * @param quality the latest quality report, or null before the first
 * @param accepted we pressed Accept (an incoming call)
 * @param ending we asked to hang up, cancel or refuse, and wait for the client to confirm
 * @param info the client's view of the call, or null while dialing
 */
public record CallView(
    CallPhase phase,
    String peer,
    boolean outgoing,
    long sinceMillis,
    long startedAtMillis,
    boolean muted,
    AudioFlow incomingAudio,
    CallQuality quality,
    boolean accepted,
    boolean ending,
    CallInfo info) {

  static CallView dialing(String peer, long now) {
    return new CallView(CallPhase.DIALING, peer, true, now, 0, false, AudioFlow.UNKNOWN, null, false, false, null);
  }

  static CallView incoming(CallInfo info, long now) {
    return new CallView(CallPhase.RINGING_IN, info.peer(), false, now, 0, false, AudioFlow.UNKNOWN, null, false,
        false, info);
  }

  public boolean active() {
    return phase == CallPhase.ACTIVE;
  }

  /** Connected time at {@code nowMillis}; 0 before the call connected. */
  public long elapsedMillis(long nowMillis) {
    return phase == CallPhase.ACTIVE ? Math.max(0, nowMillis - startedAtMillis) : 0;
  }

  CallView withPhase(CallPhase p, CallInfo i) {
    return new CallView(p, peer, outgoing, sinceMillis, startedAtMillis, muted, incomingAudio, quality, accepted,
        ending, i == null ? info : i);
  }

  CallView started(CallInfo i, long now) {
    return new CallView(CallPhase.ACTIVE, peer, outgoing, sinceMillis, now, false, AudioFlow.UNKNOWN, null, accepted,
        false, i);
  }

  CallView withMuted(boolean m) {
    return new CallView(phase, peer, outgoing, sinceMillis, startedAtMillis, m, incomingAudio, quality, accepted,
        ending, info);
  }

  CallView withIncomingAudio(AudioFlow f) {
    return new CallView(phase, peer, outgoing, sinceMillis, startedAtMillis, muted, f, quality, accepted, ending,
        info);
  }

  CallView withQuality(CallQuality q) {
    return new CallView(phase, peer, outgoing, sinceMillis, startedAtMillis, muted, incomingAudio, q, accepted,
        ending, info);
  }

  CallView accepting() {
    return new CallView(CallPhase.ANSWERING, peer, outgoing, sinceMillis, startedAtMillis, muted, incomingAudio,
        quality, true, ending, info);
  }

  CallView endingNow() {
    return new CallView(phase, peer, outgoing, sinceMillis, startedAtMillis, muted, incomingAudio, quality, accepted,
        true, info);
  }
}
