package io.causerie.bench.reliability;

import io.causerie.bench.BenchUsers;
import io.causerie.client.CallInfo;
import io.causerie.client.ClientConfig;
import io.causerie.client.ClientListener;
import io.causerie.client.SignallingClient;
import io.causerie.client.media.AudioInput;
import io.causerie.client.media.MediaConfig;
import io.causerie.client.media.MediaSession;
import io.causerie.client.media.QualitySnapshot;
import io.causerie.protocol.EndReason;
import io.causerie.protocol.ErrorCode;
import io.causerie.protocol.PresenceState;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One user driven through the real client library ({@link SignallingClient}, and {@link MediaSession} for voice):
 * records every event it reports with its time, answers incoming calls after a delay when asked to, and runs the
 * voice of its calls when asked to.
 */
final class Party implements ClientListener, AutoCloseable {
  /** One reported event. */
  record Ev(String kind, long callId, String peer, String reason, long nanos) {}

  private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "reliability-party-timer");
    t.setDaemon(true);
    return t;
  });

  final String user;
  final SignallingClient client;
  private final List<Ev> events = new ArrayList<>();
  private volatile long answerAfterMillis = -1;
  private volatile MediaConfig media;
  private volatile MediaSession session;
  private volatile QualitySnapshot lastQuality;

  Party(String user, InetSocketAddress server, Duration connectTimeout) throws java.io.IOException {
    this.user = user;
    this.client = new SignallingClient(
        ClientConfig.of(server, user, BenchUsers.PASSWORD.toCharArray()).withConnectTimeout(connectTimeout), this);
  }

  /** A bench user ({@link BenchUsers#name}) signed in to {@code server}; waits for the sign-in. */
  static Party signIn(int user, InetSocketAddress server, Duration timeout) throws Exception {
    Party p = new Party(BenchUsers.name(user), server, timeout);
    try {
      p.client.connect().get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      p.client.abandon();
      throw e;
    }
    return p;
  }

  Party answerAfter(long millis) {
    this.answerAfterMillis = millis;
    return this;
  }

  Party withMedia(MediaConfig config) {
    this.media = config;
    return this;
  }

  static MediaConfig tone() {
    return MediaConfig.defaults().withInput(AudioInput.tone(440));
  }

  private void add(String kind, long callId, String peer, String reason) {
    add(kind, callId, peer, reason, System.nanoTime());
  }

  private synchronized void add(String kind, long callId, String peer, String reason, long nanos) {
    events.add(new Ev(kind, callId, peer, reason, nanos));
    notifyAll();
  }

  synchronized List<Ev> events() {
    return List.copyOf(events);
  }

  synchronized long count(String kind) {
    return events.stream().filter(e -> e.kind.equals(kind)).count();
  }

  synchronized long count(String kind, long callId) {
    return events.stream().filter(e -> e.kind.equals(kind) && e.callId == callId).count();
  }

  /** Waits for the first event matching {@code p}, or null after {@code timeoutMillis}. */
  synchronized Ev await(Predicate<Ev> p, long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (true) {
      for (Ev e : events) {
        if (p.test(e)) {
          return e;
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      TimeUnit.NANOSECONDS.timedWait(this, Math.max(1, left));
    }
  }

  Ev await(String kind, long timeoutMillis) throws InterruptedException {
    return await(e -> e.kind.equals(kind), timeoutMillis);
  }

  /** Waits for an event of {@code kind} after {@code sinceNanos}. */
  Ev awaitAfter(String kind, long sinceNanos, long timeoutMillis) throws InterruptedException {
    return await(e -> e.kind.equals(kind) && e.nanos >= sinceNanos, timeoutMillis);
  }

  MediaSession media() {
    return session;
  }

  /** Packets received in the current call (or the last one), from the media session. */
  long received() {
    MediaSession s = session;
    if (s != null) {
      return s.quality().received();
    }
    QualitySnapshot q = lastQuality;
    return q == null ? 0 : q.received();
  }

  QualitySnapshot lastQuality() {
    MediaSession s = session;
    return s != null ? s.quality() : lastQuality;
  }

  Map<String, PresenceState> presence() throws Exception {
    return client.presence().get(10, TimeUnit.SECONDS);
  }

  // ------------------------------------------------------------------ ClientListener

  @Override
  public void onRegistered(String u, int mediaPort, boolean again) {
    add(again ? "registered-again" : "registered", 0, null, null);
  }

  @Override
  public void onIncoming(CallInfo call) {
    add("incoming", call.callId(), call.peer(), null);
    long after = answerAfterMillis;
    if (after == 0) {
      client.answer();
    } else if (after > 0) {
      TIMER.schedule(client::answer, after, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void onRinging(CallInfo call) {
    add("ringing", call.callId(), call.peer(), null);
  }

  @Override
  public void onCallStarted(CallInfo call) {
    add("started", call.callId(), call.peer(), null);
    MediaConfig m = media;
    if (m != null) {
      try {
        session = MediaSession.start(client, call, m);
      } catch (Exception e) {
        add("media-failed", call.callId(), call.peer(), e.toString());
      }
    }
  }

  @Override
  public void onCallEnded(CallInfo call, EndReason reason) {
    long at = System.nanoTime();
    MediaSession s = session;
    session = null;
    if (s != null) {
      lastQuality = s.stop();
      s.close();
    }
    add("ended", call.callId(), call.peer(), reason.name(), at);
  }

  @Override
  public void onError(ErrorCode code, String message) {
    add("error", 0, null, code + ": " + message);
  }

  @Override
  public void onReconnecting(String why) {
    add("reconnecting", 0, null, why);
  }

  /** Like a crash: no goodbye to the server, media stops. */
  void abandon() {
    MediaSession s = session;
    session = null;
    if (s != null) {
      s.close();
    }
    client.abandon();
  }

  @Override
  public void close() {
    MediaSession s = session;
    session = null;
    if (s != null) {
      s.close();
    }
    client.close();
  }

  static void closeAll(List<Party> parties) {
    parties.parallelStream().forEach(Party::close);
  }
}
