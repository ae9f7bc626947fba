package io.causerie.server;

import io.causerie.protocol.ClientFeatures;
import io.causerie.protocol.EndReason;
import io.causerie.protocol.ErrorCode;
import io.causerie.protocol.Message;
import io.causerie.protocol.MessageCodec;
import io.causerie.protocol.MessageType;
import io.causerie.protocol.Octets;
import io.causerie.protocol.PresenceEntry;
import io.causerie.protocol.PresenceParts;
import io.causerie.protocol.PresenceState;
import io.causerie.protocol.ProtocolException;
import io.causerie.protocol.ProtocolLimits;
import io.causerie.protocol.scram.FakeCredentials;
import io.causerie.protocol.scram.ScramException;
import io.causerie.protocol.scram.ScramNonce;
import io.causerie.protocol.scram.ScramServer;
import io.causerie.server.store.CallRecord;
import io.causerie.server.store.Cidr;
import io.causerie.server.store.User;
import io.causerie.transport.AnswerCache;
import io.causerie.transport.Clock;
import io.causerie.transport.RetransmitPolicy;
import io.causerie.transport.RoundOver;
import io.causerie.transport.TransactionIds;
import io.causerie.transport.TransactionTable;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's signalling logic: sessions, SCRAM sign-in, presence and the call router, driven by
 * datagrams and ticks on one thread (docs/PROTOCOL.md). It does no I/O of its own: it sends through
 * {@link Network}, reaches the database through {@link UserDirectory} and the relay through
 * {@link MediaRelay}, and reads time from an injected {@link Clock}.
 *
 * <p>Not thread-safe: signalling thread only.
 */
public final class SignallingCore {
  private static final Logger log = LoggerFactory.getLogger(SignallingCore.class);

  /** How the core sends datagrams. */
  @FunctionalInterface
  public interface Network {
    void send(byte[] datagram, InetSocketAddress to);
  }

  /** How long a replaced session's token is remembered, so its client is told rather than fighting back. */
  static final long REPLACED_TOKEN_MEMORY_NANOS = 5 * 60 * 1_000_000_000L;

  /** How long a finished call waits for its parties' quality reports before it is written to history. */
  static final long QUALITY_WAIT_NANOS = 5_000_000_000L;

  /** A finished call waiting for the quality reports of its two parties. */
  private static final class PendingHistory {
    final CallRecord record;
    final long dueNanos;
    Message.CallQuality fromCaller;
    Message.CallQuality fromCallee;

    PendingHistory(CallRecord record, long dueNanos) {
      this.record = record;
      this.dueNanos = dueNanos;
    }
  }

  /**
   * How many full retransmission rounds (each {@link RetransmitPolicy#DEFAULT_GIVE_UP_MILLIS}) a notification gets
   * while its client keeps talking. One round is not proof of a dead client: through 20 % loss each way a round
   * trip fails 36 % of the time, so one notice in ~27,000 loses all ten sends of a round by chance, and a server
   * that closed the session then made a live client sign in again in the middle of its call. A client that was
   * heard from since the notice was first sent gets another round; a silent one is closed as before. A client
   * that talks but never acknowledges is closed after this many rounds.
   */
  public static final int NOTIFICATION_ROUNDS = RetransmitPolicy.DEFAULT_ROUNDS;

  /**
   * What a notification is for, kept with it while it is retransmitted: its type (for the log) and, for an
   * INCOMING, the call it rings. Not the message itself: the encoded datagram is all a resend needs, and a
   * presence snapshot's message held every user's entry (and, through its part's view, the whole list) until
   * its last part was acknowledged, thousands of times over during a burst of sign-ins.
   *
   * @param incomingCallId the call id of an INCOMING, 0 for every other type
   */
  private record Notice(long sessionToken, MessageType type, long incomingCallId, long firstSentNanos, int round) {
    static Notice of(long sessionToken, Message m, long nowNanos) {
      return new Notice(sessionToken, m.type(), m instanceof Message.Incoming inc ? inc.callId() : 0, nowNanos, 0);
    }

    Notice nextRound() {
      return new Notice(sessionToken, type, incomingCallId, firstSentNanos, round + 1);
    }
  }

  /** A SCRAM exchange between AUTH_START and AUTH_FINISH. */
  private record PendingLogin(
      long loginId, ScramServer scram, Optional<User> user, InetSocketAddress source,
      InetSocketAddress replyAddress, InetSocketAddress mediaReply, PresenceParts presenceParts, long expiresNanos) {}

  private final ServerConfig config;
  private final Clock clock;
  private final Network net;
  private final UserDirectory users;
  private final MediaRelay relay;
  private final TransactionIds ids;
  private final SecureRandom random;
  /** Stable made-up SCRAM parameters for unknown users, so they look like everyone else. */
  private final FakeCredentials fakes;

  private final AnswerCache answers = new AnswerCache();
  private final TransactionTable<Notice> outbound =
      new TransactionTable<>(RetransmitPolicy.DEFAULT, TransactionTable.DEFAULT_MAX_PENDING, Notice::sessionToken);
  private final Map<Long, Session> sessions = new HashMap<>();
  private final Map<String, Session> sessionsByUser = new HashMap<>();
  private final Map<java.net.InetAddress, Integer> sessionsPerAddress = new HashMap<>();
  private final Map<Long, PendingLogin> pendingLogins = new LinkedHashMap<>();
  private final Map<Long, Long> replacedTokens = new LinkedHashMap<>();
  private final Map<Long, Call> calls = new HashMap<>();
  private final Map<Long, PendingHistory> pendingHistory = new LinkedHashMap<>();
  private final PresenceCoalescer presence;
  private final PresenceParts packedPresence;
  private final ServerStats stats = new ServerStats();
  /**
   * An address is shared by everyone behind one NAT (a whole school), so it may fail this many times more
   * often than one user name before it is locked.
   */
  static final int ADDRESS_FAILURE_FACTOR = 4;

  private final AuthThrottle throttle;
  private final AuthThrottle addressThrottle;
  private final RateLimiter unauthenticated;
  private long nextThrottleExpiryNanos;

  public SignallingCore(ServerConfig config, Clock clock, Network net, UserDirectory users, MediaRelay relay,
      SecureRandom random) {
    this(config, clock, net, users, relay, random, FakeCredentials.random(random));
  }

  /**
   * @param fakes made-up SCRAM parameters for unknown users; built from a secret kept across restarts, so
   *     that an unknown name's salt does not change when the server restarts while a real user's stays
   */
  public SignallingCore(ServerConfig config, Clock clock, Network net, UserDirectory users, MediaRelay relay,
      SecureRandom random, FakeCredentials fakes) {
    this(config, clock, net, users, relay, random, fakes, config.tuning().presenceInterval().toNanos());
  }

  /**
   * @param presenceIntervalNanos shortest time between two presence batches to every session (the setting
   *     {@code presence-interval}, default {@link PresenceCoalescer#DEFAULT_INTERVAL_NANOS}; docs/PROTOCOL.md §6.9)
   */
  public SignallingCore(ServerConfig config, Clock clock, Network net, UserDirectory users, MediaRelay relay,
      SecureRandom random, FakeCredentials fakes, long presenceIntervalNanos) {
    this(config, clock, net, users, relay, random, fakes, presenceIntervalNanos, PresenceParts.PACKED);
  }

  /**
   * @param packedPresence how PRESENCE parts are filled for clients that announced {@code packed-presence}
   *     (default {@link PresenceParts#PACKED}: up to {@link ProtocolLimits#PACKED_PRESENCE_BYTES} per message;
   *     docs/PROTOCOL.md §6.9); other clients always get {@link PresenceParts#BASIC}
   */
  public SignallingCore(ServerConfig config, Clock clock, Network net, UserDirectory users, MediaRelay relay,
      SecureRandom random, FakeCredentials fakes, long presenceIntervalNanos, PresenceParts packedPresence) {
    this.config = config;
    this.presence = new PresenceCoalescer(presenceIntervalNanos);
    this.packedPresence = packedPresence;
    this.clock = clock;
    this.net = net;
    this.users = users;
    this.relay = relay;
    this.random = random;
    this.ids = new TransactionIds(); // its own DRBG: one id per notification, the hottest use of randomness
    this.fakes = fakes;
    ServerConfig.Abuse abuse = config.abuse();
    this.throttle = new AuthThrottle(abuse.lockoutFailures(), abuse.lockoutWindow().toMillis(),
        abuse.lockoutDuration().toMillis(), AuthThrottle.DEFAULT_MAX_KEYS);
    this.addressThrottle = new AuthThrottle(abuse.lockoutFailures() * ADDRESS_FAILURE_FACTOR,
        abuse.lockoutWindow().toMillis(), abuse.lockoutDuration().toMillis(), AuthThrottle.DEFAULT_MAX_KEYS);
    this.unauthenticated = new RateLimiter(abuse.unauthenticatedPerSecond(), abuse.unauthenticatedBurst(),
        RateLimiter.DEFAULT_MAX_KEYS);
  }

  public ServerStats stats() {
    return stats;
  }

  // ------------------------------------------------------------------ datagrams

  /** Handles one datagram; {@code buf} is only read during the call. */
  public void onDatagram(byte[] buf, int len, InetSocketAddress source) {
    long now = clock.nanoTime();
    MessageCodec.Header h;
    try {
      h = MessageCodec.decodeHeader(buf, 0, len);
    } catch (ProtocolException e) {
      stats.malformed++;
      return; // not ours: silence, so we never amplify
    }
    MessageType type = h.type();
    if ((type == null || type.isRequest()) && !sessions.containsKey(h.session())
        && !unauthenticated.allow(source.getAddress(), now)) {
      stats.rateLimited++;
      return; // a flood from one address: silence, no work
    }
    if (type != null && !type.isRequest()) {
      onAnswer(buf, len, h);
      return;
    }
    Object key = h.session() != 0 ? (Object) h.session() : source;
    byte[] cached = answers.lookup(key, h.txid(), now);
    if (cached != null) {
      stats.duplicates++;
      if (cached != AnswerCache.IN_PROGRESS) {
        Session s = sessions.get(h.session());
        if (s != null) {
          touch(s, source); // a retransmission is a sign of life, maybe from a new address
        }
        net.send(cached, s != null ? s.replyAddress : source);
      }
      return;
    }
    Message m;
    try {
      m = MessageCodec.decode(buf, 0, len);
    } catch (ProtocolException e) {
      stats.malformed++;
      answerError(key, h.txid(), h.session(), source, e.code(), e.getMessage(), len);
      return;
    }
    try {
      dispatch(m, key, source, len);
    } catch (RuntimeException e) {
      log.error("internal error handling {} from {}", m.type(), source, e);
      answerError(key, m.txid(), m.session(), source, ErrorCode.INTERNAL, "internal server error", len);
    }
  }

  private void dispatch(Message m, Object key, InetSocketAddress source, int len) {
    switch (m.type()) {
      case AUTH_START -> onAuthStart((Message.AuthStart) m, source, len);
      case AUTH_FINISH -> onAuthFinish((Message.AuthFinish) m, source, len);
      case LOGOUT, KEEPALIVE, WHO, CALL, ACCEPT, REFUSE, CANCEL, HANGUP, CALL_QUALITY, CALL_KEY -> {
        Session s = sessions.get(m.session());
        if (s == null) {
          boolean replaced = replacedTokens.containsKey(m.session());
          answerError(key, m.txid(), m.session(), source, replaced ? ErrorCode.SESSION_REPLACED : ErrorCode.NO_SESSION,
              replaced ? "signed in from elsewhere" : "no such session: sign in again", len);
          return;
        }
        touch(s, source);
        onSessionRequest(s, m);
      }
      default -> answerError(key, m.txid(), m.session(), source, ErrorCode.MALFORMED,
          m.type() + " is not a client request", len);
    }
  }

  private void onSessionRequest(Session s, Message m) {
    switch (m.type()) {
      case KEEPALIVE -> answer(s, m, new Message.Ok(m.txid(), s.token));
      case LOGOUT -> {
        answer(s, m, new Message.Ok(m.txid(), s.token));
        log.info("{} signed out", s.user);
        endSession(s, "signed out");
      }
      case WHO -> {
        answer(s, m, new Message.Ok(m.txid(), s.token));
        sendSnapshot(s);
      }
      case CALL -> onCall(s, (Message.Call) m);
      case ACCEPT -> onAccept(s, (Message.Accept) m);
      case REFUSE -> onRefuse(s, ((Message.Refuse) m).callId(), m);
      case CANCEL -> onCancel(s, ((Message.Cancel) m).callId(), m);
      case HANGUP -> onHangup(s, ((Message.Hangup) m).callId(), m);
      case CALL_QUALITY -> onCallQuality(s, (Message.CallQuality) m);
      case CALL_KEY -> onCallKey(s, (Message.CallKey) m);
      default -> throw new IllegalStateException("not a session request: " + m.type());
    }
  }

  /** A request from a known session: note it is alive, and follow it if its address changed (NAT rebinding). */
  private void touch(Session s, InetSocketAddress source) {
    s.lastHeardNanos = clock.nanoTime();
    if (!s.fixedReply && !source.equals(s.sourceAddress)) {
      log.info("{} moved from {} to {}", s.user, s.sourceAddress, source);
      InetSocketAddress old = s.replyAddress;
      if (!old.getAddress().equals(source.getAddress())) {
        countAddress(old.getAddress(), -1);
        countAddress(source.getAddress(), +1);
      }
      s.sourceAddress = source;
      s.replyAddress = source;
      outbound.redirect(old, source);
      relay.moved(s.media, source.getAddress());
    }
  }

  // ------------------------------------------------------------------ sign-in

  private void onAuthStart(Message.AuthStart m, InetSocketAddress source, int len) {
    if (pendingLogins.size() >= config.maxPendingLogins()) {
      answerError(source, m.txid(), 0, source, ErrorCode.SERVER_FULL, "busy: try again", len);
      return;
    }
    InetSocketAddress reply = m.replySignalPort() == 0 ? source
        : new InetSocketAddress(source.getAddress(), m.replySignalPort());
    InetSocketAddress mediaReply = m.replyMediaPort() == 0 ? null
        : new InetSocketAddress(source.getAddress(), m.replyMediaPort());
    ScramServer.ClientFirst first;
    try {
      first = ScramServer.parseClientFirst(m.clientFirst());
    } catch (ScramException e) {
      answerError(source, m.txid(), 0, reply, ErrorCode.MALFORMED, "bad SCRAM client-first: " + e.getMessage(), len);
      return;
    }
    long now = clock.nanoTime();
    if (addressThrottle.locked(addressKey(source), now) || throttle.locked(userKey(first.username()), now)) {
      stats.lockedOut++;
      answerError(source, m.txid(), 0, reply, ErrorCode.LOCKED_OUT, ErrorCode.LOCKED_OUT.defaultText(), len);
      return;
    }
    answers.put(source, m.txid(), AnswerCache.IN_PROGRESS, now);
    users.find(first.username(), (user, failure) -> {
      if (failure != null) {
        log.error("user database failed looking up a user: {}", failure.getMessage());
        answers.remove(source, m.txid());
        answerError(source, m.txid(), 0, reply, ErrorCode.INTERNAL, "user database unavailable", len);
        return;
      }
      ScramServer scram = ScramServer.start(first, user.map(User::credential), ScramNonce.generate(random), fakes);
      long loginId = ids.next();
      PresenceParts parts = ClientFeatures.parse(first.bare()).packedPresence() ? packedPresence : PresenceParts.BASIC;
      pendingLogins.put(loginId, new PendingLogin(loginId, scram, user, source, reply, mediaReply, parts,
          clock.nanoTime() + config.loginTimeout().toNanos()));
      cacheAndSend(source, m.txid(), new Message.AuthChallenge(m.txid(), 0, loginId, scram.serverFirstMessage()),
          reply);
    });
  }

  private void onAuthFinish(Message.AuthFinish m, InetSocketAddress source, int len) {
    PendingLogin pl = pendingLogins.remove(m.loginId());
    if (pl == null) {
      // Expired (a slow, lossy path) or never issued: nothing about credentials, so say so, and the client starts
      // its sign-in again rather than taking it for a wrong password.
      answerError(source, m.txid(), 0, source, ErrorCode.LOGIN_EXPIRED, ErrorCode.LOGIN_EXPIRED.defaultText(), len);
      return;
    }
    if (!pl.source().getAddress().equals(source.getAddress())) {
      stats.authFailures++;
      addressThrottle.failed(addressKey(source), clock.nanoTime());
      answerError(source, m.txid(), 0, source, ErrorCode.AUTH_FAILED, ErrorCode.AUTH_FAILED.defaultText(), len);
      return;
    }
    String serverFinal;
    try {
      serverFinal = pl.scram().serverFinal(m.clientFinal());
    } catch (ScramException e) {
      stats.authFailures++;
      signInFailed(pl.scram().username(), source);
      log.info("sign-in failed for '{}' from {}", pl.scram().username(), source.getAddress().getHostAddress());
      answerError(source, m.txid(), 0, pl.replyAddress(), ErrorCode.AUTH_FAILED,
          ErrorCode.AUTH_FAILED.defaultText(), len);
      return;
    }
    User user = pl.user().orElseThrow(); // SCRAM cannot succeed for an unknown user
    if (user.allowedCidr() != null && !Cidr.parse(user.allowedCidr()).contains(source.getAddress())) {
      stats.authFailures++;
      signInFailed(user.name(), source);
      log.warn("sign-in of {} refused: {} is outside its allowed range {}", user.name(),
          source.getAddress().getHostAddress(), user.allowedCidr());
      answerError(source, m.txid(), 0, pl.replyAddress(), ErrorCode.AUTH_FAILED,
          ErrorCode.AUTH_FAILED.defaultText(), len);
      return;
    }
    Session old = sessionsByUser.get(user.name());
    if (old == null && sessions.size() >= config.maxSessions()) {
      answerError(source, m.txid(), 0, pl.replyAddress(), ErrorCode.SERVER_FULL, "server is full", len);
      return;
    }
    if (old == null && sessionsPerAddress.getOrDefault(source.getAddress(), 0) >= config.maxSessionsPerAddress()) {
      answerError(source, m.txid(), 0, pl.replyAddress(), ErrorCode.SERVER_FULL,
          "too many sessions from your address", len);
      return;
    }
    MediaRelay.Port media = relay.open(user.name(), source.getAddress(), pl.mediaReply());
    if (media == null) {
      answerError(source, m.txid(), 0, pl.replyAddress(), ErrorCode.SERVER_FULL, "no free media port", len);
      return;
    }
    if (old != null) {
      log.info("{} signed in again from {}: replacing the old session", user.name(), source);
      replacedTokens.put(old.token, clock.nanoTime() + REPLACED_TOKEN_MEMORY_NANOS);
      endSession(old, "replaced by a new sign-in");
    }
    throttle.succeeded(userKey(user.name()));
    long token = ids.next();
    Session s = new Session(token, user.name(), pl.replyAddress(), source, pl.mediaReply() != null
        || !pl.replyAddress().equals(source), media, pl.presenceParts(), clock.nanoTime());
    sessions.put(token, s);
    sessionsByUser.put(s.user, s);
    countAddress(source.getAddress(), +1);
    stats.logins++;
    cacheAndSend(source, m.txid(), new Message.AuthOk(m.txid(), token, serverFinal, media.port(),
        (int) config.keepaliveInterval().toSeconds(), (int) config.sessionTimeout().toSeconds()), s.replyAddress);
    log.info("{} signed in from {}, media port {}", s.user, source, media.port());
    users.seen(s.user, source.getAddress().getHostAddress());
    setPresence(s.user, PresenceState.ONLINE);
    sendSnapshot(s);
  }

  private static String userKey(String name) {
    return "u:" + name;
  }

  private static String addressKey(InetSocketAddress a) {
    return "a:" + a.getAddress().getHostAddress();
  }

  private void signInFailed(String user, InetSocketAddress source) {
    long now = clock.nanoTime();
    boolean lockedUser = throttle.failed(userKey(user), now);
    boolean lockedAddress = addressThrottle.failed(addressKey(source), now);
    if (lockedUser || lockedAddress) {
      stats.lockouts++;
      log.warn("too many failed sign-ins ({}{}{}): locked out for {}", lockedUser ? "user '" + user + "'" : "",
          lockedUser && lockedAddress ? ", " : "", lockedAddress ? source.getAddress().getHostAddress() : "",
          config.abuse().lockoutDuration().toSeconds() + " s");
    }
  }

  private void countAddress(java.net.InetAddress a, int delta) {
    sessionsPerAddress.merge(a, delta, (x, y) -> x + y == 0 ? null : x + y);
  }

  // ------------------------------------------------------------------ calls

  private void onCall(Session s, Message.Call m) {
    if (s.call != null) {
      answer(s, m, error(m, s, ErrorCode.INVALID_STATE, "already in a call"));
      return;
    }
    if (m.callee().equals(s.user)) {
      answer(s, m, error(m, s, ErrorCode.SELF_CALL, ErrorCode.SELF_CALL.defaultText()));
      return;
    }
    Session target = sessionsByUser.get(m.callee());
    if (target != null) {
      route(s, target, m);
      return;
    }
    // Not signed in: tell "offline" from "no such user", which needs the database.
    answers.put(s.token, m.txid(), AnswerCache.IN_PROGRESS, clock.nanoTime());
    users.find(m.callee(), (user, failure) -> {
      answers.remove(s.token, m.txid());
      if (s.closed) {
        return;
      }
      Session now = sessionsByUser.get(m.callee());
      if (failure == null && now != null && s.call == null) {
        route(s, now, m); // signed in meanwhile
      } else if (failure != null) {
        answer(s, m, error(m, s, ErrorCode.INTERNAL, "user database unavailable"));
      } else if (user.isEmpty()) {
        answer(s, m, error(m, s, ErrorCode.UNKNOWN_USER, "no user named '" + m.callee() + "'"));
      } else {
        answer(s, m, error(m, s, ErrorCode.USER_OFFLINE, m.callee() + " is offline"));
      }
    });
  }

  private void route(Session caller, Session callee, Message.Call m) {
    if (callee.call != null) {
      stats.count(EndReason.BUSY);
      answer(caller, m, error(m, caller, ErrorCode.BUSY, callee.user + " is in a call"));
      return;
    }
    long now = clock.nanoTime();
    Call c = new Call(ids.next(), caller, callee, m.codecs(), now, clock.currentTimeMillis(),
        now + config.noAnswerTimeout().toNanos());
    calls.put(c.id, c);
    caller.call = c;
    callee.call = c;
    stats.callAttempts++;
    answer(caller, m, new Message.CallProceeding(m.txid(), caller.token, c.id));
    log.info("call {}: {} calls {}", c.idHex(), caller.user, callee.user);
    notify(callee, new Message.Incoming(ids.next(), callee.token, c.id, caller.user, m.codecs(), m.keyCommit()));
  }

  private void onAccept(Session s, Message.Accept m) {
    Call c = callFor(s, m.callId());
    if (c == null || s != c.callee) {
      answer(s, m, error(m, s, ErrorCode.NO_SUCH_CALL, "no such call"));
      return;
    }
    if (c.state() != Call.State.RINGING) {
      answer(s, m, error(m, s, ErrorCode.INVALID_STATE, "call already answered"));
      return;
    }
    if (!c.offer.isEmpty() && !c.offer.contains(m.codec())) {
      answer(s, m, error(m, s, ErrorCode.UNSUPPORTED_CODEC, "codec '" + m.codec() + "' was not offered"));
      return;
    }
    c.codec = m.codec();
    c.setState(Call.State.ACTIVE);
    c.answeredNanos = clock.nanoTime();
    c.answeredMillis = clock.currentTimeMillis();
    answer(s, m, new Message.Ok(m.txid(), s.token));
    relay.connect(c.caller.media, c.callee.media);
    stats.setupNanos.add(c.answeredNanos - c.createdNanos);
    log.info("call {}: {} and {} connected ({})", c.idHex(), c.caller.user, c.callee.user, c.codec);
    for (Session party : List.of(c.caller, c.callee)) {
      // The callee's key share goes to the caller as it came; the callee gets the caller's key from CALL_KEY.
      notify(party, new Message.CallStarted(ids.next(), party.token, c.id, c.other(party).user, c.codec,
          party.media.port(), party == c.caller, party == c.caller ? m.keyShare() : Octets.EMPTY,
          party.media.mediaId()));
      setPresence(party.user, PresenceState.IN_CALL);
    }
  }

  /**
   * The caller reveals its key-agreement public key: forwarded once to the callee, untouched. The server only
   * carries public values; the clients check the key against the caller's commitment and derive the media keys.
   */
  private void onCallKey(Session s, Message.CallKey m) {
    Call c = callFor(s, m.callId());
    if (c == null || s != c.caller) {
      answer(s, m, error(m, s, ErrorCode.NO_SUCH_CALL, "no such call"));
      return;
    }
    if (c.state() != Call.State.ACTIVE) {
      answer(s, m, error(m, s, ErrorCode.INVALID_STATE, "the call has not started"));
      return;
    }
    if (c.callerKeySent) {
      answer(s, m, error(m, s, ErrorCode.INVALID_STATE, "the key was already sent"));
      return;
    }
    c.callerKeySent = true;
    answer(s, m, new Message.Ok(m.txid(), s.token));
    notify(c.callee, new Message.PeerKey(ids.next(), c.callee.token, c.id, m.publicKey()));
  }

  private void onRefuse(Session s, long callId, Message m) {
    Call c = callFor(s, callId);
    if (c == null || s != c.callee) {
      answer(s, m, error(m, s, ErrorCode.NO_SUCH_CALL, "no such call"));
    } else if (c.state() != Call.State.RINGING) {
      answer(s, m, error(m, s, ErrorCode.INVALID_STATE, "call already answered: hang up instead"));
    } else {
      answer(s, m, new Message.Ok(m.txid(), s.token));
      endCall(c, EndReason.REFUSED, s);
    }
  }

  private void onCancel(Session s, long callId, Message m) {
    Call c = callFor(s, callId);
    if (c == null || s != c.caller) {
      answer(s, m, error(m, s, ErrorCode.NO_SUCH_CALL, "no such call"));
    } else if (c.state() != Call.State.RINGING) {
      answer(s, m, error(m, s, ErrorCode.INVALID_STATE, "call already answered: hang up instead"));
    } else {
      answer(s, m, new Message.Ok(m.txid(), s.token));
      endCall(c, EndReason.CANCELLED, s);
    }
  }

  private void onHangup(Session s, long callId, Message m) {
    Call c = callFor(s, callId);
    if (c == null) {
      answer(s, m, error(m, s, ErrorCode.NO_SUCH_CALL, "no such call"));
      return;
    }
    answer(s, m, new Message.Ok(m.txid(), s.token));
    if (c.state() == Call.State.RINGING) {
      endCall(c, s == c.caller ? EndReason.CANCELLED : EndReason.REFUSED, s);
    } else {
      endCall(c, EndReason.REMOTE_HANGUP, s);
    }
  }

  /** The session's current call if it has that id. */
  private Call callFor(Session s, long callId) {
    Call c = calls.get(callId);
    return c != null && (c.caller == s || c.callee == s) ? c : null;
  }

  /**
   * Ends a call once: tells every party but {@code initiator} why, frees the relay, restores
   * presence, writes history.
   */
  private void endCall(Call c, EndReason reason, Session initiator) {
    boolean wasActive = c.state() == Call.State.ACTIVE;
    c.setState(Call.State.ENDED);
    c.endReason = reason;
    calls.remove(c.id);
    stats.count(reason);
    if (wasActive) {
      relay.disconnect(c.caller.media);
    }
    for (Session party : List.of(c.caller, c.callee)) {
      if (party.call == c) {
        party.call = null;
      }
      if (party != initiator && !party.closed) {
        notify(party, new Message.CallEnded(ids.next(), party.token, c.id, reason));
      }
      if (wasActive && !party.closed) {
        setPresence(party.user, PresenceState.ONLINE);
      }
    }
    long now = clock.nanoTime();
    long endedMillis = clock.currentTimeMillis();
    long durationMillis = wasActive ? (now - c.answeredNanos) / 1_000_000 : 0;
    log.info("call {}: {} -> {} ended: {}{}", c.idHex(), c.caller.user, c.callee.user, reason.jsonName(),
        wasActive ? " after " + durationMillis + " ms" : "");
    CallRecord record = new CallRecord(0, c.caller.user, c.callee.user, c.createdMillis,
        wasActive ? c.answeredMillis : null, endedMillis, reason.jsonName(), durationMillis, null, null, null, null);
    if (wasActive) {
      // Written once both parties said how it sounded, or after a short wait.
      pendingHistory.put(c.id, new PendingHistory(record, now + QUALITY_WAIT_NANOS));
    } else {
      users.recordCall(record);
    }
  }

  private void onCallQuality(Session s, Message.CallQuality q) {
    PendingHistory p = pendingHistory.get(q.callId());
    boolean caller = p != null && p.record.caller().equals(s.user);
    boolean callee = p != null && p.record.callee().equals(s.user);
    if (!caller && !callee) {
      answer(s, q, error(q, s, ErrorCode.NO_SUCH_CALL, "no recently ended call with that id"));
      return;
    }
    answer(s, q, new Message.Ok(q.txid(), s.token));
    stats.quality(q);
    if (caller) {
      p.fromCaller = q;
    } else {
      p.fromCallee = q;
    }
    if (p.fromCaller != null && p.fromCallee != null) {
      pendingHistory.remove(q.callId());
      writeHistory(p);
    }
  }

  /** The call's history row with the worse of the two parties' figures. */
  private void writeHistory(PendingHistory p) {
    CallRecord r = p.record;
    users.recordCall(new CallRecord(0, r.caller(), r.callee(), r.startedAtMillis(), r.answeredAtMillis(),
        r.endedAtMillis(), r.outcome(), r.durationMillis(),
        worst(p, Message.CallQuality::lossPermille, 10, true),
        worst(p, Message.CallQuality::jitterTenthsMs, 10, true),
        worst(p, Message.CallQuality::rttTenthsMs, 10, true),
        worst(p, Message.CallQuality::mosHundredths, 100, false)));
  }

  private static Double worst(PendingHistory p, java.util.function.ToIntFunction<Message.CallQuality> f, double scale,
      boolean higherIsWorse) {
    Double a = p.fromCaller == null ? null : Message.CallQuality.value(f.applyAsInt(p.fromCaller), scale);
    Double b = p.fromCallee == null ? null : Message.CallQuality.value(f.applyAsInt(p.fromCallee), scale);
    if (a == null || b == null) {
      return a == null ? b : a;
    }
    return higherIsWorse ? Math.max(a, b) : Math.min(a, b);
  }

  // ------------------------------------------------------------------ sessions and presence

  private void endSession(Session s, String why) {
    if (s.closed) {
      return;
    }
    s.closed = true;
    sessions.remove(s.token);
    if (sessionsByUser.get(s.user) == s) {
      sessionsByUser.remove(s.user);
      setPresence(s.user, PresenceState.OFFLINE);
    }
    countAddress(s.replyAddress.getAddress(), -1);
    if (s.call != null) {
      endCall(s.call, EndReason.PEER_LOST, s);
    }
    outbound.removeOwnedBy(s.token);
    relay.close(s.media);
    log.debug("session of {} closed: {}", s.user, why);
  }

  private void setPresence(String user, PresenceState state) {
    presence.changed(user, state);
  }

  /**
   * Sends the presence batch to every session if one is due ({@link PresenceCoalescer}). Each part is encoded
   * once; each session's copy differs only in transaction id and session token, patched into the header.
   */
  private void flushPresence(long now) {
    List<PresenceEntry> entries = presence.poll(now);
    if (entries == null) {
      return;
    }
    long seq = presence.seq();
    // Split and encoded once per way of splitting in use (packed, and basic for clients that did not announce it).
    Map<PresenceParts, Batch> batches = new java.util.IdentityHashMap<>(2);
    for (Session s : sessions.values()) {
      Batch b = batches.computeIfAbsent(s.presenceParts, how -> Batch.of(how, seq, entries));
      for (int i = 0; i < b.parts().size(); i++) {
        long txid = ids.next();
        notifyEncoded(s, txid, MessageCodec.readdressed(b.encoded().get(i), txid, s.token), b.parts().get(i));
      }
    }
  }

  /** One presence batch split one way: its parts in order, the last one flagged, and each part encoded. */
  private record Batch(List<Message.Presence> parts, List<byte[]> encoded) {
    static Batch of(PresenceParts how, long seq, List<PresenceEntry> entries) {
      List<List<PresenceEntry>> split = how.split(entries);
      List<Message.Presence> parts = new ArrayList<>(split.size());
      List<byte[]> encoded = new ArrayList<>(split.size());
      for (int i = 0; i < split.size(); i++) {
        Message.Presence part = new Message.Presence(0, 0, seq, false, i == split.size() - 1,
            List.copyOf(split.get(i)));
        parts.add(part);
        encoded.add(MessageCodec.encode(part));
      }
      return new Batch(parts, encoded);
    }
  }

  private void sendSnapshot(Session s) {
    users.names((names, failure) -> {
      if (s.closed) {
        return;
      }
      if (failure != null) {
        log.error("user database failed listing users: {}", failure.getMessage());
      }
      Map<String, PresenceState> pending = presence.pendingForSnapshot(); // the snapshot already shows them
      List<String> sorted = failure != null ? List.of() : sortedNames(names);
      List<PresenceEntry> entries = snapshotEntries(sorted, pending);
      if (entries == null) { // someone signed in is not in the list (removed meanwhile): the general way
        TreeMap<String, PresenceState> all = new TreeMap<>();
        sorted.forEach(n -> all.put(n, PresenceState.OFFLINE));
        for (Session other : sessionsByUser.values()) {
          all.put(other.user, stateOf(other));
        }
        all.putAll(pending);
        entries = new ArrayList<>(all.size());
        for (Map.Entry<String, PresenceState> e : all.entrySet()) {
          entries.add(new PresenceEntry(e.getKey(), e.getValue()));
        }
      }
      sendPresence(s, presence.seq(), true, entries);
    });
  }

  private static PresenceState stateOf(Session s) {
    return s.call != null && s.call.state() == Call.State.ACTIVE ? PresenceState.IN_CALL : PresenceState.ONLINE;
  }

  /** The database's names in {@link String#compareTo} order (SQLite's BINARY order is the same but for rare cases). */
  private static List<String> sortedNames(List<String> names) {
    for (int i = 1; i < names.size(); i++) {
      if (names.get(i - 1).compareTo(names.get(i)) >= 0) {
        return new ArrayList<>(new java.util.TreeSet<>(names));
      }
    }
    return names;
  }

  /**
   * Every user's state in name order, walking the sorted list once (a TreeMap of every user per sign-in was 28 %
   * of the signalling thread); null if a signed-in or pending user is missing from the list.
   */
  private List<PresenceEntry> snapshotEntries(List<String> sorted, Map<String, PresenceState> pending) {
    List<PresenceEntry> entries = new ArrayList<>(sorted.size());
    int online = 0;
    for (String name : sorted) {
      PresenceState st = pending.get(name);
      Session other = sessionsByUser.get(name);
      if (other != null) {
        online++;
      }
      if (st == null) {
        st = other != null ? stateOf(other) : PresenceState.OFFLINE;
      }
      entries.add(new PresenceEntry(name, st));
    }
    if (online != sessionsByUser.size()) {
      return null;
    }
    for (String u : pending.keySet()) {
      if (java.util.Collections.binarySearch(sorted, u) < 0) {
        return null;
      }
    }
    return entries;
  }

  private void sendPresence(Session s, long seq, boolean snapshot, List<PresenceEntry> entries) {
    List<List<PresenceEntry>> split = s.presenceParts.split(entries);
    for (int i = 0; i < split.size(); i++) {
      notify(s, new Message.Presence(ids.next(), s.token, seq, snapshot, i == split.size() - 1, split.get(i)));
    }
  }

  // ------------------------------------------------------------------ timers

  /** Retransmits, expires sessions, logins and unanswered calls, flushes presence. Call every few tens of ms. */
  public void tick() {
    long now = clock.nanoTime();
    // Before give-ups: a callee that never acknowledged INCOMING still makes the call end as no-answer.
    for (Call c : List.copyOf(calls.values())) {
      if (c.state() == Call.State.RINGING && now - c.noAnswerDeadlineNanos >= 0) {
        endCall(c, EndReason.NO_ANSWER, null);
      }
    }
    outbound.poll(now, new TransactionTable.Sink<>() {
      @Override
      public void resend(TransactionTable.Pending<Notice> p) {
        stats.retransmissions++;
        net.send(p.datagram(), (InetSocketAddress) p.destination());
      }

      @Override
      public void giveUp(TransactionTable.Pending<Notice> p) {
        Notice n = p.attachment();
        Session s = sessions.get(n.sessionToken());
        if (s != null
            && RoundOver.decide(n.round(), NOTIFICATION_ROUNDS, n.firstSentNanos(), s.lastHeardNanos, false, 0)
                == RoundOver.NEXT_ROUND
            && outbound.start(p.txid(), p.datagram(), s.replyAddress,
                n.nextRound(), now)) {
          // Heard from since we sent it: the client is there and this notice was unlucky. Same txid, same bytes,
          // so a late answer to an earlier send still completes it and the client's duplicate cache still holds.
          stats.notificationRounds++;
          net.send(p.datagram(), s.replyAddress);
          return;
        }
        if (s != null) {
          stats.unreachableSessions++;
          log.info("{} stopped answering ({} unacknowledged): session closed", s.user, p.attachment().type());
          endSession(s, "unreachable");
        }
      }
    });
    long timeout = config.sessionTimeout().toNanos();
    for (Session s : List.copyOf(sessions.values())) {
      if (now - s.lastHeardNanos >= timeout && !s.closed) {
        log.info("{} silent for {} s: session expired", s.user, config.sessionTimeout().toSeconds());
        stats.expiredSessions++;
        endSession(s, "expired");
      }
    }
    for (Iterator<PendingLogin> it = pendingLogins.values().iterator(); it.hasNext(); ) {
      if (now - it.next().expiresNanos() >= 0) {
        it.remove();
      } else {
        break; // insertion order is expiry order
      }
    }
    for (Iterator<Long> it = replacedTokens.values().iterator(); it.hasNext(); ) {
      if (now - it.next() >= 0) {
        it.remove();
      } else {
        break;
      }
    }
    for (Iterator<PendingHistory> it = pendingHistory.values().iterator(); it.hasNext(); ) {
      PendingHistory p = it.next();
      if (now - p.dueNanos < 0) {
        break; // insertion order is due order
      }
      it.remove();
      writeHistory(p);
    }
    if (now - nextThrottleExpiryNanos >= 0) {
      throttle.expire(now);
      addressThrottle.expire(now);
      nextThrottleExpiryNanos = now + 10_000_000_000L;
    }
    flushPresence(now);
  }

  /** Ends every call (telling both parties once) and closes every session: the server is stopping. */
  public void shutdown() {
    for (Call c : List.copyOf(calls.values())) {
      endCall(c, EndReason.SHUTDOWN, null);
    }
    for (Session s : List.copyOf(sessions.values())) {
      s.closed = true;
      relay.close(s.media);
    }
    pendingHistory.values().forEach(this::writeHistory); // nothing half-written: what we know, now
    pendingHistory.clear();
    sessions.clear();
    sessionsByUser.clear();
  }

  // ------------------------------------------------------------------ answers and notifications

  private void onAnswer(byte[] buf, int len, MessageCodec.Header h) {
    Message m;
    try {
      m = MessageCodec.decode(buf, 0, len);
    } catch (ProtocolException e) {
      stats.malformed++;
      return;
    }
    TransactionTable.Pending<Notice> p = outbound.get(m.txid());
    if (p == null || p.attachment().sessionToken() != m.session()) {
      return; // late duplicate, or not from the session it was sent to
    }
    outbound.complete(m.txid());
    Session s = sessions.get(m.session());
    if (s == null) {
      return;
    }
    s.lastHeardNanos = clock.nanoTime();
    if (p.attachment().type() == MessageType.INCOMING) {
      Call c = calls.get(p.attachment().incomingCallId());
      if (c == null || c.state() != Call.State.RINGING) {
        return;
      }
      if (m instanceof Message.Error err) {
        endCall(c, err.code() == ErrorCode.BUSY ? EndReason.BUSY : EndReason.FAILED, c.callee);
      } else if (!c.ringingSent) {
        c.ringingSent = true;
        notify(c.caller, new Message.Ringing(ids.next(), c.caller.token, c.id));
      }
    }
  }

  private void notify(Session s, Message m) {
    notifyEncoded(s, m.txid(), MessageCodec.encode(m), m);
  }

  /** Sends a notification already encoded as {@code bytes} (transaction {@code txid}), {@code m} for the record. */
  private void notifyEncoded(Session s, long txid, byte[] bytes, Message m) {
    long now = clock.nanoTime();
    if (outbound.start(txid, bytes, s.replyAddress, Notice.of(s.token, m, now), now)) {
      net.send(bytes, s.replyAddress);
    } else {
      log.warn("too many notifications in flight: {} to {} dropped", m.type(), s.user);
    }
  }

  private Message error(Message request, Session s, ErrorCode code, String text) {
    return new Message.Error(request.txid(), s.token, code, text);
  }

  private void answer(Session s, Message request, Message answer) {
    cacheAndSend(s.token, request.txid(), answer, s.replyAddress);
  }

  private void cacheAndSend(Object key, long txid, Message answer, InetSocketAddress to) {
    byte[] bytes = MessageCodec.encode(answer);
    answers.put(key, txid, bytes, clock.nanoTime());
    net.send(bytes, to);
  }

  /**
   * Answers with an error. An unauthenticated request never gets an answer larger than itself (no
   * amplification): the text is shortened, and if even the bare error does not fit, nothing is sent.
   */
  private void answerError(Object key, long txid, long session, InetSocketAddress to, ErrorCode code, String text,
      int requestLen) {
    Message err = new Message.Error(txid, session, code, text);
    byte[] bytes = MessageCodec.encode(err);
    if (!sessions.containsKey(session) && bytes.length > requestLen) {
      int room = requestLen - (bytes.length - text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
      if (room < 0) {
        stats.silentlyDropped++;
        return;
      }
      bytes = MessageCodec.encode(new Message.Error(txid, session, code, shorten(text, room)));
    }
    answers.put(key, txid, bytes, clock.nanoTime());
    net.send(bytes, to);
  }

  /** The text if it fits, else nothing: clients show the code's own text then, never a fragment. */
  private static String shorten(String text, int maxBytes) {
    return text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= maxBytes ? text : "";
  }

  // ------------------------------------------------------------------ introspection for tests and metrics

  /** A consistent copy of the figures metrics report; take it on the signalling thread. */
  public ServerStats.Snapshot snapshot() {
    return stats.snapshot(sessions.size(), calls.size(), pendingLogins.size(), outbound.size());
  }

  public int sessionCount() {
    return sessions.size();
  }

  public int callCount() {
    return calls.size();
  }

  public int pendingLoginCount() {
    return pendingLogins.size();
  }

  public int outboundCount() {
    return outbound.size();
  }

  /** The session token of a signed-in user, or 0: for tests that play a misbehaving client. */
  public long sessionTokenOf(String user) {
    Session s = sessionsByUser.get(user);
    return s == null ? 0 : s.token;
  }

  /** The server's media port of a signed-in user, or -1. */
  public int mediaPortOf(String user) {
    Session s = sessionsByUser.get(user);
    return s == null ? -1 : s.media.port();
  }
}
