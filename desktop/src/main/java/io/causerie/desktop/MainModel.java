package io.causerie.desktop;

import io.causerie.client.CallInfo;
import io.causerie.protocol.EndReason;
import io.causerie.protocol.ErrorCode;
import io.causerie.protocol.PresenceState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The main screen's presenter: takes client events and the user's intents, keeps the screen's state, and says
 * which {@link Effect}s to carry out. Pure: no Swing, no threads, no clock of its own (every input carries the
 * time). Not thread-safe: the desktop app calls it on the Swing event thread only.
 */
public final class MainModel {
  /** How many calls the history keeps. */
  public static final int MAX_HISTORY = 200;

  private final String user;
  private final String server;
  private Connection connection = Connection.CONNECTED;
  private String connectionDetail;
  private final Map<String, PresenceState> presence = new TreeMap<>();
  private String filter = "";
  private CallView call;
  private final List<HistoryEntry> history = new ArrayList<>();
  private Notice notice;
  private long noticeIds;

  public MainModel(String user, String server) {
    this.user = user;
    this.server = server;
  }

  public MainState state() {
    int others = 0;
    int online = 0;
    for (Map.Entry<String, PresenceState> e : presence.entrySet()) {
      if (!e.getKey().equals(user)) {
        others++;
        if (e.getValue() != PresenceState.OFFLINE) {
          online++;
        }
      }
    }
    return new MainState(user, server, connection, connectionDetail, ContactRow.list(presence, user, filter), filter,
        online, others, call, List.copyOf(history), notice);
  }

  // ------------------------------------------------------------------ client events

  /** Applies one client event received at {@code nowMillis}. */
  public List<Effect> on(ClientEvent event, long nowMillis) {
    if (event instanceof ClientEvent.Registered) {
      return registered();
    } else if (event instanceof ClientEvent.Presence p) {
      return presence(p.all());
    } else if (event instanceof ClientEvent.Incoming i) {
      return incoming(i.call(), nowMillis);
    } else if (event instanceof ClientEvent.Ringing r) {
      return ringing(r.call());
    } else if (event instanceof ClientEvent.CallStarted s) {
      return started(s.call(), nowMillis);
    } else if (event instanceof ClientEvent.CallEnded e) {
      return ended(e.call(), e.reason(), nowMillis);
    } else if (event instanceof ClientEvent.Error e) {
      return error(e.code(), e.message(), nowMillis);
    } else if (event instanceof ClientEvent.Reconnecting r) {
      return reconnecting(r.why());
    }
    throw new IllegalArgumentException("unknown event " + event);
  }

  private List<Effect> registered() {
    connection = Connection.CONNECTED;
    connectionDetail = null;
    return List.of();
  }

  private List<Effect> presence(Map<String, PresenceState> all) {
    presence.clear();
    presence.putAll(all);
    return List.of();
  }

  private List<Effect> incoming(CallInfo info, long now) {
    if (call != null) {
      return List.of(); // the client answers busy on its own; nothing to show
    }
    call = CallView.incoming(info, now);
    return List.of(new Effect.StartRinging(), new Effect.BringToFront());
  }

  private List<Effect> ringing(CallInfo info) {
    if (call != null && call.outgoing() && call.phase() == CallPhase.DIALING && call.peer().equals(info.peer())) {
      call = call.withPhase(CallPhase.RINGING_OUT, info);
    }
    return List.of();
  }

  private List<Effect> started(CallInfo info, long now) {
    List<Effect> fx = new ArrayList<>();
    if (call != null && call.phase() == CallPhase.RINGING_IN) {
      fx.add(new Effect.StopRinging());
    }
    if (call == null || !call.peer().equals(info.peer())) {
      // The client is the truth: it has a call we did not know of. Adopt it.
      call = new CallView(CallPhase.ACTIVE, info.peer(), info.outgoing(), now, now, false, AudioFlow.UNKNOWN, null,
          !info.outgoing(), false, info);
    }
    call = call.started(info, now);
    fx.add(new Effect.StartAudio(info));
    return fx;
  }

  private List<Effect> ended(CallInfo info, EndReason reason, long now) {
    CallView c = call;
    if (c == null || !c.peer().equals(info.peer())) {
      return List.of();
    }
    call = null;
    List<Effect> fx = new ArrayList<>();
    if (c.phase() == CallPhase.RINGING_IN && !c.ending()) {
      fx.add(new Effect.StopRinging()); // the caller gave up (refusing stopped it already)
    }
    if (c.active()) {
      fx.add(new Effect.StopAudio());
    }
    boolean connected = c.active();
    CallOutcome outcome = CallOutcome.of(reason, c.outgoing(), connected, c.accepted());
    long duration = connected ? c.elapsedMillis(now) : -1;
    addHistory(new HistoryEntry(c.outgoing(), c.peer(), outcome, c.sinceMillis(), duration));
    endNotice(c, reason, outcome, duration);
    return fx;
  }

  private void endNotice(CallView c, EndReason reason, CallOutcome outcome, long duration) {
    String p = c.peer();
    if (outcome == CallOutcome.ANSWERED) {
      String d = " (" + Formats.elapsed(duration) + ")";
      notice(Notice.Level.INFO, reason == EndReason.REMOTE_HANGUP ? p + " hung up" + d + "." : "Call with " + p
          + " ended" + d + ".");
      return;
    }
    if (outcome == CallOutcome.DROPPED) {
      notice(Notice.Level.WARNING, switch (reason) {
        case CONNECTION_LOST -> "The connection to the server was lost; the call with " + p + " ended.";
        case SHUTDOWN -> "The server is shutting down; the call with " + p + " ended.";
        case PEER_LOST -> "Lost contact with " + p + "; the call ended.";
        default -> "The call with " + p + " was cut off.";
      });
      return;
    }
    switch (outcome) {
      case MISSED -> notice(Notice.Level.WARNING, "Missed call from " + p + ".");
      case REFUSED -> {
        if (c.outgoing()) {
          notice(Notice.Level.INFO, p + " declined the call.");
        }
      }
      case BUSY -> notice(Notice.Level.INFO, p + " is in another call.");
      case NO_ANSWER -> notice(Notice.Level.INFO, p + " did not answer.");
      case OFFLINE -> notice(Notice.Level.INFO, p + " is offline.");
      case UNKNOWN_USER -> notice(Notice.Level.ERROR, "There is no user called " + p + ".");
      case FAILED -> {
        // An error notice from the server usually came just before; keep its words.
        if (notice == null || notice.level() != Notice.Level.ERROR) {
          notice(Notice.Level.ERROR, "The call " + (c.outgoing() ? "to " : "from ") + p + " failed.");
        }
      }
      default -> {}
    }
  }

  private List<Effect> error(ErrorCode code, String message, long now) {
    String text = Formats.sentence(message);
    if (code == ErrorCode.SESSION_REPLACED) {
      connection = Connection.SIGNED_OUT;
      connectionDetail = "signed in from elsewhere";
      List<Effect> fx = new ArrayList<>();
      if (call != null) {
        CallView c = call;
        call = null;
        if (c.phase() == CallPhase.RINGING_IN) {
          fx.add(new Effect.StopRinging());
        }
        if (c.active()) {
          fx.add(new Effect.StopAudio());
        }
        addHistory(new HistoryEntry(c.outgoing(), c.peer(),
            c.active() ? CallOutcome.DROPPED : CallOutcome.of(EndReason.CONNECTION_LOST, c.outgoing(), false,
                c.accepted()), c.sinceMillis(), c.active() ? c.elapsedMillis(now) : -1));
      }
      fx.add(new Effect.SignedOut("You signed in from another place, so this window was signed out."));
      return fx;
    }
    if (code == ErrorCode.AUTH_FAILED || code == ErrorCode.LOCKED_OUT) {
      // Only while signing in again: the password changed or the account was locked meanwhile.
      notice(Notice.Level.ERROR, "Cannot sign in again: " + (code == ErrorCode.AUTH_FAILED
          ? "the server no longer accepts the password" : "the account is locked for now") + ". Still trying.");
      return List.of();
    }
    if (call != null && call.phase() == CallPhase.DIALING && (code == null || code == ErrorCode.INVALID_STATE)) {
      // The client refused to place the call at all ("not signed in", "already in a call"): nothing will follow.
      call = null;
    }
    notice(Notice.Level.ERROR, text.isEmpty() ? "Something went wrong." : terminate(text));
    return List.of();
  }

  private List<Effect> reconnecting(String why) {
    connection = Connection.RECONNECTING;
    connectionDetail = why;
    return List.of();
  }

  // ------------------------------------------------------------------ the user's intents

  /** The user asks to call {@code peer}. */
  public List<Effect> dial(String peer, long now) {
    MainState s = state();
    if (peer == null || call != null) {
      return List.of();
    }
    if (connection != Connection.CONNECTED) {
      notice(Notice.Level.ERROR, "Not connected to the server: wait until it is back.");
      return List.of();
    }
    PresenceState p = presence.get(peer);
    if (p == PresenceState.OFFLINE) {
      notice(Notice.Level.INFO, peer + " is offline.");
      return List.of();
    }
    if (p == PresenceState.IN_CALL) {
      notice(Notice.Level.INFO, peer + " is in another call.");
      return List.of();
    }
    if (!s.canCall(peer)) {
      return List.of();
    }
    call = CallView.dialing(peer, now);
    return List.of(new Effect.PlaceCall(peer));
  }

  /** The user accepts the ringing call. */
  public List<Effect> accept() {
    if (call == null || call.phase() != CallPhase.RINGING_IN || call.ending()) {
      return List.of();
    }
    call = call.accepting();
    return List.of(new Effect.StopRinging(), new Effect.Answer());
  }

  /** The user refuses the ringing call. */
  public List<Effect> refuse() {
    if (call == null || call.phase() != CallPhase.RINGING_IN || call.ending()) {
      return List.of();
    }
    call = call.endingNow();
    return List.of(new Effect.StopRinging(), new Effect.Refuse());
  }

  /** The user hangs up: ends, cancels or refuses the current call. */
  public List<Effect> hangup() {
    if (call == null || call.ending()) {
      return List.of();
    }
    if (call.phase() == CallPhase.RINGING_IN) {
      return refuse();
    }
    call = call.endingNow();
    return List.of(new Effect.Hangup());
  }

  /** The user toggles the microphone. */
  public List<Effect> toggleMute() {
    if (call == null || !call.active()) {
      return List.of();
    }
    call = call.withMuted(!call.muted());
    return List.of(new Effect.SetMuted(call.muted()));
  }

  public void filter(String text) {
    filter = text == null ? "" : text;
  }

  /** Hides the notice if it is still {@code id}. */
  public void dismissNotice(long id) {
    if (notice != null && notice.id() == id) {
      notice = null;
    }
  }

  // ------------------------------------------------------------------ the voice path

  /** The voice path reports whether the peer's voice arrives. */
  public void incomingAudio(boolean flowing) {
    if (call != null && call.active()) {
      call = call.withIncomingAudio(flowing ? AudioFlow.FLOWING : AudioFlow.SILENT);
    }
  }

  /** The voice path reports the call's quality. */
  public void quality(CallQuality q) {
    if (call != null && call.active()) {
      call = call.withQuality(q);
    }
  }

  // ------------------------------------------------------------------ helpers

  private void addHistory(HistoryEntry e) {
    history.add(0, e);
    while (history.size() > MAX_HISTORY) {
      history.remove(history.size() - 1);
    }
  }

  private void notice(Notice.Level level, String text) {
    notice = new Notice(++noticeIds, level, text);
  }

  private static String terminate(String s) {
    return s.endsWith(".") || s.endsWith("!") || s.endsWith("?") ? s : s + ".";
  }
}
