package io.causerie.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import io.causerie.client.CallInfo;
import io.causerie.protocol.EndReason;
import io.causerie.protocol.ErrorCode;
import io.causerie.protocol.PresenceState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The presenter fed with client events as data, on a clock the test moves: every call flow a user meets. */
class MainModelTest {
  private static final long T0 = 1_700_000_000_000L;

  private MainModel model;
  private long now;

  @BeforeEach
  void signedIn() {
    model = new MainModel("alice", "voip.example.org");
    now = T0;
    on(new ClientEvent.Registered("alice", false));
    on(new ClientEvent.Presence(Map.of(), Map.of(
        "alice", PresenceState.ONLINE,
        "bob", PresenceState.ONLINE,
        "carol", PresenceState.IN_CALL,
        "dave", PresenceState.OFFLINE)));
  }

  private List<Effect> on(ClientEvent e) {
    return model.on(e, now);
  }

  private void elapse(long millis) {
    now += millis;
  }

  private static CallInfo out(String peer) {
    return new CallInfo(0x42, peer, true, null, 0);
  }

  private static CallInfo in(String peer) {
    return new CallInfo(0x43, peer, false, null, 0);
  }

  private static CallInfo started(CallInfo c) {
    return new CallInfo(c.callId(), c.peer(), c.outgoing(), "opus", 6001);
  }

  @Test
  void presenceIsSortedWithoutSelfAndCounted() {
    MainState s = model.state();
    assertThat(s.contacts()).extracting(ContactRow::name).containsExactly("bob", "carol", "dave");
    assertThat(s.onlineCount()).isEqualTo(2);
    assertThat(s.contactCount()).isEqualTo(3);
    assertThat(s.canCall("bob")).isTrue();
    assertThat(s.canCall("carol")).isFalse();
    assertThat(s.canCall("dave")).isFalse();
    assertThat(s.canCall("alice")).isFalse();

    on(new ClientEvent.Presence(Map.of("dave", PresenceState.ONLINE), Map.of(
        "alice", PresenceState.ONLINE, "bob", PresenceState.OFFLINE, "carol", PresenceState.IN_CALL,
        "dave", PresenceState.ONLINE)));
    assertThat(model.state().contacts()).containsExactly(
        new ContactRow("dave", PresenceState.ONLINE),
        new ContactRow("carol", PresenceState.IN_CALL),
        new ContactRow("bob", PresenceState.OFFLINE));
  }

  @Test
  void filterNarrowsTheContacts() {
    model.filter("AR");
    assertThat(model.state().contacts()).extracting(ContactRow::name).containsExactly("carol");
    assertThat(model.state().onlineCount()).isEqualTo(2);
    model.filter("");
    assertThat(model.state().contacts()).hasSize(3);
  }

  @Test
  void outgoingCallAnsweredThenWeHangUp() {
    assertThat(model.dial("bob", now)).containsExactly(new Effect.PlaceCall("bob"));
    assertThat(model.state().call().phase()).isEqualTo(CallPhase.DIALING);
    assertThat(model.state().canCall("bob")).isFalse();
    assertThat(model.dial("bob", now)).isEmpty(); // one call at a time

    elapse(100);
    assertThat(on(new ClientEvent.Ringing(out("bob")))).isEmpty();
    assertThat(model.state().call().phase()).isEqualTo(CallPhase.RINGING_OUT);

    elapse(3_000);
    CallInfo live = started(out("bob"));
    assertThat(on(new ClientEvent.CallStarted(live))).containsExactly(new Effect.StartAudio(live));
    CallView c = model.state().call();
    assertThat(c.phase()).isEqualTo(CallPhase.ACTIVE);
    assertThat(c.muted()).isFalse();
    assertThat(c.incomingAudio()).isEqualTo(AudioFlow.UNKNOWN);
    assertThat(c.quality()).isNull();

    elapse(65_000);
    assertThat(model.state().call().elapsedMillis(now)).isEqualTo(65_000);
    assertThat(model.hangup()).containsExactly(new Effect.Hangup());
    assertThat(model.state().call().ending()).isTrue();
    assertThat(model.hangup()).isEmpty(); // a second Esc does not hang up twice

    assertThat(on(new ClientEvent.CallEnded(live, EndReason.HANGUP))).containsExactly(new Effect.StopAudio());
    MainState s = model.state();
    assertThat(s.call()).isNull();
    assertThat(s.history()).containsExactly(new HistoryEntry(true, "bob", CallOutcome.ANSWERED, T0, 65_000));
    assertThat(s.notice().text()).isEqualTo("Call with bob ended (1:05).");
    assertThat(s.notice().level()).isEqualTo(Notice.Level.INFO);
  }

  @Test
  void incomingCallRingsAcceptedAndTheCallerHangsUp() {
    CallInfo inc = in("bob");
    assertThat(on(new ClientEvent.Incoming(inc))).containsExactly(new Effect.StartRinging(),
        new Effect.BringToFront());
    assertThat(model.state().call().phase()).isEqualTo(CallPhase.RINGING_IN);

    elapse(2_000);
    assertThat(model.accept()).containsExactly(new Effect.StopRinging(), new Effect.Answer());
    assertThat(model.state().call().phase()).isEqualTo(CallPhase.ANSWERING);
    assertThat(model.accept()).isEmpty();

    elapse(50);
    assertThat(on(new ClientEvent.CallStarted(started(inc)))).containsExactly(new Effect.StartAudio(started(inc)));
    elapse(10_000);
    assertThat(on(new ClientEvent.CallEnded(started(inc), EndReason.REMOTE_HANGUP)))
        .containsExactly(new Effect.StopAudio());
    assertThat(model.state().history()).containsExactly(
        new HistoryEntry(false, "bob", CallOutcome.ANSWERED, T0, 10_000));
    assertThat(model.state().notice().text()).isEqualTo("bob hung up (0:10).");
  }

  @Test
  void incomingCallRefused() {
    on(new ClientEvent.Incoming(in("bob")));
    assertThat(model.refuse()).containsExactly(new Effect.StopRinging(), new Effect.Refuse());
    assertThat(model.state().call().ending()).isTrue();
    assertThat(model.accept()).isEmpty(); // too late
    assertThat(on(new ClientEvent.CallEnded(in("bob"), EndReason.REFUSED))).isEmpty(); // the ringer already stopped
    MainState s = model.state();
    assertThat(s.call()).isNull();
    assertThat(s.history()).extracting(HistoryEntry::outcome).containsExactly(CallOutcome.REFUSED);
    assertThat(s.missedCount()).isZero();
    assertThat(s.notice()).isNull();
  }

  @Test
  void escapeOnARingingCallRefusesIt() {
    on(new ClientEvent.Incoming(in("bob")));
    assertThat(model.hangup()).containsExactly(new Effect.StopRinging(), new Effect.Refuse());
  }

  @Test
  void cancelledByTheCallerOrUnansweredIsMissed() {
    on(new ClientEvent.Incoming(in("bob")));
    assertThat(on(new ClientEvent.CallEnded(in("bob"), EndReason.CANCELLED)))
        .containsExactly(new Effect.StopRinging());
    elapse(60_000);
    on(new ClientEvent.Incoming(in("carol")));
    on(new ClientEvent.CallEnded(in("carol"), EndReason.NO_ANSWER));
    MainState s = model.state();
    assertThat(s.history()).extracting(HistoryEntry::peer, HistoryEntry::missed, HistoryEntry::connected)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("carol", true, false),
            org.assertj.core.groups.Tuple.tuple("bob", true, false));
    assertThat(s.missedCount()).isEqualTo(2);
    assertThat(s.notice().text()).isEqualTo("Missed call from carol.");
    assertThat(s.notice().level()).isEqualTo(Notice.Level.WARNING);
  }

  @Test
  void acceptedButTheCallerGaveUpMeanwhileIsNotMissed() {
    on(new ClientEvent.Incoming(in("bob")));
    model.accept();
    on(new ClientEvent.CallEnded(in("bob"), EndReason.CANCELLED));
    assertThat(model.state().history().get(0).outcome()).isEqualTo(CallOutcome.FAILED);
  }

  @Test
  void outgoingCallOutcomes() {
    record Case(EndReason reason, CallOutcome outcome, String notice) {}
    List<Case> cases = List.of(
        new Case(EndReason.REFUSED, CallOutcome.REFUSED, "bob declined the call."),
        new Case(EndReason.BUSY, CallOutcome.BUSY, "bob is in another call."),
        new Case(EndReason.NO_ANSWER, CallOutcome.NO_ANSWER, "bob did not answer."),
        new Case(EndReason.OFFLINE, CallOutcome.OFFLINE, "bob is offline."),
        new Case(EndReason.UNKNOWN_USER, CallOutcome.UNKNOWN_USER, "There is no user called bob."),
        new Case(EndReason.FAILED, CallOutcome.FAILED, "The call to bob failed."));
    for (Case c : cases) {
      model.dismissNotice(model.state().notice() == null ? 0 : model.state().notice().id());
      model.dial("bob", now);
      assertThat(on(new ClientEvent.CallEnded(out("bob"), c.reason()))).isEmpty();
      MainState s = model.state();
      assertThat(s.call()).isNull();
      assertThat(s.history().get(0).outcome()).as(c.reason().name()).isEqualTo(c.outcome());
      assertThat(s.history().get(0).connected()).isFalse();
      assertThat(s.notice().text()).isEqualTo(c.notice());
    }
  }

  @Test
  void cancellingOurOwnCallShowsNoNotice() {
    model.dial("bob", now);
    assertThat(model.hangup()).containsExactly(new Effect.Hangup());
    on(new ClientEvent.CallEnded(out("bob"), EndReason.CANCELLED));
    assertThat(model.state().history().get(0).outcome()).isEqualTo(CallOutcome.CANCELLED);
    assertThat(model.state().notice()).isNull();
  }

  @Test
  void aServerErrorBeforeAFailedCallKeepsTheServersWords() {
    model.dial("bob", now);
    on(new ClientEvent.Error(ErrorCode.RATE_LIMITED, "too many requests: slow down"));
    on(new ClientEvent.CallEnded(out("bob"), EndReason.FAILED));
    assertThat(model.state().notice().text()).isEqualTo("Too many requests: slow down.");
    assertThat(model.state().notice().level()).isEqualTo(Notice.Level.ERROR);
  }

  @Test
  void theClientRefusingToDialClearsTheCall() {
    model.dial("bob", now);
    on(new ClientEvent.Error(null, "not signed in"));
    assertThat(model.state().call()).isNull();
    assertThat(model.state().notice().text()).isEqualTo("Not signed in.");
    assertThat(model.state().history()).isEmpty();
  }

  @Test
  void dialingSomeoneNotOnlineSaysWhyInsteadOfCalling() {
    assertThat(model.dial("carol", now)).isEmpty();
    assertThat(model.state().notice().text()).isEqualTo("carol is in another call.");
    assertThat(model.dial("dave", now)).isEmpty();
    assertThat(model.state().notice().text()).isEqualTo("dave is offline.");
    assertThat(model.dial("alice", now)).isEmpty();
    assertThat(model.state().call()).isNull();
  }

  @Test
  void muteAndTheVoicePathsReports() {
    assertThat(model.toggleMute()).isEmpty(); // no call
    CallInfo live = started(out("bob"));
    model.dial("bob", now);
    on(new ClientEvent.CallStarted(live));
    assertThat(model.toggleMute()).containsExactly(new Effect.SetMuted(true));
    assertThat(model.state().call().muted()).isTrue();
    assertThat(model.toggleMute()).containsExactly(new Effect.SetMuted(false));

    model.incomingAudio(false);
    assertThat(model.state().call().incomingAudio()).isEqualTo(AudioFlow.SILENT);
    model.incomingAudio(true);
    assertThat(model.state().call().incomingAudio()).isEqualTo(AudioFlow.FLOWING);
    CallQuality q = new CallQuality(4.1, 0.5, 6, 40, 60);
    model.quality(q);
    assertThat(model.state().call().quality()).isEqualTo(q);

    on(new ClientEvent.CallEnded(live, EndReason.REMOTE_HANGUP));
    model.quality(q); // late report after the call: ignored
    model.incomingAudio(false);
    assertThat(model.state().call()).isNull();
  }

  @Test
  void aNewCallStartsUnmuted() {
    model.dial("bob", now);
    on(new ClientEvent.CallStarted(started(out("bob"))));
    model.toggleMute();
    on(new ClientEvent.CallEnded(started(out("bob")), EndReason.HANGUP));
    on(new ClientEvent.Incoming(in("bob")));
    model.accept();
    on(new ClientEvent.CallStarted(started(in("bob"))));
    assertThat(model.state().call().muted()).isFalse();
  }

  @Test
  void reconnectingDropsTheCallAndComesBack() {
    model.dial("bob", now);
    CallInfo live = started(out("bob"));
    on(new ClientEvent.CallStarted(live));
    elapse(5_000);
    assertThat(on(new ClientEvent.CallEnded(live, EndReason.CONNECTION_LOST))).containsExactly(new Effect.StopAudio());
    on(new ClientEvent.Reconnecting("server stopped answering"));
    MainState s = model.state();
    assertThat(s.connection()).isEqualTo(Connection.RECONNECTING);
    assertThat(s.connection().label()).isEqualTo("Reconnecting\u2026");
    assertThat(s.connectionDetail()).isEqualTo("server stopped answering");
    assertThat(s.history().get(0).outcome()).isEqualTo(CallOutcome.DROPPED);
    assertThat(s.history().get(0).durationMillis()).isEqualTo(5_000);
    assertThat(s.canCall("bob")).isFalse();
    assertThat(model.dial("bob", now)).isEmpty();
    assertThat(model.state().notice().text()).startsWith("Not connected");

    on(new ClientEvent.Registered("alice", true));
    assertThat(model.state().connection()).isEqualTo(Connection.CONNECTED);
    assertThat(model.state().connectionDetail()).isNull();
    assertThat(model.state().canCall("bob")).isTrue();
  }

  @Test
  void passwordRejectedWhileReconnectingIsAnError() {
    on(new ClientEvent.Reconnecting("no session"));
    on(new ClientEvent.Error(ErrorCode.AUTH_FAILED, "wrong user name or password"));
    assertThat(model.state().notice().level()).isEqualTo(Notice.Level.ERROR);
    assertThat(model.state().notice().text()).contains("no longer accepts the password");
  }

  @Test
  void signedInElsewhereEndsTheSession() {
    model.dial("bob", now);
    on(new ClientEvent.CallStarted(started(out("bob"))));
    List<Effect> fx = on(new ClientEvent.Error(ErrorCode.SESSION_REPLACED, "signed in from elsewhere"));
    assertThat(fx).hasSize(2);
    assertThat(fx.get(0)).isEqualTo(new Effect.StopAudio());
    assertThat(fx.get(1)).isInstanceOf(Effect.SignedOut.class);
    assertThat(model.state().connection()).isEqualTo(Connection.SIGNED_OUT);
    assertThat(model.state().call()).isNull();
    assertThat(model.state().history().get(0).outcome()).isEqualTo(CallOutcome.DROPPED);
  }

  @Test
  void noticesAreDismissedOnlyByTheirOwnId() {
    model.dial("dave", now);
    Notice first = model.state().notice();
    model.dial("carol", now);
    Notice second = model.state().notice();
    model.dismissNotice(first.id());
    assertThat(model.state().notice()).isEqualTo(second);
    model.dismissNotice(second.id());
    assertThat(model.state().notice()).isNull();
  }

  @Test
  void historyIsNewestFirstAndBounded() {
    for (int i = 0; i < MainModel.MAX_HISTORY + 5; i++) {
      elapse(1_000);
      on(new ClientEvent.Incoming(in("bob")));
      on(new ClientEvent.CallEnded(in("bob"), EndReason.CANCELLED));
    }
    List<HistoryEntry> h = model.state().history();
    assertThat(h).hasSize(MainModel.MAX_HISTORY);
    assertThat(h.get(0).atMillis()).isGreaterThan(h.get(1).atMillis());
  }

  @Test
  void aSecondIncomingCallWhileBusyIsIgnored() {
    on(new ClientEvent.Incoming(in("bob")));
    assertThat(on(new ClientEvent.Incoming(in("carol")))).isEmpty();
    assertThat(model.state().call().peer()).isEqualTo("bob");
  }

  @Test
  void aCallTheModelDidNotKnowIsAdopted() {
    CallInfo live = started(in("bob"));
    assertThat(on(new ClientEvent.CallStarted(live))).containsExactly(new Effect.StartAudio(live));
    assertThat(model.state().call().active()).isTrue();
  }

  @Test
  void listenerTurnsCallbacksIntoEvents() {
    List<ClientEvent> seen = new java.util.ArrayList<>();
    ClientEvents l = new ClientEvents(seen::add);
    l.onRegistered("alice", 6001, true);
    l.onIncoming(in("bob"));
    l.onRinging(out("bob"));
    l.onCallStarted(started(in("bob")));
    l.onCallEnded(in("bob"), EndReason.REFUSED);
    l.onError(null, "x");
    l.onReconnecting("y");
    l.onPresence(Map.of("bob", PresenceState.ONLINE), Map.of("bob", PresenceState.ONLINE));
    assertThat(seen).containsExactly(
        new ClientEvent.Registered("alice", true),
        new ClientEvent.Incoming(in("bob")),
        new ClientEvent.Ringing(out("bob")),
        new ClientEvent.CallStarted(started(in("bob"))),
        new ClientEvent.CallEnded(in("bob"), EndReason.REFUSED),
        new ClientEvent.Error(null, "x"),
        new ClientEvent.Reconnecting("y"),
        new ClientEvent.Presence(Map.of("bob", PresenceState.ONLINE), Map.of("bob", PresenceState.ONLINE)));
  }
}
