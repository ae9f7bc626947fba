package io.causerie.desktop;

import io.causerie.protocol.EndReason;

/** How a call in the history ended, in the user's words. */
public enum CallOutcome {
  /** The call was connected and ended normally. */
  ANSWERED("Answered"),
  /** The call was connected and then lost (network, server, peer vanished). */
  DROPPED("Dropped"),
  /** An incoming call nobody here answered: the caller gave up or it timed out. */
  MISSED("Missed"),
  /** Refused, by the callee (outgoing) or by us (incoming). */
  REFUSED("Refused"),
  BUSY("Busy"),
  NO_ANSWER("No answer"),
  /** We cancelled our own call before it was answered. */
  CANCELLED("Cancelled"),
  OFFLINE("Offline"),
  UNKNOWN_USER("Unknown user"),
  FAILED("Failed");

  private final String label;

  CallOutcome(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /**
   * The outcome of a call that ended for {@code reason}.
   *
   * @param outgoing we placed the call
   * @param connected the call had started (both sides connected)
   * @param accepted we pressed Accept on an incoming call (so it was not missed, even if it never connected)
   */
  public static CallOutcome of(EndReason reason, boolean outgoing, boolean connected, boolean accepted) {
    if (connected) {
      return reason == EndReason.HANGUP || reason == EndReason.REMOTE_HANGUP ? ANSWERED : DROPPED;
    }
    if (!outgoing) {
      if (reason == EndReason.REFUSED) {
        return REFUSED;
      }
      return accepted ? FAILED : MISSED;
    }
    return switch (reason) {
      case REFUSED -> REFUSED;
      case BUSY -> BUSY;
      case NO_ANSWER -> NO_ANSWER;
      case CANCELLED -> CANCELLED;
      case OFFLINE -> OFFLINE;
      case UNKNOWN_USER -> UNKNOWN_USER;
      default -> FAILED;
    };
  }
}
