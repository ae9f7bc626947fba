package io.causerie.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.causerie.protocol.ClientFeatures;
import io.causerie.protocol.EndReason;
import io.causerie.protocol.ErrorCode;
import io.causerie.protocol.Message;
import io.causerie.protocol.MessageCodec;
import io.causerie.protocol.PresenceEntry;
import io.causerie.protocol.PresenceState;
import io.causerie.protocol.ProtocolLimits;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Call-flow vectors for every outcome, on a fake clock. */
class SignallingCoreTest {
  private CoreHarness h;
  private CoreHarness.Peer alice;
  private CoreHarness.Peer bob;

  @BeforeEach
  void setUp() {
    h = new CoreHarness();
    h.users.add("alice", "alice-pw").add("bob", "bob-pw").add("carol", "carol-pw");
    h.start();
    alice = h.peer("alice", 40001);
    bob = h.peer("bob", 40002);
  }

  private long placeCall(CoreHarness.Peer from, CoreHarness.Peer to) {
    from.send(new Message.Call(h.tx(), from.token, to.user, List.of("opus", "pcmu")));
    long callId = from.expect(Message.CallProceeding.class).callId();
    Message.Incoming inc = to.expect(Message.Incoming.class);
    assertThat(inc.caller()).isEqualTo(from.user);
    assertThat(inc.codecs()).containsExactly("opus", "pcmu");
    from.expect(Message.Ringing.class, r -> r.callId() == callId);
    return callId;
  }

  private long establish(CoreHarness.Peer from, CoreHarness.Peer to) {
    long id = placeCall(from, to);
    to.send(new Message.Accept(h.tx(), to.token, id, "opus"));
    Message.CallStarted forCallee = to.expect(Message.CallStarted.class);
    Message.CallStarted forCaller = from.expect(Message.CallStarted.class);
    assertThat(forCaller.peer()).isEqualTo(to.user);
    assertThat(forCaller.caller()).isTrue();
    assertThat(forCallee.peer()).isEqualTo(from.user);
    assertThat(forCallee.caller()).isFalse();
    assertThat(forCaller.codec()).isEqualTo("opus");
    assertThat(forCaller.mediaPort()).isEqualTo(from.mediaPort);
    assertThat(h.relay.connected).containsEntry(from.mediaPort, to.mediaPort);
    return id;
  }

  @Test
  void signInGivesASessionAMediaPortAndAPresenceSnapshot() {
    Message m = alice.signIn("alice-pw");
    assertThat(m).isInstanceOf(Message.AuthOk.class);
    Message.AuthOk ok = (Message.AuthOk) m;
    assertThat(ok.session()).isNotZero();
    assertThat(ok.keepaliveSeconds()).isEqualTo(15);
    assertThat(ok.sessionTimeoutSeconds()).isEqualTo(45);
    Message.Presence snapshot = (Message.Presence) alice.inbox().get(0);
    assertThat(snapshot.snapshot()).isTrue();
    assertThat(snapshot.last()).isTrue();
    assertThat(snapshot.entries()).containsExactly(new PresenceEntry("alice", PresenceState.ONLINE),
        new PresenceEntry("bob", PresenceState.OFFLINE), new PresenceEntry("carol", PresenceState.OFFLINE));
    assertThat(h.users.lastSeen).containsEntry("alice", "127.0.0.1");
  }

  @Test
  void wrongPasswordAndUnknownUserGetTheSameAnswer() {
    Message wrong = alice.signIn("nope");
    CoreHarness.Peer mallory = h.peer("mallory", 40009);
    Message unknown = mallory.signIn("whatever");
    assertThat(wrong).isInstanceOf(Message.Error.class);
    assertThat(unknown).isInstanceOf(Message.Error.class);
    Message.Error a = (Message.Error) wrong;
    Message.Error b = (Message.Error) unknown;
    assertThat(a.code()).isEqualTo(ErrorCode.AUTH_FAILED);
    assertThat(b.code()).isEqualTo(a.code());
    assertThat(b.text()).isEqualTo(a.text());
    assertThat(h.core.sessionCount()).isZero();
    assertThat(h.core.pendingLoginCount()).isZero();
  }

  @Test
  void aSignInThatOutlivesItsLoginIsToldToStartAgainNotThatThePasswordIsWrong() {
    Message late = alice.signIn("alice-pw", ServerConfig.DEFAULT_LOGIN_TIMEOUT.toMillis() + 100);
    assertThat(late).isInstanceOf(Message.Error.class);
    assertThat(((Message.Error) late).code()).isEqualTo(ErrorCode.LOGIN_EXPIRED);
    assertThat(h.core.stats().authFailures()).isZero(); // not a credential failure: nothing towards a lockout
    assertThat(alice.signIn("alice-pw")).isInstanceOf(Message.AuthOk.class);
  }

  @Test
  void anAllowedRangeIsEnforced() {
    h.users.add("dave", "dave-pw", "10.0.0.0/8");
    Message m = h.peer("dave", 40010).signIn("dave-pw");
    assertThat(((Message.Error) m).code()).isEqualTo(ErrorCode.AUTH_FAILED);
    h.users.add("erin", "erin-pw", "127.0.0.0/8");
    assertThat(h.peer("erin", 40011).signIn("erin-pw")).isInstanceOf(Message.AuthOk.class);
  }

  @Test
  void presenceUpdatesReachOthersBatched() {
    alice.signedIn("alice-pw");
    bob.signedIn("bob-pw");
    h.elapse(100);
    Message.Presence p = (Message.Presence) alice.inbox().stream().filter(m -> m instanceof Message.Presence)
        .reduce((x, y) -> y).orElseThrow();
    assertThat(p.snapshot()).isFalse();
    assertThat(p.entries()).contains(new PresenceEntry("bob", PresenceState.ONLINE));
  }

  @Test
  void acceptedCallThenCallerHangsUp() {
    alice.signedIn("alice-pw");
    bob.signedIn("bob-pw");
    long id = establish(alice, bob);
    h.elapse(100);
    alice.send(new Message.Hangup(h.tx(), alice.token, id));
    alice.expect(Message.Ok.class);
    Message.CallEnded ended = bob.expect(Message.CallEnded.class);
    assertThat(ended.reason()).isEqualTo(EndReason.REMOTE_HANGUP);
    assertThat(h.relay.connected).isEmpty();
    assertThat(h.core.callCount()).isZero();
    assertThat(h.users.history).as("waits for quality reports").isEmpty();
    h.elapse(5_100);
    assertThat(h.users.history).singleElement().satisfies(r -> {
      assertThat(r.caller()).isEqualTo("alice");
      assertThat(r.outcome()).isEqualTo("remote-hangup");
    });
  }

  @Test
  void calleeHangsUp() {
    alice.signedIn("alice-pw");
    bob.signedIn("bob-pw");
    long id = establish(alice, bob);
    bob.send(new Message.Hangup(h.tx(), bob.token, id));
    bob.expect(Message.Ok.class);
    assertThat(alice.expect(Message.CallEnded.class).reason()).isEqualTo(EndReason.REMOTE_HANGUP);
  }

  @Test
  void refused() {
    alice.signedIn("alice-pw");
    bob.signedIn("bob-pw");
    long id = placeCall(alice, bob);
    bob.send(new Message.Refuse(h.tx(), bob.token, id));
    bob.expect(Message.Ok.class);
    assertThat(alice.expect(Message.CallEnded.class).reason()).isEqualTo(EndReason.REFUSED);
    assertThat(h.core.callCount()).isZero();
  }

  @Test
  void busy() {
    CoreHarness.Peer carol = h.peer("carol", 40003);
    alice.signedIn("alice-pw");
    bob.signedIn("bob-pw");
    carol.signedIn("carol-pw");
    establish(alice, bob);
    carol.send(new Message.Call(h.tx(), carol.token, "bob", List.of("opus")));
    Message.Error e = carol.expect(Message.Error.class);
    assertThat(e.code()).isEqualTo(ErrorCode.BUSY);
    assertThat(bob.take()).isEmpty();
  }

  @Test
  void ringingCalleeIsBusyToo() {
    CoreHarness.Peer carol = h.peer("carol", 40003);
    alice.signedIn("alice-pw");
    bob.signedIn("bob-pw");
    carol.signedIn("carol-pw");
    placeCall(alice, bob);
    carol.send(new Message.Call(h.tx(), carol.token, "bob", List.of("opus")));
    assertThat(carol.expect(Message.Error.class).code()).isEqualTo(ErrorCode.BUSY);
  }

  @Test
  void noAnswerAfterTheTimeout() {
    alice.signedIn("alice-pw");
    bob.signedIn("bob-pw");
    placeCall(alice, bob);
    for (int i = 0; i < 29; i++) { // keep both sessions alive while it rings
      h.elapse(1_000);
      alice.send(new Message.Keepalive(h.tx(), alice.token, 0));
      bob.send(new Message.Keepalive(h.tx(), bob.token, 0));
      alice.take();
      bob.take();
    }
    h.elapse(1_100);
    assertThat(alice.expect(Message.CallEnded.class).reason()).isEqualTo(EndReason.NO_ANSWER);
    assertThat(bob.expect(Message.CallEnded.class).reason()).isEqualTo(EndReason.NO_ANSWER);
  }

  @Test
  void callerCancels() {
    alice.signedIn("alice-pw");
    bob.signedIn("bob-pw");
    long id = placeCall(alice, bob);
    alice.send(new Message.Cancel(h.tx(), alice.token, id));
    alice.expect(Message.Ok.class);
    assertThat(bob.expect(Message.CallEnded.class).reason()).isEqualTo(EndReason.CANCELLED);
    bob.send(new Message.Accept(h.tx(), bob.token, id, "opus"));
    assertThat(bob.expect(Message.Error.class).code()).isEqualTo(ErrorCode.NO_SUCH_CALL);
  }

  @Test
  void unknownAndOfflineCallees() {
    alice.signedIn("alice-pw");
    alice.send(new Message.Call(h.tx(), alice.token, "zed", List.of()));
    assertThat(alice.expect(Message.Error.class).code()).isEqualTo(ErrorCode.UNKNOWN_USER);
    alice.send(new Message.Call(h.tx(), alice.token, "bob", List.of()));
    assertThat(alice.expect(Message.Error.class).code()).isEqualTo(ErrorCode.USER_OFFLINE);
    alice.send(new Message.Call(h.tx(), alice.token, "alice", List.of()));
    assertThat(alice.expect(Message.Error.class).code()).isEqualTo(ErrorCode.SELF_CALL);
  }

  @Test
  void aSilentPeerExpiresAndTheOtherIsTold() {
    alice.signedIn("alice-pw");
    bob.signedIn("bob-pw");
    establish(alice, bob);
    for (int i = 0; i < 46; i++) { // alice keeps alive, bob goes silent
      h.elapse(1_000);
      alice.send(new Message.Keepalive(h.tx(), alice.token, 0));
      List<Message> got = alice.take();
      if (got.stream().anyMatch(m -> m instanceof Message.CallEnded)) {
        // One notification (it may have been retransmitted within the second), saying why.
        assertThat(got.stream().filter(m -> m instanceof Message.CallEnded).distinct())
            .singleElement().satisfies(m -> assertThat(((Message.CallEnded) m).reason()).isEqualTo(EndReason.PEER_LOST));
        assertThat(i).isGreaterThanOrEqualTo(29); // bob's unanswered notifications give up at 30 s
        assertThat(h.core.sessionCount()).isEqualTo(1);
        bob.inbox();
        bob.send(new Message.Keepalive(h.tx(), bob.token, 0));
        assertThat(bob.inbox()).singleElement()
            .satisfies(m -> assertThat(((Message.Error) m).code()).isEqualTo(ErrorCode.NO_SESSION));
        return;
      }
    }
    throw new AssertionError("alice was never told that bob vanished");
  }

  @Test
  void aNotificationUnluckyForAWholeRoundIsResentWhileItsClientKeepsTalking() {
    alice.signedIn("alice-pw");
    bob.signedIn("bob-pw");
    CoreHarness.Peer carol = h.peer("carol", 40003);
    carol.signedIn("carol-pw");
    // Carol leaves: bob is told, and every copy of the notice is lost; bob keeps sending KEEPALIVE.
    carol.send(new Message.Logout(h.tx(), carol.token));
    h.elapse(200);
    Message.Presence notice = bob.inbox().stream().filter(m -> m instanceof Message.Presence)
        .map(m -> (Message.Presence) m).filter(p -> !p.snapshot()).findFirst().orElseThrow();
    for (int second = 0; second < 40; second++) {
      h.elapse(1_000);
      bob.send(new Message.Keepalive(h.tx(), bob.token, 0));
      alice.send(new Message.Keepalive(h.tx(), alice.token, 0));
      alice.take();
    }
    // Past the 30 s of one round: bob is still signed in and the same notice (same txid) is still coming.
    assertThat(h.core.sessionCount()).isEqualTo(2);
    h.elapse(4_000);
    assertThat(bob.inbox()).filteredOn(m -> m.txid() == notice.txid()).isNotEmpty();
    bob.send(new Message.Ok(notice.txid(), bob.token));
    h.elapse(60_000 - 4_000); // acknowledged: nothing more of it, and bob's session lives (keepalives aside)
    assertThat(bob.inbox()).filteredOn(m -> m.txid() == notice.txid()).isEmpty();
    assertThat(h.core.snapshot().notificationRounds()).isEqualTo(1);
    assertThat(h.core.snapshot().unreachableSessions()).isZero();
  }

  @Test
  void aClientThatTalksButNeverAcknowledgesIsClosedAfterTheLastRound() {
    alice.signedIn("alice-pw");
    bob.signedIn("bob-pw");
    alice.send(new Message.Logout(h.tx(), alice.token));
    h.elapse(200);
    bob.inbox();
    int seconds = 0;
    while (h.core.sessionCount() > 0 && seconds < 200) {
      h.elapse(1_000);
      seconds++;
      bob.send(new Message.Keepalive(h.tx(), bob.token, 0));
    }
    assertThat(h.core.sessionCount()).isZero();
    assertThat(seconds).isBetween(SignallingCore.NOTIFICATION_ROUNDS * 30 - 1, SignallingCore.NOTIFICATION_ROUNDS * 30 + 1);
    assertThat(h.core.snapshot().unreachableSessions()).isEqualTo(1);
    assertThat(h.core.snapshot().notificationRounds()).isEqualTo(SignallingCore.NOTIFICATION_ROUNDS - 1);
  }

  @Test
  void duplicateRequestsGetTheIdenticalAnswerAndChangeStateOnce() {
    alice.signedIn("alice-pw");
    bob.signedIn("bob-pw");
    long id = placeCall(alice, bob);
    Message.Accept accept = new Message.Accept(h.tx(), bob.token, id, "opus");
    bob.send(accept);
    List<byte[]> first = bob.rawInbox();
    bob.send(accept);
    bob.send(accept);
    List<byte[]> again = bob.rawInbox();
    assertThat(again).hasSize(2);
    byte[] okBytes = first.stream().filter(b -> b[3] == 0x40).findFirst().orElseThrow();
    assertThat(again.get(0)).isEqualTo(okBytes);
    assertThat(again.get(1)).isEqualTo(okBytes);
    assertThat(alice.take()).filteredOn(m -> m instanceof Message.CallStarted).hasSize(1);
  }

  @Test
  void unacknowledgedNotificationsAreRetransmittedUntilAcknowledged() {
    alice.signedIn("alice-pw");
    bob.signedIn("bob-pw");
    alice.send(new Message.Call(h.tx(), alice.token, "bob", List.of("opus")));
    Message.Incoming inc = (Message.Incoming) bob.inbox().stream()
        .filter(m -> m instanceof Message.Incoming).findFirst().orElseThrow(); // read, not acknowledged
    h.elapse(450);
    List<Message> resent = bob.inbox();
    assertThat(resent).contains(inc);
    bob.send(new Message.Ok(inc.txid(), bob.token));
    bob.send(new Message.Ok(inc.txid(), bob.token)); // a duplicate answer is harmless
    h.elapse(5_000);
    assertThat(bob.inbox()).doesNotContain(inc);
    // alice has not acknowledged yet, so she may see retransmissions: still one RINGING transaction.
    assertThat(alice.take().stream().filter(m -> m instanceof Message.Ringing).map(Message::txid).distinct())
        .hasSize(1);
  }

  @Test
  void unknownSessionIsToldToSignInAgain() {
    CoreHarness.Peer ghost = h.peer("ghost", 40020);
    ghost.token = 1234;
    ghost.send(new Message.Keepalive(h.tx(), 1234, 0));
    assertThat(((Message.Error) ghost.inbox().get(0)).code()).isEqualTo(ErrorCode.NO_SESSION);
  }

  @Test
  void aSecondSignInReplacesTheFirstSession() {
    alice.signedIn("alice-pw");
    long oldToken = alice.token;
    CoreHarness.Peer alice2 = h.peer("alice", 40030);
    alice2.signedIn("alice-pw");
    assertThat(h.core.sessionCount()).isEqualTo(1);
    alice.send(new Message.Keepalive(h.tx(), oldToken, 0));
    assertThat(((Message.Error) alice.inbox().get(0)).code()).isEqualTo(ErrorCode.SESSION_REPLACED);
  }

  @Test
  void aClientThatMovesIsFollowed() {
    alice.signedIn("alice-pw");
    bob.signedIn("bob-pw");
    alice.address = new InetSocketAddress("127.0.0.1", 40111);
    alice.send(new Message.Keepalive(h.tx(), alice.token, 0));
    assertThat(alice.inbox()).singleElement().isInstanceOf(Message.Ok.class);
    bob.send(new Message.Call(h.tx(), bob.token, "alice", List.of()));
    assertThat(alice.expect(Message.Incoming.class).caller()).isEqualTo("bob");
  }

  @Test
  void logoutEndsTheCallAndPresence() {
    alice.signedIn("alice-pw");
    bob.signedIn("bob-pw");
    establish(alice, bob);
    bob.send(new Message.Logout(h.tx(), bob.token));
    assertThat(alice.expect(Message.CallEnded.class).reason()).isEqualTo(EndReason.PEER_LOST);
    h.elapse(100);
    assertThat(alice.inbox()).filteredOn(m -> m instanceof Message.Presence)
        .anySatisfy(m -> assertThat(((Message.Presence) m).entries())
            .contains(new PresenceEntry("bob", PresenceState.OFFLINE)));
    assertThat(h.relay.open).isEqualTo(1);
  }

  @Test
  void unauthenticatedErrorsAreNeverLargerThanTheRequest() {
    CoreHarness.Peer x = h.peer("x", 40040);
    // A header-only AUTH_START: malformed body, 20 bytes; the smallest error is 23 bytes: no answer.
    byte[] shortReq = MessageCodec.encode(new Message.Logout(7, 0));
    shortReq[3] = 0x01;
    h.core.onDatagram(shortReq, shortReq.length, x.address);
    assertThat(x.rawInbox()).isEmpty();
    // A larger malformed request gets an error that fits in it.
    byte[] longer = new byte[40];
    System.arraycopy(shortReq, 0, longer, 0, shortReq.length);
    longer[20] = 0x7F;
    h.core.onDatagram(longer, longer.length, x.address);
    assertThat(x.rawInbox()).singleElement().satisfies(b -> assertThat(b.length).isLessThanOrEqualTo(40));
    // Garbage without our magic is ignored.
    h.core.onDatagram(new byte[300], 300, x.address);
    assertThat(x.rawInbox()).isEmpty();
    assertThat(h.core.stats().malformed()).isEqualTo(3);
  }

  @Test
  void theMediaRangeRunningOutIsAClearError() {
    h.relay.limit = 1;
    alice.signedIn("alice-pw");
    Message m = bob.signIn("bob-pw");
    assertThat(((Message.Error) m).code()).isEqualTo(ErrorCode.SERVER_FULL);
    assertThat(((Message.Error) m).text()).contains("media port");
    assertThat(h.core.sessionCount()).isEqualTo(1);
  }

  @Test
  void aDatabaseFailureIsReportedNotHidden() {
    h.users.failing = true;
    Message m = alice.signIn("alice-pw");
    assertThat(((Message.Error) m).code()).isEqualTo(ErrorCode.INTERNAL);
  }

  @Test
  void shutdownTellsBothPartiesOnce() {
    alice.signedIn("alice-pw");
    bob.signedIn("bob-pw");
    establish(alice, bob);
    h.core.shutdown();
    assertThat(alice.expect(Message.CallEnded.class).reason()).isEqualTo(EndReason.SHUTDOWN);
    assertThat(bob.expect(Message.CallEnded.class).reason()).isEqualTo(EndReason.SHUTDOWN);
    assertThat(h.core.sessionCount()).isZero();
  }

  @Test
  void sessionsWithoutKeepaliveExpire() {
    h.config = h.config.withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofSeconds(30));
    h.start();
    alice = h.peer("alice", 40001);
    alice.signedIn("alice-pw");
    h.elapse(2_900);
    assertThat(h.core.sessionCount()).isEqualTo(1);
    h.elapse(200);
    assertThat(h.core.sessionCount()).isZero();
    assertThat(h.relay.open).isZero();
  }

  private static Message decode(byte[] b) {
    try {
      return MessageCodec.decode(b);
    } catch (io.causerie.protocol.ProtocolException e) {
      throw new AssertionError(e);
    }
  }

  /** Presence notifications sent to {@code p} since it last read, acknowledged. */
  private static List<Message.Presence> presenceOf(CoreHarness.Peer p) {
    List<Message> in = p.inbox();
    p.ackAll(in);
    return in.stream().filter(m -> m instanceof Message.Presence).map(m -> (Message.Presence) m).toList();
  }

  @Test
  void aBurstOfSignInsReachesEachWatcherAsOneBatchPerInterval() {
    for (int i = 0; i < 10; i++) {
      h.users.add("user" + i, "pw");
    }
    alice.signedIn("alice-pw");
    h.elapse(PresenceCoalescer.DEFAULT_INTERVAL_NANOS / 1_000_000 + 50);
    presenceOf(alice);
    List<CoreHarness.Peer> crowd = new java.util.ArrayList<>();
    for (int i = 0; i < 10; i++) {
      CoreHarness.Peer p = h.peer("user" + i, 41000 + i);
      p.signedIn("pw");
      crowd.add(p);
      h.elapse(10); // ten sign-ins within 100 ms
    }
    h.elapse(PresenceCoalescer.DEFAULT_INTERVAL_NANOS / 1_000_000);
    // The first sign-in after a quiet spell goes at the next tick; the nine after it wait for the interval and
    // go together: two datagrams to each watcher, not ten.
    List<Message.Presence> got = presenceOf(alice);
    assertThat(got).hasSize(2).allSatisfy(p -> {
      assertThat(p.snapshot()).isFalse();
      assertThat(p.last()).isTrue();
    });
    assertThat(got.get(0).entries()).containsExactly(new PresenceEntry("user0", PresenceState.ONLINE));
    assertThat(got.get(1).entries()).hasSize(9).allSatisfy(e -> assertThat(e.state()).isEqualTo(PresenceState.ONLINE));
    assertThat(got.get(1).seq()).isEqualTo(got.get(0).seq() + 1);
    // The last of the crowd signed in after the first batch: its snapshot, then only the second batch.
    List<Message.Presence> last = presenceOf(crowd.get(9));
    assertThat(last).filteredOn(p -> !p.snapshot()).singleElement()
        .satisfies(p -> assertThat(p.seq()).isEqualTo(got.get(1).seq()));
  }

  @Test
  void aCallThatStartsAndEndsBetweenTwoBatchesCostsWatchersNothing() {
    alice.signedIn("alice-pw");
    bob.signedIn("bob-pw");
    CoreHarness.Peer carol = h.peer("carol", 40003).signedIn("carol-pw");
    h.elapse(1_000);
    presenceOf(carol);
    alice.take();
    bob.take();
    long id = establish(alice, bob);
    alice.send(new Message.Hangup(h.tx(), alice.token, id));
    alice.expect(Message.Ok.class);
    bob.expect(Message.CallEnded.class);
    h.elapse(1_000);
    assertThat(presenceOf(carol)).isEmpty(); // alice and bob are online, as carol last heard
    // A call that outlives a batch is seen, start and end.
    id = establish(alice, bob);
    h.elapse(300);
    assertThat(presenceOf(carol)).singleElement().satisfies(p -> assertThat(p.entries()).containsExactlyInAnyOrder(
        new PresenceEntry("alice", PresenceState.IN_CALL), new PresenceEntry("bob", PresenceState.IN_CALL)));
    bob.send(new Message.Hangup(h.tx(), bob.token, id));
    h.elapse(300);
    assertThat(presenceOf(carol)).singleElement().satisfies(p -> assertThat(p.entries()).containsExactlyInAnyOrder(
        new PresenceEntry("alice", PresenceState.ONLINE), new PresenceEntry("bob", PresenceState.ONLINE)));
  }

  @Test
  void aSnapshotShowsEveryUserInNameOrderEvenOneRemovedWhileSignedIn() {
    bob.signedIn("bob-pw");
    CoreHarness.Peer carol = h.peer("carol", 40003).signedIn("carol-pw");
    establish(bob, carol);
    h.elapse(1_000);
    h.users.users.remove("bob"); // an operator removed bob; his session goes on until it ends
    h.users.add("aaron", "pw");
    alice.signIn("alice-pw");
    Message.Presence snap = (Message.Presence) alice.inbox().get(0);
    assertThat(snap.snapshot()).isTrue();
    assertThat(snap.entries()).containsExactly(new PresenceEntry("aaron", PresenceState.OFFLINE),
        new PresenceEntry("alice", PresenceState.ONLINE), new PresenceEntry("bob", PresenceState.IN_CALL),
        new PresenceEntry("carol", PresenceState.IN_CALL));
    // The usual case, everyone in the list, gives the same as before.
    h.users.add("bob", "bob-pw");
    CoreHarness.Peer aaron = h.peer("aaron", 40004);
    aaron.signIn("pw");
    assertThat(((Message.Presence) aaron.inbox().get(0)).entries()).containsExactly(
        new PresenceEntry("aaron", PresenceState.ONLINE), new PresenceEntry("alice", PresenceState.ONLINE),
        new PresenceEntry("bob", PresenceState.IN_CALL), new PresenceEntry("carol", PresenceState.IN_CALL));
  }

  @Test
  void largeUserListsArriveInParts() {
    for (int i = 0; i < 40; i++) {
      h.users.add(String.format("user%02d", i), "pw");
    }
    alice.signIn("alice-pw");
    List<Message> parts = alice.inbox();
    assertThat(parts).hasSize(3); // 43 users, 16 per datagram: alice announced nothing, like a client before 2026-11
    assertThat(parts).allSatisfy(m -> assertThat(((Message.Presence) m).snapshot()).isTrue());
    assertThat(((Message.Presence) parts.get(2)).last()).isTrue();
    assertThat(((Message.Presence) parts.get(0)).entries()).hasSize(ProtocolLimits.BASIC_PRESENCE_ENTRIES);
  }

  @Test
  void aClientThatAnnouncesPackedPresenceGetsItsSnapshotInFullerParts() {
    for (int i = 0; i < 300; i++) {
      h.users.add(String.format("user%03d", i), "pw");
    }
    alice.announcing(ClientFeatures.CURRENT).signIn("alice-pw");
    List<byte[]> wire = alice.rawInbox();
    List<Message.Presence> parts = wire.stream().map(b -> (Message.Presence) decode(b)).toList();
    // 303 users in name order: alice, bob, carol (7, 5, 7 bytes an entry), then user000..user299 (9 bytes each):
    // 30 + 19 + 116 * 9 = 1,093 of 1,100 bytes, then 118 * 9 + 30 = 1,092.
    assertThat(parts).extracting(p -> p.entries().size()).containsExactly(119, 118, 66);
    assertThat(wire).allSatisfy(b -> assertThat(b.length).isLessThanOrEqualTo(ProtocolLimits.PACKED_PRESENCE_BYTES));
    assertThat(parts).allSatisfy(p -> {
      assertThat(p.snapshot()).isTrue();
      assertThat(p.seq()).isEqualTo(parts.get(0).seq());
    });
    assertThat(parts).extracting(Message.Presence::last).containsExactly(false, false, true);
    List<String> names = parts.stream().flatMap(p -> p.entries().stream()).map(PresenceEntry::name).toList();
    assertThat(names).hasSize(303).isSorted().doesNotHaveDuplicates();
    // bob, announcing nothing, still gets 16 at most in each: 19 parts.
    h.elapse(1_000);
    bob.signIn("bob-pw");
    assertThat(bob.inbox()).hasSize(19).allSatisfy(m ->
        assertThat(((Message.Presence) m).entries().size()).isLessThanOrEqualTo(ProtocolLimits.BASIC_PRESENCE_ENTRIES));
  }

  @Test
  void aBatchGoesPackedToClientsThatAnnouncedItAndInSixteensToTheOthers() {
    for (int i = 0; i < 18; i++) {
      h.users.add(String.format("user%02d", i), "pw");
    }
    alice.announcing(ClientFeatures.CURRENT).signedIn("alice-pw");
    bob.signedIn("bob-pw");
    h.elapse(PresenceCoalescer.DEFAULT_INTERVAL_NANOS / 1_000_000 + 50);
    presenceOf(alice);
    presenceOf(bob);
    for (int i = 0; i < 18; i++) {
      h.peer(String.format("user%02d", i), 42000 + i).signedIn("pw");
      h.elapse(5); // the first goes at the next tick; the other 17 wait for the interval and go as one batch
    }
    h.elapse(PresenceCoalescer.DEFAULT_INTERVAL_NANOS / 1_000_000 + 50);
    Map<Long, List<Message.Presence>> packed = bySeq(presenceOf(alice));
    Map<Long, List<Message.Presence>> basic = bySeq(presenceOf(bob));
    assertThat(packed.keySet()).hasSize(2).isEqualTo(basic.keySet());
    assertThat(packed.values()).extracting(List::size).containsExactly(1, 1);
    assertThat(basic.values()).extracting(List::size).containsExactly(1, 2); // 1, then 16 + 1
    for (long seq : packed.keySet()) {
      assertThat(packed.get(seq).stream().flatMap(p -> p.entries().stream()).toList())
          .isEqualTo(basic.get(seq).stream().flatMap(p -> p.entries().stream()).toList());
      for (List<Message.Presence> batch : List.of(packed.get(seq), basic.get(seq))) {
        assertThat(batch).allSatisfy(p -> assertThat(p.snapshot()).isFalse());
        assertThat(batch).extracting(Message.Presence::last).last().isEqualTo(true);
        assertThat(batch.subList(0, batch.size() - 1)).allSatisfy(p -> assertThat(p.last()).isFalse());
      }
    }
    assertThat(packed.values().stream().mapToInt(b -> b.get(0).entries().size()).sum()).isEqualTo(18);
  }

  private static Map<Long, List<Message.Presence>> bySeq(List<Message.Presence> parts) {
    Map<Long, List<Message.Presence>> out = new java.util.TreeMap<>();
    for (Message.Presence p : parts) {
      out.computeIfAbsent(p.seq(), k -> new java.util.ArrayList<>()).add(p);
    }
    return out;
  }

  @Test
  void repeatedFailuresLockTheUserOutAndTheLockoutExpires() {
    for (int i = 0; i < 5; i++) {
      assertThat(((Message.Error) h.peer("alice", 40100 + i).signIn("wrong")).code()).isEqualTo(ErrorCode.AUTH_FAILED);
      h.elapse(1_000);
    }
    // Locked: even the right password is refused, before any password work.
    Message locked = h.peer("alice", 40200).signIn("alice-pw");
    assertThat(((Message.Error) locked).code()).isEqualTo(ErrorCode.LOCKED_OUT);
    assertThat(h.core.stats().lockouts()).isEqualTo(1);
    // Unknown names lock the same way, so a lockout says nothing about who exists.
    for (int i = 0; i < 5; i++) {
      h.peer("ghost", 40300 + i).signIn("x");
    }
    assertThat(((Message.Error) h.peer("ghost", 40400).signIn("x")).code()).isEqualTo(ErrorCode.LOCKED_OUT);
    // bob, behind the same address, still signs in: one user's lockout does not lock the address.
    assertThat(h.peer("bob", 40450).signIn("bob-pw")).isInstanceOf(Message.AuthOk.class);
    h.elapse(5 * 60_000);
    assertThat(h.peer("alice", 40500).signIn("alice-pw")).isInstanceOf(Message.AuthOk.class);
  }

  @Test
  void anAddressIsLockedAfterManyFailuresAcrossNames() {
    for (int i = 0; i < 5 * SignallingCore.ADDRESS_FAILURE_FACTOR; i++) {
      h.peer("user" + i, 41000 + i).signIn("guess");
      h.elapse(100); // below the unauthenticated rate limit: this is about failures, not floods
    }
    assertThat(((Message.Error) h.peer("alice", 41100).signIn("alice-pw")).code()).isEqualTo(ErrorCode.LOCKED_OUT);
    CoreHarness.Peer elsewhere = h.new Peer("alice", new InetSocketAddress("127.0.0.3", 41101));
    assertThat(elsewhere.signIn("alice-pw")).isInstanceOf(Message.AuthOk.class);
  }

  @Test
  void aFloodFromOneAddressIsCutOffWhileOthersGetThrough() {
    CoreHarness.Peer flooder = h.peer("x", 40600);
    byte[] junk = MessageCodec.encode(new Message.Keepalive(1, 999, 0));
    for (int i = 0; i < 1_000; i++) {
      h.core.onDatagram(junk, junk.length, flooder.address);
    }
    assertThat(flooder.rawInbox()).hasSizeLessThanOrEqualTo((int) ServerConfig.Abuse.DEFAULTS.unauthenticatedBurst());
    assertThat(h.core.stats().rateLimited()).isGreaterThanOrEqualTo(1_000 - 40);
    CoreHarness.Peer other = h.new Peer("bob", new InetSocketAddress("127.0.0.2", 40601));
    assertThat(other.signIn("bob-pw")).isInstanceOf(Message.AuthOk.class);
    h.elapse(2_000); // the bucket refills
    h.core.onDatagram(junk, junk.length, flooder.address);
    assertThat(flooder.rawInbox()).hasSize(1);
  }

  @Test
  void bothPartiesQualityReportsGoIntoTheHistoryWorstFirst() {
    alice.signedIn("alice-pw");
    bob.signedIn("bob-pw");
    long id = establish(alice, bob);
    alice.send(new Message.Hangup(h.tx(), alice.token, id));
    bob.take();
    alice.send(Message.CallQuality.of(h.tx(), alice.token, id, 1.0, 4.0, 20.0, 4.3));
    alice.expect(Message.Ok.class);
    assertThat(h.users.history).isEmpty();
    bob.send(Message.CallQuality.of(h.tx(), bob.token, id, 3.5, 2.0, Double.NaN, 3.9));
    bob.expect(Message.Ok.class);
    assertThat(h.users.history).singleElement().satisfies(r -> {
      assertThat(r.lossPercent()).isEqualTo(3.5);
      assertThat(r.jitterMillis()).isEqualTo(4.0);
      assertThat(r.rttMillis()).isEqualTo(20.0);
      assertThat(r.mos()).isEqualTo(3.9);
    });
    assertThat(h.core.snapshot().qualityReports()).isEqualTo(2);
    // A report for a call that is not (or no longer) waiting is refused.
    bob.send(Message.CallQuality.of(h.tx(), bob.token, id, 0, 0, 0, 4));
    assertThat(bob.expect(Message.Error.class).code()).isEqualTo(ErrorCode.NO_SUCH_CALL);
  }

  @Test
  void aMissingQualityReportDoesNotHoldTheHistoryBack() {
    CoreHarness.Peer carol = h.peer("carol", 40003);
    alice.signedIn("alice-pw");
    bob.signedIn("bob-pw");
    carol.signedIn("carol-pw");
    long id = establish(alice, bob);
    bob.send(new Message.Hangup(h.tx(), bob.token, id));
    alice.take();
    carol.send(Message.CallQuality.of(h.tx(), carol.token, id, 0, 0, 0, 4.4)); // not her call
    assertThat(carol.expect(Message.Error.class).code()).isEqualTo(ErrorCode.NO_SUCH_CALL);
    bob.send(Message.CallQuality.of(h.tx(), bob.token, id, 0.5, 1.0, 10.0, 4.2));
    h.elapse(5_100);
    assertThat(h.users.history).singleElement().satisfies(r -> assertThat(r.mos()).isEqualTo(4.2));
  }
}
