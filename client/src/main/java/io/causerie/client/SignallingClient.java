package io.causerie.client;

import io.causerie.media.codec.Codecs;
import io.causerie.media.crypto.CallCryptoException;
import io.causerie.media.crypto.CallKeyAgreement;
import io.causerie.media.crypto.CallKeys;
import io.causerie.protocol.ClientFeatures;
import io.causerie.protocol.EndReason;
import io.causerie.protocol.ErrorCode;
import io.causerie.protocol.Message;
import io.causerie.protocol.MessageCodec;
import io.causerie.protocol.Octets;
import io.causerie.protocol.PresenceEntry;
import io.causerie.protocol.PresenceState;
import io.causerie.protocol.ProtocolException;
import io.causerie.protocol.scram.ScramClient;
import io.causerie.protocol.scram.ScramException;
import io.causerie.transport.AnswerCache;
import io.causerie.transport.EventLoop;
import io.causerie.transport.RetransmitPolicy;
import io.causerie.transport.RoundOver;
import io.causerie.transport.TransactionIds;
import io.causerie.transport.TransactionTable;
import io.causerie.transport.UdpEndpoint;
import io.causerie.transport.dtls.DtlsClientLayer;
import io.causerie.transport.dtls.DtlsConfig;
import io.causerie.transport.dtls.FingerprintMismatchException;
import io.causerie.transport.dtls.ServerFingerprintPolicy;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of the signalling protocol: signs in with SCRAM, keeps the session alive (and signs
 * in again by itself when it is lost), tracks presence, and places, answers and ends calls.
 *
 * <p>Public methods may be called from any thread; everything runs on the client's event loop, and
 * {@link ClientListener} is called there.
 */
public final class SignallingClient implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SignallingClient.class);

  /** Tick of the client's timers (retransmissions). */
  static final long TICK_MILLIS = 50;
  /** First wait before signing in again after a failed attempt; doubled up to {@link #MAX_RELOGIN_BACKOFF_MILLIS}. */
  static final long RELOGIN_BACKOFF_MILLIS = 500;
  static final long MAX_RELOGIN_BACKOFF_MILLIS = 5_000;
  /** How long the callee waits for the caller's key (PEER_KEY) after CALL_STARTED before giving the call up. */
  public static final long KEY_WAIT_MILLIS = 10_000;
  /**
   * With requests outstanding and nothing heard from the server for this long (on a clean path; longer on a lossy
   * one, see {@link PathLoss}), the client handshakes DTLS again:
   * its address may have changed (NAT rebinding) or the server restarted, and either way the old association is
   * useless. Long enough that a healthy association on a lossy path rarely looks dead (at 20 % loss each way, the
   * four sends of a request within 4 s all go unanswered 1.7 % of the time); re-handshakes are spaced by {@link
   * #REHANDSHAKE_MIN_INTERVAL_MILLIS}, doubling to {@link #REHANDSHAKE_MAX_INTERVAL_MILLIS} while the server stays
   * silent, with a random fifth of jitter so that the clients of a restarted server do not all come back at once.
   */
  public static final long REHANDSHAKE_AFTER_SILENCE_MILLIS = 4_000;
  public static final long REHANDSHAKE_MIN_INTERVAL_MILLIS = 5_000;
  public static final long REHANDSHAKE_MAX_INTERVAL_MILLIS = 60_000;
  /** Keepalive interval during a call, at most (see {@link #scheduleKeepalive}). */
  public static final int IN_CALL_KEEPALIVE_SECONDS = 5;

  /** Connection states. */
  public enum State {
    NEW,
    SIGNING_IN,
    READY,
    RECONNECTING,
    CLOSED
  }

  private enum CallPhase {
    CALLING,
    RINGING_OUT,
    RINGING_IN,
    ANSWERING,
    ACTIVE
  }

  /** The call in progress, client side. Loop thread only. */
  private static final class ClientCall {
    long callId;
    final String peer;
    final boolean outgoing;
    CallPhase phase;
    String codec;
    int mediaPort;
    /** The SSRC to send media with when the server relays on a single port (CALL_STARTED), else 0. */
    int mediaId;
    java.util.List<String> offer = java.util.List.of();
    boolean cancelWhenKnown;
    /** This side of the end-to-end key agreement; {@link #keys} once agreed. */
    CallKeyAgreement agreement;
    CallKeys keys;
    /** The caller's key, when PEER_KEY overtook CALL_STARTED. */
    byte[] earlyPeerKey;
    /** Why the caller's commitment was unusable, if it was. */
    String badCommitment;

    ClientCall(long callId, String peer, boolean outgoing, CallPhase phase) {
      this.callId = callId;
      this.peer = peer;
      this.outgoing = outgoing;
      this.phase = phase;
    }

    CallInfo info() {
      return new CallInfo(callId, peer, outgoing, codec == null ? null : Codecs.baseName(codec),
          mediaPort, keys == null ? null : keys.sas(), keys, mediaId, Codecs.hasRedundancy(codec));
    }
  }

  /**
   * Rounds of {@link RetransmitPolicy#giveUpMillis} a request gets in all while the server seems to be there
   * ({@link RoundOver}); the server's duplicate cache outlives them
   * ({@link RetransmitPolicy#DEFAULT_MAX_LIFETIME_MILLIS}).
   */
  public static final int REQUEST_ROUNDS = RetransmitPolicy.DEFAULT_ROUNDS;

  /** What to do with the answer to one of our requests, and which of its rounds of resends it is in. */
  private record Request(Consumer<Message> onAnswer, Runnable onGiveUp, long roundStartNanos, int round) {
    Request nextRound(long nowNanos) {
      return new Request(onAnswer, onGiveUp, nowNanos, round + 1);
    }
  }

  private record Seen(PresenceState state, long seq) {}

  private final ClientConfig config;
  private final ClientListener listener;
  private final EventLoop loop;
  private final TransactionIds ids;
  private final SecureRandom random;
  private final UdpEndpoint signal;
  private final UdpEndpoint legacySend;
  private final AnswerCache handled = new AnswerCache();
  /** Null when signalling is plaintext. */
  private final DtlsClientLayer dtls;
  private boolean loginInProgress; // loop thread
  private long loginDeadlineNanos; // loop thread
  private long lastHeardNanos; // loop thread
  private long lastRehandshakeNanos; // loop thread
  private long rehandshakeIntervalMillis = REHANDSHAKE_MIN_INTERVAL_MILLIS; // loop thread
  /** Loss on the path to the server, from the sends each answered request took (loop thread). */
  private final PathLoss pathLoss = new PathLoss();
  /** The last tick with no request in flight: silence only counts while the client waits for an answer. */
  private long idleAtNanos; // loop thread
  private TransactionTable<Request> requests;
  /** Requests whose round ran out while a DTLS handshake was under way: its outcome decides (loop thread). */
  private final List<TransactionTable.Pending<Request>> awaitingAssociation = new ArrayList<>();
  /** Requests given another round, for tests and the logs (loop thread). */
  private volatile long requestRounds;
  private final Map<String, Seen> presence = new TreeMap<>();
  private final Map<Long, EndReason> endedBeforeKnown = new LinkedHashMap<>();
  private final CompletableFuture<Void> firstSignIn = new CompletableFuture<>();
  private final CompletableFuture<Void> firstSnapshot = new CompletableFuture<>();

  private volatile State state = State.NEW;
  private volatile boolean released;
  private long token;
  private int mediaPort;
  private int keepaliveSeconds = 15;
  private EventLoop.Timer keepaliveTimer;
  private long reloginBackoffMillis = RELOGIN_BACKOFF_MILLIS;
  private ClientCall call;
  private boolean everRegistered;

  public SignallingClient(ClientConfig config, ClientListener listener) throws IOException {
    this(config, listener, new EventLoop("causerie-client-" + config.user(), io.causerie.transport.Clock.SYSTEM),
        new SecureRandom());
  }

  SignallingClient(ClientConfig config, ClientListener listener, EventLoop loop, SecureRandom random)
      throws IOException {
    this.config = config;
    this.listener = listener;
    this.loop = loop;
    this.random = random;
    this.ids = new TransactionIds(random);
    this.requests = new TransactionTable<>(config.retransmit());
    loop.start();
    InetSocketAddress any = new InetSocketAddress(config.server().getAddress().isLoopbackAddress()
        ? config.server().getAddress() : null, 0);
    try {
      if (config.legacyPorts()) {
        this.signal = loop.bind(withPort(any, ClientConfig.LEGACY_SIGNALLING_PORT), this::onDatagram);
        this.legacySend = loop.bind(withPort(any, ClientConfig.LEGACY_SEND_PORT), this::onDatagram);
      } else {
        this.signal = loop.bind(withPort(any, config.localPort()), this::onDatagram);
        this.legacySend = null;
      }
    } catch (IOException e) {
      loop.close();
      throw e;
    }
    this.dtls = config.plaintextSignalling() ? null : new DtlsClientLayer(
        DtlsConfig.defaults().withHandshakeTimeout(config.connectTimeout()),
        (data, off, len, to) -> sendSocket().send(java.nio.ByteBuffer.wrap(data, off, len), to),
        (buf, len, src) -> onMessage(buf, len), fingerprintPolicy(config), loop, new DtlsClientLayer.Listener() {
          @Override
          public void onEstablished() {
            onDtlsEstablished();
          }

          @Override
          public void onFailed(Exception e) {
            onDtlsFailed(e);
          }
        });
  }

  /** {@code --server-fingerprint} if given, else trust on first use (in a file, or for this run only). */
  static ServerFingerprintPolicy fingerprintPolicy(ClientConfig config) {
    if (config.serverFingerprint() != null) {
      return ServerFingerprintPolicy.pinned(config.serverFingerprint());
    }
    if (config.knownServers() != null) {
      return ServerFingerprintPolicy.knownServers(config.knownServers());
    }
    Map<String, String> seen = new java.util.concurrent.ConcurrentHashMap<>();
    return (server, presented) -> {
      String first = seen.putIfAbsent(server.toString(), presented);
      if (first != null && !first.equals(presented)) {
        throw new FingerprintMismatchException(server, presented, first, "this client's memory",
            "restart the client");
      }
    };
  }

  private UdpEndpoint sendSocket() {
    return legacySend != null ? legacySend : signal;
  }

  /** Whether signalling runs over DTLS (false only with {@link ClientConfig#plaintextSignalling()}). */
  public boolean encrypted() {
    return dtls != null;
  }

  private static InetSocketAddress withPort(InetSocketAddress a, int port) {
    return a.getAddress() == null ? new InetSocketAddress(port) : new InetSocketAddress(a.getAddress(), port);
  }

  /** Signs in; the future completes when signed in, or fails with {@link SignInException}. */
  public CompletableFuture<Void> connect() {
    loop.execute(() -> {
      if (state == State.NEW) {
        state = State.SIGNING_IN;
        lastHeardNanos = loop.clock().nanoTime();
        if (dtls != null) {
          dtls.connect(config.server()); // sign-in starts once the channel is up
        } else {
          startLogin(config.connectTimeout().toMillis());
        }
        loop.schedule(TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS), this::tick);
      }
    });
    return firstSignIn;
  }

  public State state() {
    return state;
  }

  public String user() {
    return config.user();
  }

  public InetSocketAddress server() {
    return config.server();
  }

  /** The server's media port for this client (valid once signed in). */
  public int mediaPort() {
    return mediaPort;
  }

  /** The local signalling address. */
  public InetSocketAddress localAddress() {
    return signal.localAddress();
  }

  /** The socket that sends in the legacy layout (port 5000), or null in the default layout. */
  public UdpEndpoint legacySendEndpoint() {
    return legacySend;
  }

  // ------------------------------------------------------------------ user actions

  public void call(String callee) {
    loop.execute(() -> doCall(callee));
  }

  /** Accepts the ringing incoming call. */
  public void answer() {
    loop.execute(this::doAnswer);
  }

  /** Refuses the ringing incoming call. */
  public void refuse() {
    loop.execute(this::doRefuse);
  }

  /** Hangs up, cancels or refuses, whatever the current call needs. */
  public void hangup() {
    loop.execute(this::doHangup);
  }

  /**
   * Tells the server how a finished call sounded here, for its history and metrics (best effort).
   * NaN for a figure not known.
   */
  public void reportQuality(long callId, double lossPercent, double jitterMillis, double rttMillis, double mos) {
    loop.execute(() -> {
      if (state == State.READY && callId != 0) {
        request(Message.CallQuality.of(ids.next(), token, callId, lossPercent, jitterMillis, rttMillis, mos),
            a -> {}, () -> {});
      }
    });
  }

  /** Asks for a fresh presence list. */
  public void who() {
    loop.execute(() -> {
      if (state == State.READY) {
        request(new Message.Who(ids.next(), token), a -> {}, () -> {});
      }
    });
  }

  /** The last known presence of every user. */
  public CompletableFuture<Map<String, PresenceState>> presence() {
    CompletableFuture<Map<String, PresenceState>> f = new CompletableFuture<>();
    loop.execute(() -> f.complete(presenceMap()));
    return f;
  }

  private Map<String, PresenceState> presenceMap() {
    Map<String, PresenceState> all = new TreeMap<>();
    presence.forEach((u, s) -> all.put(u, s.state()));
    return all;
  }

  /** Signs out (waiting briefly for the server's answer) and releases everything. */
  @Override
  public void close() {
    if (released) {
      return;
    }
    released = true;
    CompletableFuture<Void> done = new CompletableFuture<>();
    loop.execute(() -> {
      if (state == State.READY) {
        if (call != null) {
          doHangup();
        }
        request(new Message.Logout(ids.next(), token), a -> done.complete(null), () -> done.complete(null));
      } else {
        done.complete(null);
      }
    });
    try {
      done.get(2, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.debug("sign-out not confirmed: {}", e.toString());
    }
    state = State.CLOSED;
    if (dtls != null) {
      loop.runAndWait(dtls::close);
    }
    loop.close();
  }

  /**
   * Stops at once without signing out, as a crashed or unplugged client would: the server notices only
   * when the session expires. For tests and fault drills.
   */
  public void abandon() {
    released = true;
    state = State.CLOSED;
    loop.close();
  }

  // ------------------------------------------------------------------ sign-in

  // ------------------------------------------------------------------ DTLS

  /** Loop thread. */
  private void onDtlsEstablished() {
    long now = loop.clock().nanoTime();
    lastHeardNanos = now;
    if ((state == State.SIGNING_IN || state == State.RECONNECTING) && !loginInProgress) {
      startLogin(config.connectTimeout().toMillis());
    }
    if (state == State.READY) {
      // A new association: what waits for an answer goes out now, not at its next resend (up to 4 s away), and
      // what ran out of time during the handshake gets another round.
      requests.forEach(p -> send(p.datagram()));
      takeAwaitingAssociation().forEach(p -> nextRound(p, now));
    }
  }

  /** Loop thread. */
  private void onDtlsFailed(Exception e) {
    if (state == State.CLOSED) {
      return;
    }
    if (e instanceof FingerprintMismatchException mismatch) {
      // Not the server we know: never send it a password or a call. Stop, and say why.
      log.error("{}", mismatch.getMessage());
      state = State.CLOSED;
      if (!everRegistered) {
        firstSignIn.completeExceptionally(new SignInException(null, mismatch.getMessage(), true));
      } else {
        listener.onError(null, mismatch.getMessage());
      }
      return;
    }
    if (!everRegistered) {
      state = State.CLOSED;
      firstSignIn.completeExceptionally(new SignInException(null, "no answer from " + config.server()
          + " (secure channel: " + e.getMessage() + ")"));
      return;
    }
    log.info("secure channel to {} failed ({}); trying again", config.server(), e.getMessage());
    // Requests that waited for this association give up now (the session is lost unless heard from meanwhile).
    takeAwaitingAssociation().forEach(p -> p.attachment().onGiveUp().run());
    loop.schedule(TimeUnit.MILLISECONDS.toNanos(reloginBackoffMillis), () -> {
      if (state != State.CLOSED) {
        lastRehandshakeNanos = loop.clock().nanoTime();
        dtls.reconnect();
      }
    });
  }

  private void startLogin(long giveUpMillis) {
    loginInProgress = true;
    loginDeadlineNanos = loop.clock().nanoTime() + TimeUnit.MILLISECONDS.toNanos(giveUpMillis);
    // Announces packed PRESENCE parts (docs/PROTOCOL.md §3.1); a server that does not know the extension ignores it.
    ScramClient scram = ScramClient.withRandomNonce(config.user(), config.password(), random,
        ClientFeatures.CURRENT.extension());
    boolean legacy = config.legacyPorts();
    Message start = new Message.AuthStart(ids.next(), 0, scram.clientFirstMessage(),
        legacy ? ClientConfig.LEGACY_SIGNALLING_PORT : 0, legacy ? ClientConfig.LEGACY_MEDIA_PORT : 0);
    RetransmitPolicy p = config.retransmit().withGiveUpMillis(giveUpMillis);
    request(start, p, answer -> {
      if (answer instanceof Message.AuthChallenge ch) {
        String clientFinal;
        try {
          clientFinal = scram.clientFinalMessage(ch.serverFirst());
        } catch (ScramException e) {
          loginFailed(ErrorCode.AUTH_FAILED, "server sent a bad SCRAM challenge: " + e.getMessage(), false);
          return;
        }
        request(new Message.AuthFinish(ids.next(), 0, ch.loginId(), clientFinal), p,
            fin -> onAuthFinished(scram, fin), () -> loginFailed(null, "no answer from " + config.server(), true));
      } else if (answer instanceof Message.Error err) {
        loginFailed(err.code(), err.text(), err.code() == ErrorCode.SERVER_FULL || err.code() == ErrorCode.INTERNAL);
      }
    }, () -> loginFailed(null, "no answer from " + config.server(), true));
  }

  private void onAuthFinished(ScramClient scram, Message answer) {
    if (answer instanceof Message.Error err && err.code() == ErrorCode.LOGIN_EXPIRED) {
      // The server gave up on this sign-in (a slow, lossy path): start it again in the time that is left.
      long left = TimeUnit.NANOSECONDS.toMillis(loginDeadlineNanos - loop.clock().nanoTime());
      if (left > 0) {
        log.info("sign-in expired at the server; starting it again ({} ms left)", left);
        startLogin(left);
      } else {
        loginFailed(null, "no answer from " + config.server() + " in time", true);
      }
      return;
    }
    if (answer instanceof Message.Error err) {
      loginFailed(err.code(), err.text(), err.code() == ErrorCode.SERVER_FULL || err.code() == ErrorCode.INTERNAL);
      return;
    }
    if (!(answer instanceof Message.AuthOk ok)) {
      return;
    }
    try {
      scram.verifyServerFinal(ok.serverFinal());
    } catch (ScramException e) {
      // The server does not know our password: it is not the server we think it is.
      loginFailed(ErrorCode.AUTH_FAILED, "the server failed to prove it knows the password: " + e.getMessage(), false);
      return;
    }
    loginInProgress = false;
    token = ok.session();
    mediaPort = ok.mediaPort();
    keepaliveSeconds = Math.max(1, ok.keepaliveSeconds());
    boolean again = everRegistered;
    everRegistered = true;
    state = State.READY;
    reloginBackoffMillis = RELOGIN_BACKOFF_MILLIS;
    // A new session (maybe a restarted server) numbers presence afresh.
    presence.replaceAll((u, s) -> new Seen(s.state(), -1));
    scheduleKeepalive();
    log.info("signed in to {} as {} (media port {})", config.server(), config.user(), mediaPort);
    listener.onRegistered(config.user(), mediaPort, again);
    firstSignIn.complete(null);
  }

  private void loginFailed(ErrorCode code, String text, boolean retryable) {
    loginInProgress = false;
    if (state == State.CLOSED) {
      return;
    }
    if (!everRegistered) {
      state = State.CLOSED;
      firstSignIn.completeExceptionally(new SignInException(code, text));
      return;
    }
    if (!retryable && code != null) {
      // Credentials no longer work (password changed, user deleted, locked out): say so, keep trying slowly.
      listener.onError(code, text);
    }
    long wait = reloginBackoffMillis;
    reloginBackoffMillis = Math.min(MAX_RELOGIN_BACKOFF_MILLIS, reloginBackoffMillis * 2);
    log.info("sign-in failed ({}); trying again in {} ms", text, wait);
    loop.schedule(TimeUnit.MILLISECONDS.toNanos(wait), () -> {
      if (state == State.RECONNECTING) {
        startLogin(config.connectTimeout().toMillis());
      }
    });
  }

  /** The session is gone (server restarted, expired, or unreachable): end the call and sign in again. */
  private void sessionLost(String why) {
    if (state != State.READY) {
      return;
    }
    log.info("session lost: {}; signing in again", why);
    state = State.RECONNECTING;
    token = 0;
    if (keepaliveTimer != null) {
      keepaliveTimer.cancel();
    }
    requests = new TransactionTable<>(config.retransmit());
    awaitingAssociation.clear();
    if (call != null) {
      ClientCall c = call;
      call = null;
      listener.onCallEnded(c.info(), EndReason.CONNECTION_LOST);
    }
    listener.onReconnecting(why);
    startLogin(config.connectTimeout().toMillis());
  }

  /**
   * Keepalives every {@code keepaliveSeconds} (the server's figure), and at most every {@link
   * #IN_CALL_KEEPALIVE_SECONDS} during a call: a keepalive is how a client learns that its address changed or the
   * server went away, and during a call that should take seconds, not a quarter of a minute.
   */
  private void scheduleKeepalive() {
    if (keepaliveTimer != null) {
      keepaliveTimer.cancel();
    }
    ClientCall c = call;
    int seconds = c != null && c.phase == CallPhase.ACTIVE ? Math.min(keepaliveSeconds, IN_CALL_KEEPALIVE_SECONDS)
        : keepaliveSeconds;
    keepaliveTimer = loop.schedule(TimeUnit.SECONDS.toNanos(seconds), () -> {
      if (state != State.READY) {
        return;
      }
      long sentNanos = loop.clock().nanoTime();
      request(new Message.Keepalive(ids.next(), token, System.currentTimeMillis()), a -> {}, () -> {
        // Heard from the server since (a notification, another answer): it is there and this keepalive was
        // unlucky on a lossy path; the next one is already scheduled. Only a silent server means a lost session.
        if (lastHeardNanos - sentNanos <= 0) {
          sessionLost("server stopped answering");
        }
      });
      scheduleKeepalive();
    });
  }

  // ------------------------------------------------------------------ calls

  private void doCall(String callee) {
    if (state != State.READY) {
      listener.onError(null, "not signed in");
      return;
    }
    if (call != null) {
      listener.onError(ErrorCode.INVALID_STATE, "already in a call");
      return;
    }
    ClientCall c = new ClientCall(0, callee, true, CallPhase.CALLING);
    c.agreement = CallKeyAgreement.caller(random, 0);
    call = c;
    request(new Message.Call(ids.next(), token, callee, offeredCodecs(), Octets.of(c.agreement.commitment())),
        answer -> {
      if (call != c) {
        return;
      }
      if (answer instanceof Message.CallProceeding p) {
        c.callId = p.callId();
        EndReason early = endedBeforeKnown.remove(p.callId());
        if (early != null) {
          endCall(c, early);
        } else if (c.cancelWhenKnown) {
          sendCancel(c);
        }
      } else if (answer instanceof Message.Error err) {
        EndReason reason = switch (err.code()) {
          case BUSY -> EndReason.BUSY;
          case UNKNOWN_USER -> EndReason.UNKNOWN_USER;
          case USER_OFFLINE -> EndReason.OFFLINE;
          default -> EndReason.FAILED;
        };
        if (reason == EndReason.FAILED) {
          listener.onError(err.code(), err.text());
        }
        endCall(c, reason);
      }
    }, () -> sessionLost("server stopped answering"));
  }

  /**
   * The codecs this client offers when calling and accepts when called, best first: the configured ones,
   * with "opus+red" before "opus" unless redundancy is off (docs/VOICE.md, "Redundancy").
   */
  private List<String> offeredCodecs() {
    return Codecs.withRedundancy(config.codecs(), config.redundancy());
  }

  private void doAnswer() {
    ClientCall c = call;
    if (c == null || c.phase != CallPhase.RINGING_IN) {
      listener.onError(ErrorCode.NO_SUCH_CALL, "no incoming call to answer");
      return;
    }
    List<String> ours = offeredCodecs();
    String codec = c.offer.stream().filter(ours::contains).findFirst()
        .orElse(c.offer.isEmpty() ? config.codecs().get(0) : null);
    if (codec == null) {
      listener.onError(ErrorCode.UNSUPPORTED_CODEC, "no codec in common with " + c.peer + " (offered " + c.offer + ")");
      doRefuse();
      return;
    }
    if (c.badCommitment != null) {
      listener.onError(null, "cannot answer " + c.peer + " securely: " + c.badCommitment);
      call = null;
      request(new Message.Refuse(ids.next(), token, c.callId), a -> {}, () -> {});
      listener.onCallEnded(c.info(), EndReason.E2E_FAILED);
      return;
    }
    c.phase = CallPhase.ANSWERING;
    request(new Message.Accept(ids.next(), token, c.callId, codec, Octets.of(c.agreement.publicKey())), answer -> {
      if (answer instanceof Message.Error err && call == c) {
        listener.onError(err.code(), err.text());
        endCall(c, EndReason.FAILED);
      }
    }, () -> sessionLost("server stopped answering"));
  }

  private void doRefuse() {
    ClientCall c = call;
    if (c == null || c.outgoing || c.phase == CallPhase.ACTIVE) {
      listener.onError(ErrorCode.NO_SUCH_CALL, "no incoming call to refuse");
      return;
    }
    call = null;
    request(new Message.Refuse(ids.next(), token, c.callId), a -> {}, () -> {});
    listener.onCallEnded(c.info(), EndReason.REFUSED);
  }

  private void doHangup() {
    ClientCall c = call;
    if (c == null) {
      listener.onError(ErrorCode.NO_SUCH_CALL, "no call to hang up");
      return;
    }
    if (c.phase == CallPhase.ACTIVE) {
      call = null;
      request(new Message.Hangup(ids.next(), token, c.callId), a -> {}, () -> {});
      listener.onCallEnded(c.info(), EndReason.HANGUP);
    } else if (c.outgoing) {
      listener.onCallEnded(c.info(), EndReason.CANCELLED);
      if (c.callId == 0) {
        // The server has not named the call yet: keep it until it does, then cancel it.
        c.cancelWhenKnown = true;
      } else {
        sendCancel(c);
      }
    } else {
      doRefuse();
    }
  }

  private void sendCancel(ClientCall c) {
    if (call == c) {
      call = null;
    }
    request(new Message.Cancel(ids.next(), token, c.callId), a -> {}, () -> {});
  }

  /** Completes the key agreement with the peer's key; on failure hangs up and returns false. */
  private boolean agree(ClientCall c, byte[] peerKey) {
    if (c.badCommitment != null) {
      failKeys(c, c.badCommitment);
      return false;
    }
    try {
      c.keys = c.agreement.complete(peerKey);
      return true;
    } catch (CallCryptoException e) {
      failKeys(c, e.getMessage());
      return false;
    }
  }

  /** The call cannot be encrypted end to end: it never carries voice. Hang up and say why. */
  private void failKeys(ClientCall c, String why) {
    log.warn("call {} with {}: end-to-end key agreement failed: {}", c.callId, c.peer, why);
    listener.onError(null, "call with " + c.peer + " ended: end-to-end encryption failed: " + why);
    call = null;
    request(new Message.Hangup(ids.next(), token, c.callId), a -> {}, () -> {});
    listener.onCallEnded(c.info(), EndReason.E2E_FAILED);
  }

  private void endCall(ClientCall c, EndReason reason) {
    if (call == c) {
      call = null;
    }
    if (!c.cancelWhenKnown) {
      listener.onCallEnded(c.info(), reason);
    }
  }

  // ------------------------------------------------------------------ datagrams

  private void onDatagram(UdpEndpoint ep, byte[] buf, int len, InetSocketAddress source) {
    if (!source.getAddress().equals(config.server().getAddress())) {
      return; // only the server speaks to us
    }
    if (dtls != null) {
      dtls.onDatagram(buf, len, source);
    } else {
      onMessage(buf, len);
    }
  }

  /** One signalling message from the server, decrypted if need be (loop thread). */
  private void onMessage(byte[] buf, int len) {
    lastHeardNanos = loop.clock().nanoTime();
    rehandshakeIntervalMillis = REHANDSHAKE_MIN_INTERVAL_MILLIS;
    Message m;
    try {
      m = MessageCodec.decode(buf, 0, len);
    } catch (ProtocolException e) {
      log.debug("dropped a malformed datagram from the server: {}", e.getMessage());
      return;
    }
    if (!m.isRequest()) {
      TransactionTable.Pending<Request> p = completeRequest(m.txid());
      if (p != null) {
        pathLoss.answered(p.sends());
        if (m instanceof Message.Error err
            && (err.code() == ErrorCode.NO_SESSION || err.code() == ErrorCode.SESSION_REPLACED)
            && state == State.READY) {
          if (err.code() == ErrorCode.SESSION_REPLACED) {
            listener.onError(err.code(), "signed in from elsewhere; this client stops");
            state = State.CLOSED;
            return;
          }
          sessionLost(err.text());
          return;
        }
        p.attachment().onAnswer().accept(m);
      }
      return;
    }
    if (m.session() != token || state != State.READY) {
      return; // a notification for a session we no longer have
    }
    long now = loop.clock().nanoTime();
    byte[] done = handled.lookup(token, m.txid(), now);
    if (done != null) {
      send(done);
      return;
    }
    Message answer = onNotification(m);
    byte[] bytes = MessageCodec.encode(answer);
    handled.put(token, m.txid(), bytes, now);
    send(bytes);
  }

  private Message onNotification(Message m) {
    Message ok = new Message.Ok(m.txid(), token);
    switch (m.type()) {
      case PRESENCE -> applyPresence((Message.Presence) m);
      case INCOMING -> {
        Message.Incoming inc = (Message.Incoming) m;
        if (call != null) {
          return new Message.Error(m.txid(), token, ErrorCode.BUSY, "busy");
        }
        ClientCall c = new ClientCall(inc.callId(), inc.caller(), false, CallPhase.RINGING_IN);
        c.offer = inc.codecs();
        c.agreement = CallKeyAgreement.callee(random, 0);
        if (inc.keyCommit().length() != CallKeyAgreement.COMMITMENT_BYTES) {
          c.badCommitment = inc.keyCommit().isEmpty() ? "the caller's client does not encrypt calls"
              : "the caller's key commitment has " + inc.keyCommit().length() + " bytes";
        } else {
          c.agreement.peerCommitment(inc.keyCommit().toByteArray());
        }
        call = c;
        listener.onIncoming(c.info());
      }
      case RINGING -> {
        ClientCall c = call;
        long id = ((Message.Ringing) m).callId();
        // Only a call still dialling starts ringing: a RINGING overtaken by CALL_STARTED changes nothing
        // (it would otherwise turn an active call back into one that a hang-up cancels).
        if (c != null && c.outgoing && c.phase == CallPhase.CALLING && (c.callId == id || c.callId == 0)) {
          c.callId = id;
          c.phase = CallPhase.RINGING_OUT;
          listener.onRinging(c.info());
        }
      }
      case CALL_STARTED -> {
        Message.CallStarted cs = (Message.CallStarted) m;
        ClientCall c = call;
        if (c != null && (c.callId == cs.callId() || (c.callId == 0 && c.outgoing && c.peer.equals(cs.peer())))) {
          if (c.cancelWhenKnown) {
            c.callId = cs.callId();
            call = null;
            request(new Message.Hangup(ids.next(), token, c.callId), a -> {}, () -> {});
          } else {
            c.callId = cs.callId();
            c.phase = CallPhase.ACTIVE;
            c.codec = cs.codec();
            c.mediaPort = cs.mediaPort();
            c.mediaId = cs.mediaId();
            scheduleKeepalive(); // the shorter in-call interval from now on
            if (c.outgoing) {
              // The callee's key came with CALL_STARTED: agree, reveal ours, and the call is ready.
              if (agree(c, cs.peerKey().toByteArray())) {
                request(new Message.CallKey(ids.next(), token, c.callId, Octets.of(c.agreement.publicKey())),
                    a -> {}, () -> {});
                listener.onCallStarted(c.info());
              }
            } else if (c.earlyPeerKey != null) {
              if (agree(c, c.earlyPeerKey)) {
                listener.onCallStarted(c.info());
              }
            } else {
              // Ready once the caller reveals its key (PEER_KEY); give up if it never does.
              loop.schedule(TimeUnit.MILLISECONDS.toNanos(KEY_WAIT_MILLIS), () -> {
                if (call == c && c.keys == null) {
                  failKeys(c, "the caller's key did not arrive within " + KEY_WAIT_MILLIS + " ms");
                }
              });
            }
          }
        } else {
          // We no longer want this call (e.g. hung up meanwhile): end it at the server.
          request(new Message.Hangup(ids.next(), token, cs.callId()), a -> {}, () -> {});
        }
      }
      case PEER_KEY -> {
        Message.PeerKey pk = (Message.PeerKey) m;
        ClientCall c = call;
        if (c != null && !c.outgoing && c.callId == pk.callId() && c.keys == null) {
          if (c.phase == CallPhase.ACTIVE) {
            if (agree(c, pk.publicKey().toByteArray())) {
              listener.onCallStarted(c.info());
            }
          } else {
            c.earlyPeerKey = pk.publicKey().toByteArray();
          }
        }
      }
      case CALL_ENDED -> {
        Message.CallEnded ce = (Message.CallEnded) m;
        ClientCall c = call;
        if (c != null && c.callId == ce.callId()) {
          endCall(c, ce.reason());
        } else if (c != null && c.callId == 0) {
          endedBeforeKnown.put(ce.callId(), ce.reason());
          while (endedBeforeKnown.size() > 16) {
            endedBeforeKnown.remove(endedBeforeKnown.keySet().iterator().next());
          }
        }
      }
      default -> {
        return new Message.Error(m.txid(), token, ErrorCode.MALFORMED, m.type() + " is not a server request");
      }
    }
    return ok;
  }

  /** Completes once the first full presence list has arrived after signing in. */
  public CompletableFuture<Void> presenceReady() {
    return firstSnapshot;
  }

  private void applyPresence(Message.Presence p) {
    if (p.snapshot() && p.last()) {
      firstSnapshot.complete(null);
    }
    Map<String, PresenceState> changed = new TreeMap<>();
    for (PresenceEntry e : p.entries()) {
      Seen old = presence.get(e.name());
      if (old == null || p.seq() >= old.seq()) {
        presence.put(e.name(), new Seen(e.state(), p.seq()));
        if (old == null || old.state() != e.state()) {
          changed.put(e.name(), e.state());
        }
      }
    }
    if (!changed.isEmpty()) {
      listener.onPresence(changed, presenceMap());
    }
  }

  // ------------------------------------------------------------------ requests

  private void request(Message m, Consumer<Message> onAnswer, Runnable onGiveUp) {
    request(m, null, onAnswer, onGiveUp);
  }

  private void request(Message m, RetransmitPolicy policy, Consumer<Message> onAnswer, Runnable onGiveUp) {
    byte[] bytes = MessageCodec.encode(m);
    TransactionTable<Request> table = requests;
    if (policy != null && !policy.equals(config.retransmit())) {
      // A request with its own give-up time (sign-in): track it in a table of its own policy.
      table = loginTable(policy);
    }
    long now = loop.clock().nanoTime();
    if (table.start(m.txid(), bytes, config.server(), new Request(onAnswer, onGiveUp, now, 0), now)) {
      send(bytes);
    }
  }

  private final Map<RetransmitPolicy, TransactionTable<Request>> loginTables = new HashMap<>();

  private TransactionTable.Pending<Request> completeRequest(long txid) {
    TransactionTable.Pending<Request> p = requests.complete(txid);
    for (java.util.Iterator<TransactionTable<Request>> it = loginTables.values().iterator(); p == null && it.hasNext(); ) {
      p = it.next().complete(txid);
    }
    return p;
  }

  private TransactionTable<Request> loginTable(RetransmitPolicy p) {
    return loginTables.computeIfAbsent(p, TransactionTable::new);
  }

  /** A request's round of resends ran out unanswered: another round, wait for the association, or give up. */
  private void roundOver(TransactionTable.Pending<Request> p, long now) {
    Request r = p.attachment();
    RoundOver verdict = state != State.READY ? RoundOver.GIVE_UP : RoundOver.decide(r.round(), REQUEST_ROUNDS,
        r.roundStartNanos(), lastHeardNanos, dtls != null && dtls.isHandshaking(), lastRehandshakeNanos);
    switch (verdict) {
      case NEXT_ROUND -> nextRound(p, now);
      case AWAIT_ASSOCIATION -> {
        log.debug("request {} unanswered while a new secure channel is set up: waiting for it", p.txid());
        awaitingAssociation.add(p);
      }
      case GIVE_UP -> r.onGiveUp().run();
    }
  }

  /** The requests that waited for the handshake under way, which has now ended one way or the other. */
  private List<TransactionTable.Pending<Request>> takeAwaitingAssociation() {
    List<TransactionTable.Pending<Request>> waiting = List.copyOf(awaitingAssociation);
    awaitingAssociation.clear();
    return waiting;
  }

  /** Another round for a request: same transaction id and bytes, so the server's cached answer still matches. */
  private void nextRound(TransactionTable.Pending<Request> p, long now) {
    if (requests.start(p.txid(), p.datagram(), p.destination(), p.attachment().nextRound(now), now)) {
      requestRounds++;
      log.info("request {} unanswered for a round while the server is there: sending it another round", p.txid());
      send(p.datagram());
    } else {
      p.attachment().onGiveUp().run();
    }
  }

  /** Requests given another round so far. */
  long requestRounds() {
    return requestRounds;
  }

  private void send(byte[] bytes) {
    if (dtls != null) {
      dtls.send(bytes); // false while (re)connecting: the retransmission timer sends it again
    } else {
      sendSocket().send(bytes, config.server());
    }
  }

  private void tick() {
    if (state == State.CLOSED) {
      return;
    }
    long now = loop.clock().nanoTime();
    TransactionTable.Sink<Request> sink = new TransactionTable.Sink<>() {
      @Override
      public void resend(TransactionTable.Pending<Request> p) {
        send(p.datagram());
      }

      @Override
      public void giveUp(TransactionTable.Pending<Request> p) {
        roundOver(p, now);
      }
    };
    requests.poll(now, sink);
    int pending = requests.size();
    for (TransactionTable<Request> t : loginTables.values()) {
      t.poll(now, sink);
      pending += t.size();
    }
    // Only an established association that went silent is suspect: a handshake under way (slow on a lossy path)
    // is left to finish or time out (onDtlsFailed retries), never restarted from here.
    if (pending == 0) {
      idleAtNanos = now;
    }
    // Silence since the client started waiting, not since it last heard anything: an idle client hears nothing
    // between keepalives, and that says nothing about the association.
    long silentNanos = now - Math.max(lastHeardNanos, idleAtNanos);
    if (dtls != null && everRegistered && pending > 0 && dtls.isEstablished()
        && silentNanos > TimeUnit.MILLISECONDS.toNanos(
            Math.max(REHANDSHAKE_AFTER_SILENCE_MILLIS, pathLoss.silenceMillis(config.retransmit())))
        && now - lastRehandshakeNanos > TimeUnit.MILLISECONDS.toNanos(rehandshakeIntervalMillis)) {
      log.info("no answer from {} for {} ms: handshaking again (address change or server restart?)",
          config.server(), silentNanos / 1_000_000);
      lastRehandshakeNanos = now;
      long next = Math.min(REHANDSHAKE_MAX_INTERVAL_MILLIS, rehandshakeIntervalMillis * 2);
      rehandshakeIntervalMillis = next - random.nextInt((int) (next / 5) + 1);
      dtls.reconnect();
    }
    loop.schedule(TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS), this::tick);
  }
}
