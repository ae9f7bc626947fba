package io.causerie.app;

import io.causerie.protocol.EndReason;
import io.causerie.protocol.ErrorCode;

/** The headless client's exit codes, documented in the README and in {@code causerie client --help}. */
final class ExitCodes {
  private ExitCodes() {}

  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;
  static final int BAD_CREDENTIALS = 3;
  static final int REFUSED = 4;
  static final int BUSY = 5;
  static final int NO_ANSWER = 6;
  static final int UNREACHABLE = 7;
  static final int UNKNOWN_OR_OFFLINE = 8;
  static final int CANCELLED = 9;
  static final int DROPPED = 10;
  static final int SIGN_IN_REFUSED = 11;
  static final int TIMED_OUT = 12;
  static final int E2E_FAILED = 13;
  static final int SERVER_KEY_CHANGED = 14;

  static final String HELP = """
      Exit codes:
        0  what was asked happened
        1  other failure
        2  bad command line
        3  wrong user name or password
        4  the call was refused
        5  the callee was busy
        6  nobody answered
        7  server unreachable
        8  the callee is unknown or offline
        9  the call was cancelled
       10  the call was dropped (peer or connection lost, server shut down)
       11  sign-in refused for another reason (locked out, server full)
       12  --wait elapsed before an incoming call
       13  the call's end-to-end encryption could not be set up (peer key wrong or missing)
       14  the server's certificate fingerprint is not the pinned one""";

  static int forSignIn(ErrorCode code) {
    if (code == null) {
      return UNREACHABLE;
    }
    return code == ErrorCode.AUTH_FAILED ? BAD_CREDENTIALS : SIGN_IN_REFUSED;
  }

  static int forEnd(EndReason reason) {
    return switch (reason) {
      case HANGUP, REMOTE_HANGUP -> OK;
      case REFUSED -> REFUSED;
      case BUSY -> BUSY;
      case NO_ANSWER -> NO_ANSWER;
      case UNKNOWN_USER, OFFLINE -> UNKNOWN_OR_OFFLINE;
      case CANCELLED -> CANCELLED;
      case PEER_LOST, CONNECTION_LOST, SHUTDOWN -> DROPPED;
      case FAILED -> FAILED;
      case E2E_FAILED -> E2E_FAILED;
    };
  }
}
