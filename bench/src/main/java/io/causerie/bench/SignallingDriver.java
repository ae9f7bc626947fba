package io.causerie.bench;

import io.causerie.protocol.ClientFeatures;
import io.causerie.protocol.EndReason;
import io.causerie.protocol.ErrorCode;
import io.causerie.protocol.Message;
import io.causerie.protocol.MessageCodec;
import io.causerie.protocol.MessageType;
import io.causerie.protocol.ProtocolException;
import io.causerie.protocol.ProtocolLimits;
import io.causerie.protocol.scram.ScramException;
import io.causerie.protocol.scram.ScramNonce;
import io.causerie.transport.AnswerCache;
import io.causerie.transport.Clock;
import io.causerie.transport.EventLoop;
import io.causerie.transport.RetransmitPolicy;
import io.causerie.transport.TransactionTable;
import io.causerie.transport.UdpEndpoint;
import io.causerie.transport.dtls.DtlsClientLayer;
import io.causerie.transport.dtls.DtlsConfig;
import io.causerie.transport.dtls.ServerFingerprintPolicy;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Many bench clients speaking the real signalling protocol (docs/PROTOCOL.md) over a few UDP sockets on one
 * event-loop thread, instead of one {@code SignallingClient} and its thread per user. The server tells sessions
 * apart by the token in every header, so clients can share a socket; the driver answers every notification
 * (PRESENCE, INCOMING, RINGING, CALL_STARTED, CALL_ENDED) with OK exactly as a client must, accepts incoming
 * calls by itself, retransmits its own requests and keeps sessions alive.
 *
 * <p>Signalling is DTLS 1.2 as the server's default: one {@link DtlsClientLayer} per socket, established before
 * the constructor returns (so before any sign-in is sent on it); the server keeps one association per client
 * address and tells the sessions multiplexed over it apart by token, as over plaintext UDP. With no fingerprint
 * policy the driver speaks plaintext to a server started with {@code --insecure-plaintext-signalling}.
 *
 * <p>Loop thread only, except {@link #execute}, {@link #stats()} and {@link #close()}: bench logic runs on the
 * loop through {@link #execute} and {@link Listener} callbacks.
 */
public final class SignallingDriver implements AutoCloseable {
  /** The one codec bench calls offer and accept. */
  public static final String CODEC = "pcmu";
  /** How often retransmissions and keepalives are looked at. */
  static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  /** Where a bench client is. */
  public enum State {
    OFFLINE,
    SIGNING_IN,
    ONLINE,
    SIGNING_OUT
  }

  /** One driver socket and, over DTLS, its association with the server. Loop thread only. */
  static final class Link {
    final int index;
    UdpEndpoint socket;
    DtlsClientLayer dtls;
    long connectNanos;
    long establishedNanos;
    final CompletableFuture<Long> established = new CompletableFuture<>();

    Link(int index) {
      this.index = index;
    }
  }

  /** One simulated user. Loop thread only. */
  public static final class Client {
    final int index;
    final String user;
    final Link socket;
    State state = State.OFFLINE;
    long token;
    int mediaPort;
    /** The SSRC the server assigned for the current call (single-port mode), else 0. */
    int mediaId;
    long keepaliveNanos;
    long lastKeepaliveNanos;
    long signInStartNanos;
    long signInDoneNanos;
    boolean snapshotDone;
    Call call;

    Client(int index, String user, Link socket) {
      this.index = index;
      this.user = user;
      this.socket = socket;
    }

    public int index() {
      return index;
    }

    public String user() {
      return user;
    }

    public State state() {
      return state;
    }

    /** The server's media port for this client (valid once signed in). */
    public int mediaPort() {
      return mediaPort;
    }

    /** The SSRC to send with in the current call when the server relays on one port, else 0. */
    public int mediaId() {
      return mediaId;
    }

    public long signInStartNanos() {
      return signInStartNanos;
    }

    public long signInDoneNanos() {
      return signInDoneNanos;
    }
  }

  /** One bench call, from CALL to the end. Loop thread only. */
  public static final class Call {
    final Client caller;
    final Client callee;
    final long startNanos;
    long callId;
    boolean callerStarted;
    boolean calleeStarted;
    long startedNanos;
    boolean hangupAcked;
    boolean peerEnded;
    boolean finished;
    /** Whatever the bench wants to keep with the call. */
    public Object tag;

    Call(Client caller, Client callee, long startNanos) {
      this.caller = caller;
      this.callee = callee;
      this.startNanos = startNanos;
    }

    public Client caller() {
      return caller;
    }

    public Client callee() {
      return callee;
    }

    /** When the bench meant to place it (open-loop arrivals measure from here). */
    public long startNanos() {
      return startNanos;
    }

    /** True once it ended, failed or was hung up. */
    public boolean finished() {
      return finished;
    }

    /** When both parties had CALL_STARTED. */
    public long startedNanos() {
      return startedNanos;
    }
  }

  /** What happens to bench clients and calls; called on the loop thread. */
  public interface Listener {
    default void onSignedIn(Client c) {}

    default void onSignInFailed(Client c, String why) {}

    /** The last part of the presence snapshot the server sends after sign-in arrived. */
    default void onSnapshot(Client c) {}

    default void onSignedOut(Client c) {}

    /** Both parties were told CALL_STARTED. */
    default void onCallStarted(Call call) {}

    /** A hang-up finished: the hanger-up got OK and the peer CALL_ENDED. */
    default void onCallHungUp(Call call) {}

    /** The call failed or ended for another reason than a bench hang-up. */
    default void onCallFailed(Call call, String why) {}

    default void onSessionLost(Client c, String why) {}
  }

  /** Counters, read with {@link #stats()}. */
  public record Stats(long datagramsIn, long datagramsOut, long notifications, long presence,
      long duplicateNotifications, long retransmissions, long giveUps, long malformed, long loopCpuNanos,
      long associationsLost) {}

  /** How long the driver waits for its DTLS associations before giving up. */
  static final java.time.Duration ESTABLISH_TIMEOUT = java.time.Duration.ofSeconds(30);

  private record Request(Client client, Consumer<Message> onAnswer, Runnable onGiveUp) {}

  /** PRESENCE layout (docs/PROTOCOL.md §3.11): header, seq u64 at 20, flags at 28, count at 29. */
  private static final int SESSION_OFFSET = 12;
  private static final int PRESENCE_FLAGS_OFFSET = 28;
  private static final int PRESENCE_MIN_BYTES = 30;
  /** Flags 0x01 snapshot and 0x02 last: the end of the snapshot a client gets after signing in. */
  private static final int SNAPSHOT_AND_LAST = 0x03;

  /** The OK sent for a PRESENCE, rebuilt in place each time. Loop thread only. */
  private final byte[] okHeader = new byte[ProtocolLimits.HEADER_BYTES];

  private final EventLoop loop;
  private final InetSocketAddress server;
  private final List<Link> sockets = new ArrayList<>();
  /** Null: plaintext signalling. */
  private final ServerFingerprintPolicy dtlsPolicy;
  private final TransactionTable<Request> requests;
  private final AnswerCache handled = new AnswerCache();
  private final Map<Long, Client> byToken = new HashMap<>();
  private final Map<Long, Call> calls = new HashMap<>();
  private final List<Client> clients = new ArrayList<>();
  private final ScramProver.KeyCache keys = new ScramProver.KeyCache();
  private final SecureRandom random = new SecureRandom();
  private final boolean fullScram;
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private Listener listener = new Listener() {};
  private volatile long lastNotificationNanos;
  private volatile boolean closed;

  private long datagramsIn;
  private long datagramsOut;
  private long notifications;
  private long presence;
  private long duplicateNotifications;
  private long retransmissions;
  private long giveUps;
  private long malformed;
  private long associationsLost;

  /** A driver for {@code server}: DTLS unless it was started with plaintext signalling. */
  public static SignallingDriver forServer(ServerProcess server, int sockets, long giveUpMillis, boolean fullScram)
      throws IOException {
    return new SignallingDriver(server.signallingAddress(), sockets, giveUpMillis, fullScram,
        server.plaintextSignalling() ? null : server.fingerprintPolicy());
  }

  /**
   * @param sockets how many local UDP sockets the clients share
   * @param giveUpMillis how long a request is retransmitted before it counts as failed
   * @param fullScram derive the SCRAM keys on every sign-in (as the product client does) instead of once
   * @param dtls how to check the server's certificate (DTLS signalling), or null for plaintext signalling
   * @throws IOException if a socket cannot be bound or a DTLS association not established
   */
  public SignallingDriver(InetSocketAddress server, int sockets, long giveUpMillis, boolean fullScram,
      ServerFingerprintPolicy dtls) throws IOException {
    this.server = server;
    this.fullScram = fullScram;
    this.dtlsPolicy = dtls;
    this.requests = new TransactionTable<>(RetransmitPolicy.DEFAULT.withGiveUpMillis(giveUpMillis));
    this.loop = new EventLoop("bench-signalling", Clock.SYSTEM).start();
    try {
      for (int i = 0; i < sockets; i++) {
        Link link = new Link(i);
        link.socket = loop.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            (ep, buf, len, src) -> onDatagram(link, buf, len, src));
        this.sockets.add(link);
      }
      if (dtls != null) {
        establish();
      }
    } catch (IOException e) {
      loop.close();
      throw e;
    }
    loop.schedule(TICK_NANOS, this::tick);
  }

  /** Handshakes every socket with the server, all at once, and waits until all are established. */
  private void establish() throws IOException {
    for (Link link : sockets) {
      link.dtls = new DtlsClientLayer(DtlsConfig.defaults().withHandshakeTimeout(ESTABLISH_TIMEOUT),
          (b, off, len, to) -> link.socket.send(ByteBuffer.wrap(b, off, len), to),
          (buf, len, src) -> onMessage(link, buf, len, src), dtlsPolicy, loop, new DtlsClientLayer.Listener() {
            @Override
            public void onEstablished() {
              link.establishedNanos = System.nanoTime();
              link.established.complete(link.establishedNanos - link.connectNanos);
            }

            @Override
            public void onFailed(Exception e) {
              if (!link.established.isDone()) {
                link.established.completeExceptionally(e);
                return;
              }
              // The server dropped the association (restart, idle timeout): handshake again; requests in
              // flight are retransmitted once it is back.
              associationsLost++;
              if (!closed) {
                link.connectNanos = System.nanoTime();
                link.dtls.reconnect();
              }
            }
          });
    }
    loop.runAndWait(() -> {
      for (Link link : sockets) {
        link.connectNanos = System.nanoTime();
        link.dtls.connect(server);
      }
    });
    for (Link link : sockets) {
      try {
        link.established.get(ESTABLISH_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IOException("DTLS handshake with " + server + " failed: " + e.getCause().getMessage(), e.getCause());
      } catch (java.util.concurrent.TimeoutException e) {
        throw new IOException("no DTLS handshake with " + server + " within " + ESTABLISH_TIMEOUT.toSeconds() + " s");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while handshaking", e);
      }
    }
  }

  /** Whether signalling is DTLS (else plaintext). */
  public boolean encrypted() {
    return dtlsPolicy != null;
  }

  /** How long each socket's initial DTLS handshake took, in nanoseconds (empty over plaintext). */
  public List<Long> handshakeNanos() {
    List<Long> out = new ArrayList<>();
    for (Link link : sockets) {
      if (link.dtls != null) {
        out.add(link.established.getNow(-1L));
      }
    }
    return out;
  }

  /** Replaces the listener (on the driver's thread, so events never see half a change). */
  public void setListener(Listener l) {
    loop.execute(() -> listener = l);
  }

  /** Runs {@code task} on the driver's thread. */
  public void execute(Runnable task) {
    loop.execute(task);
  }

  /** Runs {@code task} on the driver's thread after {@code delayNanos}. */
  public void schedule(long delayNanos, Runnable task) {
    loop.schedule(delayNanos, task);
  }

  /** Adds client {@code index} with user name {@code user}; clients 2k and 2k+1 share a socket. */
  public Client addClient(int index, String user) {
    Client c = new Client(index, user, sockets.get((index / 2) % sockets.size()));
    clients.add(c);
    return c;
  }

  /** How many PBKDF2 derivations the generator ran (1 per run unless full SCRAM). */
  public long derivations() {
    return keys.derivations();
  }

  /** When the last notification arrived, to wait for the server's presence fan-out to calm down. */
  public long lastNotificationNanos() {
    return lastNotificationNanos;
  }

  /** Counters and the loop thread's CPU time, taken on the loop thread. */
  public Stats stats() {
    Stats[] out = new Stats[1];
    loop.runAndWait(() -> out[0] = new Stats(datagramsIn, datagramsOut, notifications, presence,
        duplicateNotifications, retransmissions, giveUps, malformed, threads.getCurrentThreadCpuTime(),
        associationsLost));
    return out[0];
  }

  // ------------------------------------------------------------------ sign-in and out

  /** Starts a SCRAM sign-in; {@code startNanos} is when it was meant to start. */
  public void signIn(Client c, long startNanos) {
    c.state = State.SIGNING_IN;
    c.signInStartNanos = startNanos;
    c.snapshotDone = false;
    String nonce = ScramNonce.generate(random);
    char[] pw = BenchUsers.PASSWORD.toCharArray();
    // Announces what the product client announces (packed PRESENCE parts), so the server treats it alike.
    String features = ClientFeatures.CURRENT.extension();
    ScramProver prover = fullScram ? ScramProver.full(c.user, pw, nonce, features)
        : ScramProver.cached(c.user, pw, nonce, keys, features);
    request(c, new Message.AuthStart(txid(), 0, prover.clientFirst(), 0, 0), answer -> {
      if (answer instanceof Message.AuthChallenge ch) {
        String clientFinal;
        try {
          clientFinal = prover.clientFinal(ch.serverFirst());
        } catch (ScramException e) {
          signInFailed(c, "bad challenge: " + e.getMessage());
          return;
        }
        request(c, new Message.AuthFinish(txid(), 0, ch.loginId(), clientFinal), fin -> onAuthFinished(c, prover, fin),
            () -> signInFailed(c, "no answer to AUTH_FINISH"));
      } else if (answer instanceof Message.Error err) {
        signInFailed(c, err.code().jsonName() + ": " + err.text());
      }
    }, () -> signInFailed(c, "no answer to AUTH_START"));
  }

  private void onAuthFinished(Client c, ScramProver prover, Message answer) {
    if (answer instanceof Message.Error err) {
      signInFailed(c, err.code().jsonName() + ": " + err.text());
      return;
    }
    if (!(answer instanceof Message.AuthOk ok)) {
      signInFailed(c, "unexpected " + answer.type());
      return;
    }
    try {
      prover.verifyServerFinal(ok.serverFinal());
    } catch (ScramException e) {
      signInFailed(c, e.getMessage());
      return;
    }
    long now = System.nanoTime();
    c.token = ok.session();
    c.mediaPort = ok.mediaPort();
    c.keepaliveNanos = TimeUnit.SECONDS.toNanos(Math.max(1, ok.keepaliveSeconds()));
    c.lastKeepaliveNanos = now;
    c.signInDoneNanos = now;
    c.state = State.ONLINE;
    byToken.put(c.token, c);
    listener.onSignedIn(c);
  }

  private void signInFailed(Client c, String why) {
    if (c.state != State.SIGNING_IN) {
      return;
    }
    c.state = State.OFFLINE;
    listener.onSignInFailed(c, why);
  }

  /** Signs out; {@link Listener#onSignedOut} follows (also when the answer never comes). */
  public void signOut(Client c) {
    if (c.state != State.ONLINE) {
      return;
    }
    c.state = State.SIGNING_OUT;
    Runnable done = () -> {
      if (c.state == State.SIGNING_OUT) {
        c.state = State.OFFLINE;
        byToken.remove(c.token);
        listener.onSignedOut(c);
      }
    };
    request(c, new Message.Logout(txid(), c.token), a -> done.run(), done);
  }

  // ------------------------------------------------------------------ calls

  /** Places a call from {@code caller} to {@code callee}, which the driver answers by itself. */
  public Call call(Client caller, Client callee, long startNanos) {
    Call call = new Call(caller, callee, startNanos);
    caller.call = call;
    callee.call = call;
    request(caller, new Message.Call(txid(), caller.token, callee.user, List.of(CODEC)), answer -> {
      if (answer instanceof Message.CallProceeding p) {
        call.callId = p.callId();
        Call early = calls.put(p.callId(), call);
        if (early != null && early != call) {
          // INCOMING or CALL_STARTED overtook our answer: keep what they said.
          call.callerStarted |= early.callerStarted;
          call.calleeStarted |= early.calleeStarted;
          maybeStarted(call);
        }
      } else if (answer instanceof Message.Error err) {
        callFailed(call, err.code().jsonName() + ": " + err.text());
      }
    }, () -> callFailed(call, "no answer to CALL"));
    return call;
  }

  /** Gives up on a call that is taking too long to set up: it counts as failed from now on. */
  public void giveUp(Call call, String why) {
    callFailed(call, why);
  }

  /** Hangs up an established call from the caller's side; {@link Listener#onCallHungUp} follows. */
  public void hangUp(Call call) {
    if (call.finished || call.callId == 0) {
      return;
    }
    request(call.caller, new Message.Hangup(txid(), call.caller.token, call.callId), answer -> {
      if (answer instanceof Message.Error err) {
        callFailed(call, "hang-up refused: " + err.code().jsonName());
        return;
      }
      call.hangupAcked = true;
      maybeHungUp(call);
    }, () -> callFailed(call, "no answer to HANGUP"));
  }

  private void maybeStarted(Call call) {
    if (call.callerStarted && call.calleeStarted && call.startedNanos == 0 && !call.finished) {
      call.startedNanos = System.nanoTime();
      listener.onCallStarted(call);
    }
  }

  private void maybeHungUp(Call call) {
    if (call.hangupAcked && call.peerEnded && !call.finished) {
      finish(call);
      listener.onCallHungUp(call);
    }
  }

  private void callFailed(Call call, String why) {
    if (call.finished) {
      return;
    }
    finish(call);
    listener.onCallFailed(call, why);
  }

  private void finish(Call call) {
    call.finished = true;
    if (call.callId != 0) {
      calls.remove(call.callId);
    }
    if (call.caller.call == call) {
      call.caller.call = null;
    }
    if (call.callee.call == call) {
      call.callee.call = null;
    }
  }

  // ------------------------------------------------------------------ datagrams

  private void onDatagram(Link link, byte[] buf, int len, InetSocketAddress source) {
    if (link.dtls != null) {
      link.dtls.onDatagram(buf, len, source); // decrypted messages come back through onMessage
    } else {
      onMessage(link, buf, len, source);
    }
  }

  /** One signalling message, decrypted if need be. */
  private void onMessage(Link socket, byte[] buf, int len, InetSocketAddress source) {
    datagramsIn++;
    if (isPresence(buf, len)) {
      onPresence(socket, buf, source);
      return;
    }
    Message m;
    try {
      m = MessageCodec.decode(buf, 0, len);
    } catch (ProtocolException e) {
      malformed++;
      return;
    }
    if (!m.isRequest()) {
      TransactionTable.Pending<Request> p = requests.complete(m.txid());
      if (p == null) {
        return; // a late duplicate answer
      }
      if (m instanceof Message.Error err && err.code() == ErrorCode.NO_SESSION) {
        sessionLost(p.attachment().client(), "no session");
      }
      p.attachment().onAnswer().accept(m);
      return;
    }
    onNotification(socket, m, source);
  }

  /** A well-formed-looking PRESENCE (docs/PROTOCOL.md §2.1, §3.11): header, seq, flags, count. */
  private static boolean isPresence(byte[] buf, int len) {
    return len >= PRESENCE_MIN_BYTES && (buf[0] & 0xFF) == MessageCodec.MAGIC_0
        && (buf[1] & 0xFF) == MessageCodec.MAGIC_1
        && (buf[2] & 0xFF) == ProtocolLimits.VERSION && (buf[3] & 0xFF) == MessageType.PRESENCE.wire();
  }

  /**
   * PRESENCE is nearly all a crowd of clients receives (every change goes to every session), so it is
   * acknowledged from its header alone: OK is the same header with the OK type and no body (§3.16). Its
   * entries are not decoded and no answer is cached; a duplicate is simply acknowledged again.
   */
  private void onPresence(Link socket, byte[] buf, InetSocketAddress source) {
    long now = System.nanoTime();
    lastNotificationNanos = now;
    notifications++;
    presence++;
    System.arraycopy(buf, 0, okHeader, 0, ProtocolLimits.HEADER_BYTES);
    okHeader[3] = (byte) MessageType.OK.wire();
    send(socket, okHeader, source);
    if ((buf[PRESENCE_FLAGS_OFFSET] & SNAPSHOT_AND_LAST) == SNAPSHOT_AND_LAST) {
      Client c = byToken.get(ByteBuffer.wrap(buf, SESSION_OFFSET, 8).getLong());
      if (c != null && !c.snapshotDone) {
        c.snapshotDone = true;
        listener.onSnapshot(c);
      }
    }
  }

  private void onNotification(Link socket, Message m, InetSocketAddress source) {
    long now = System.nanoTime();
    lastNotificationNanos = now;
    notifications++;
    byte[] cached = handled.lookup(m.session(), m.txid(), now);
    if (cached != null) {
      duplicateNotifications++;
      send(socket, cached, source);
      return;
    }
    byte[] ok = MessageCodec.encode(new Message.Ok(m.txid(), m.session()));
    handled.put(m.session(), m.txid(), ok, now);
    send(socket, ok, source);
    Client c = byToken.get(m.session());
    if (m instanceof Message.Incoming inc) {
      onIncoming(c, inc);
    } else if (m instanceof Message.CallStarted cs) {
      onCallStarted(c, cs);
    } else if (m instanceof Message.CallEnded ce) {
      Call call = calls.get(ce.callId());
      if (call == null) {
        return;
      }
      if (ce.reason() == EndReason.REMOTE_HANGUP && c == call.callee) {
        call.peerEnded = true;
        maybeHungUp(call);
      } else {
        callFailed(call, "ended: " + ce.reason().jsonName());
      }
    }
    // RINGING and anything else: acknowledged above, nothing to do.
  }

  private void onIncoming(Client c, Message.Incoming inc) {
    if (c == null) {
      return;
    }
    Call call = calls.get(inc.callId());
    if (call == null && c.call != null && c.call.callee == c) {
      // INCOMING overtook CALL_PROCEEDING (another socket was read first): file it under its id now.
      call = c.call;
      call.callId = inc.callId();
      calls.put(inc.callId(), call);
    }
    String codec = inc.codecs().contains(CODEC) || inc.codecs().isEmpty() ? CODEC : inc.codecs().get(0);
    Call answering = call;
    request(c, new Message.Accept(txid(), c.token, inc.callId(), codec), answer -> {
      if (answer instanceof Message.Error err && answering != null) {
        callFailed(answering, "accept refused: " + err.code().jsonName());
      }
    }, () -> {
      if (answering != null) {
        callFailed(answering, "no answer to ACCEPT");
      }
    });
  }

  private void onCallStarted(Client c, Message.CallStarted cs) {
    if (c != null) {
      c.mediaId = cs.mediaId();
    }
    Call call = calls.get(cs.callId());
    if (call == null && c != null && c.call != null) {
      call = c.call;
      call.callId = cs.callId();
      calls.put(cs.callId(), call);
    }
    if (call == null) {
      return;
    }
    if (cs.caller()) {
      call.callerStarted = true;
    } else {
      call.calleeStarted = true;
    }
    maybeStarted(call);
  }

  private void sessionLost(Client c, String why) {
    if (c.state == State.OFFLINE) {
      return;
    }
    c.state = State.OFFLINE;
    byToken.remove(c.token);
    if (c.call != null) {
      callFailed(c.call, "session lost: " + why);
    }
    listener.onSessionLost(c, why);
  }

  // ------------------------------------------------------------------ requests and timers

  private void request(Client c, Message m, Consumer<Message> onAnswer, Runnable onGiveUp) {
    byte[] bytes = MessageCodec.encode(m);
    if (requests.start(m.txid(), bytes, server, new Request(c, onAnswer, onGiveUp), System.nanoTime())) {
      send(c.socket, bytes, server);
    } else {
      onGiveUp.run();
    }
  }

  /** One message to the server: one DTLS record (false while the association is re-established), or plain. */
  private void send(Link socket, byte[] bytes, InetSocketAddress to) {
    datagramsOut++;
    if (socket.dtls != null) {
      socket.dtls.send(bytes); // a request lost here is retransmitted; a lost OK makes the server resend
    } else {
      socket.socket.send(bytes, to);
    }
  }

  private void tick() {
    if (closed) {
      return;
    }
    long now = System.nanoTime();
    requests.poll(now, new TransactionTable.Sink<>() {
      @Override
      public void resend(TransactionTable.Pending<Request> p) {
        retransmissions++;
        send(p.attachment().client().socket, p.datagram(), server);
      }

      @Override
      public void giveUp(TransactionTable.Pending<Request> p) {
        giveUps++;
        p.attachment().onGiveUp().run();
      }
    });
    for (Client c : clients) {
      if (c.state == State.ONLINE && now - c.lastKeepaliveNanos >= c.keepaliveNanos) {
        c.lastKeepaliveNanos = now;
        request(c, new Message.Keepalive(txid(), c.token, System.currentTimeMillis()), a -> {},
            () -> sessionLost(c, "keepalive unanswered"));
      }
    }
    loop.schedule(TICK_NANOS, this::tick);
  }

  private static long txid() {
    long v;
    do {
      v = ThreadLocalRandom.current().nextLong();
    } while (v == 0);
    return v;
  }

  @Override
  public void close() {
    closed = true;
    for (Link link : sockets) {
      if (link.dtls != null) {
        link.dtls.close(); // close_notify, so the server drops the association now
      }
    }
    try {
      loop.runAndWait(() -> {}); // let the close_notify records go out
    } catch (RuntimeException e) {
      // the loop is gone already
    }
    loop.close();
  }
}
