package io.causerie.client.media;

import io.causerie.client.CallInfo;
import io.causerie.client.ClientConfig;
import io.causerie.client.ClientListener;
import io.causerie.client.SignallingClient;
import io.causerie.protocol.EndReason;
import io.causerie.protocol.scram.ScramCredential;
import io.causerie.server.CauserieServer;
import io.causerie.server.ServerConfig;
import io.causerie.server.store.Database;
import io.causerie.server.store.JdbcUserStore;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A real server on loopback and clients whose calls carry real media: each party starts a {@link
 * MediaSession} on call-started and stops it on call-ended, as the CLI and the desktop app do.
 */
final class CallHarness implements AutoCloseable {
  final CauserieServer server;
  private final List<Party> parties = new ArrayList<>();

  CallHarness(Path dir, String... users) throws Exception {
    this(dir, io.causerie.server.MediaMode.PORTS, users);
  }

  /** A server whose relay runs in {@code mode}. */
  CallHarness(Path dir, io.causerie.server.MediaMode mode, String... users) throws Exception {
    Path db = dir.resolve("media.db");
    try (Database d = Database.open(db.toString())) {
      JdbcUserStore store = new JdbcUserStore(d);
      for (String u : users) {
        store.add(u, ScramCredential.generate((u + "-pw").toCharArray(), 4096, new SecureRandom()), null);
      }
    }
    server = CauserieServer.start(ServerConfig.forTests(db.toString()).withMediaMode(mode));
  }

  /** One signed-in client that answers every call and runs media with {@code media}. */
  final class Party implements ClientListener {
    final String user;
    final MediaConfig media;
    volatile SignallingClient client;
    volatile MediaSession session;
    final CompletableFuture<CallInfo> started = new CompletableFuture<>();
    final CompletableFuture<QualitySnapshot> ended = new CompletableFuture<>();
    volatile Throwable mediaFailure;

    Party(String user, MediaConfig media) {
      this.user = user;
      this.media = media;
    }

    @Override
    public void onIncoming(CallInfo call) {
      client.answer();
    }

    @Override
    public void onCallStarted(CallInfo call) {
      try {
        session = MediaSession.start(client, call, media);
      } catch (Exception e) {
        mediaFailure = e;
      }
      started.complete(call);
    }

    @Override
    public void onCallEnded(CallInfo call, EndReason reason) {
      MediaSession s = session;
      ended.complete(s == null ? null : s.stop());
    }

    CallInfo awaitStarted() throws Exception {
      CallInfo c = started.get(10, TimeUnit.SECONDS);
      if (mediaFailure != null) {
        throw new AssertionError("media failed to start", mediaFailure);
      }
      return c;
    }

    QualitySnapshot awaitEnded() throws Exception {
      return ended.get(10, TimeUnit.SECONDS);
    }
  }

  Party party(String user, MediaConfig media, String codec, boolean legacy) throws Exception {
    return party(user, media, codec, legacy, true);
  }

  /** A party; {@code redundancy} false is a client that neither offers nor accepts "opus+red" (an old one). */
  Party party(String user, MediaConfig media, String codec, boolean legacy, boolean redundancy) throws Exception {
    Party p = new Party(user, media);
    List<String> codecs = new ArrayList<>(ClientConfig.DEFAULT_CODECS);
    codecs.remove(codec);
    codecs.add(0, codec);
    ClientConfig cfg = ClientConfig.of(server.signallingAddress(), user, (user + "-pw").toCharArray())
        .withConnectTimeout(Duration.ofSeconds(5)).withLegacyPorts(legacy).withCodecs(codecs)
        .withRedundancy(redundancy);
    p.client = new SignallingClient(cfg, p);
    parties.add(p);
    p.client.connect().get(10, TimeUnit.SECONDS);
    return p;
  }

  @Override
  public void close() {
    for (Party p : parties) {
      MediaSession s = p.session;
      if (s != null) {
        s.stop();
      }
      p.client.close();
    }
    server.close();
  }
}
