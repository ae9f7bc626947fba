package io.causerie.client.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.causerie.client.CallInfo;
import io.causerie.client.ClientConfig;
import io.causerie.client.ClientListener;
import io.causerie.client.SignallingClient;
import io.causerie.media.codec.Codecs;
import io.causerie.media.crypto.SrtpContext;
import io.causerie.protocol.EndReason;
import io.causerie.protocol.scram.ScramCredential;
import io.causerie.server.CauserieServer;
import io.causerie.server.ServerConfig;
import io.causerie.server.store.Database;
import io.causerie.server.store.JdbcUserStore;
import io.causerie.transport.Clock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a network observer sees of a whole call: every datagram between the clients and the server, signalling and
 * media, captured by forwarders on loopback. Neither password nor user name appears anywhere (signalling is DTLS
 * from the first byte), and the voice — a G.711 tone whose plaintext payload repeats every 8 bytes — does not
 * appear in the media the relay forwards (SRTP). The detector is checked on our own plaintext packets first.
 */
class CaptureTest {
  private static final String ALICE_PW = "correct horse battery staple";
  private static final String BOB_PW = "tr0ub4dor&3";

  @TempDir Path dir;

  @Test
  void aCapturedCallShowsNoPasswordNoNameAndNoVoice() throws Exception {
    Path db = dir.resolve("capture.db");
    try (Database d = Database.open(db.toString())) {
      JdbcUserStore store = new JdbcUserStore(d);
      store.add("alice", ScramCredential.generate(ALICE_PW.toCharArray(), 4096, new SecureRandom()), null);
      store.add("bob", ScramCredential.generate(BOB_PW.toCharArray(), 4096, new SecureRandom()), null);
    }
    List<byte[]> wire = Collections.synchronizedList(new ArrayList<>());
    List<byte[]> media = Collections.synchronizedList(new ArrayList<>());
    try (CauserieServer server = CauserieServer.start(ServerConfig.forTests(db.toString()));
        Forwarder aliceSignal = new Forwarder(server.signallingAddress(), wire);
        Forwarder bobSignal = new Forwarder(server.signallingAddress(), wire)) {
      Party alice = new Party("alice", ALICE_PW, aliceSignal.front(), server.fingerprint(), media);
      Party bob = new Party("bob", BOB_PW, bobSignal.front(), server.fingerprint(), media);
      try {
        alice.client.call("bob");
        CallInfo a = alice.started.get(10, TimeUnit.SECONDS);
        CallInfo b = bob.started.get(10, TimeUnit.SECONDS);
        assertThat(a.sas()).isEqualTo(b.sas());
        // Two seconds of voice each way.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() < deadline || bob.session.quality().received() < 50) {
          Thread.sleep(50);
          assertThat(System.nanoTime() - deadline).isLessThan(TimeUnit.SECONDS.toNanos(8));
        }
        alice.client.hangup();
        bob.ended.get(10, TimeUnit.SECONDS);
      } finally {
        alice.close();
        bob.close();
      }
    }
    List<byte[]> all = new ArrayList<>(wire);
    all.addAll(media);
    assertThat(wire.size()).as("signalling datagrams captured").isGreaterThan(20);
    assertThat(media.size()).as("media datagrams captured").isGreaterThan(150);
    for (String secret : List.of(ALICE_PW, BOB_PW, "alice", "bob")) {
      byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
      assertThat(all).as("'%s' on the wire", secret).noneMatch(d -> contains(d, needle));
    }
    // The detector finds the tone in plaintext packets our own pipeline makes...
    assertThat(plaintextTonePackets()).allMatch(CaptureTest::looksLikeTheTone);
    // ...and in none of the datagrams that crossed the relay.
    assertThat(media).noneMatch(CaptureTest::looksLikeTheTone);
  }

  @Test
  void mediaTamperedWithOrReplayedOnTheWayIsDroppedAndCounted() throws Exception {
    Path db = dir.resolve("tamper.db");
    try (Database d = Database.open(db.toString())) {
      JdbcUserStore store = new JdbcUserStore(d);
      store.add("alice", ScramCredential.generate(ALICE_PW.toCharArray(), 4096, new SecureRandom()), null);
      store.add("bob", ScramCredential.generate(BOB_PW.toCharArray(), 4096, new SecureRandom()), null);
    }
    List<byte[]> ignored = Collections.synchronizedList(new ArrayList<>());
    try (CauserieServer server = CauserieServer.start(ServerConfig.forTests(db.toString()))) {
      Party alice = new Party("alice", ALICE_PW, server.signallingAddress(), server.fingerprint(), ignored);
      Party bob = new Party("bob", BOB_PW, server.signallingAddress(), server.fingerprint(), ignored);
      bob.tamperDownstream = true; // what reaches bob: a forged copy of each packet, the packet, and a replay
      try {
        alice.client.call("bob");
        alice.started.get(10, TimeUnit.SECONDS);
        bob.started.get(10, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
        // Reports (SRTCP) are forged and replayed too, so wait for every figure rather than for one of them.
        while ((bob.session.cryptoDrops(SrtpContext.Reason.REPLAYED) < 50
            || bob.session.cryptoDrops(SrtpContext.Reason.AUTH_FAILED) < 50 || bob.session.quality().received() < 50)
            && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        MediaSession s = bob.session;
        assertThat(s.cryptoDrops(SrtpContext.Reason.REPLAYED)).isGreaterThanOrEqualTo(50);
        assertThat(s.cryptoDrops(SrtpContext.Reason.AUTH_FAILED)).isGreaterThanOrEqualTo(50);
        // The genuine packets still play: each was accepted once.
        assertThat(s.quality().received()).isGreaterThanOrEqualTo(50);
        alice.client.hangup();
        bob.ended.get(10, TimeUnit.SECONDS);
      } finally {
        alice.close();
        bob.close();
      }
    }
  }

  /** Plain RTP packets of the test tone as the send path makes them, skipping the resampler's start. */
  private static List<byte[]> plaintextTonePackets() throws Exception {
    SendPath send = new SendPath(Codecs.byName("pcmu"), 1, 0, 0);
    var source = AudioInput.tone(TONE_HZ).open();
    short[] pcm = new short[io.causerie.media.audio.PipelineFormat.FRAME_SAMPLES];
    byte[] packet = new byte[send.maxPacketBytes()];
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      source.readFrame(pcm, 0);
      int len = send.packetize(pcm, 0, packet, i * 20_000_000L);
      if (i >= 5 && len > 0) {
        out.add(java.util.Arrays.copyOf(packet, len));
      }
    }
    assertThat(out).hasSizeGreaterThan(10);
    return out;
  }

  /** 1 kHz at the 8 kHz of G.711: the plaintext payload repeats every 8 bytes. */
  private static final double TONE_HZ = 1000;

  private static boolean looksLikeTheTone(byte[] d) {
    int run = 0;
    for (int i = 0; i + 8 < d.length; i++) {
      run = d[i] == d[i + 8] ? run + 1 : 0;
      if (run >= 64) {
        return true;
      }
    }
    return false;
  }

  private static boolean contains(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /** A client that answers, sends the tone in G.711, and sends its media through a capturing forwarder. */
  private static final class Party implements ClientListener {
    final SignallingClient client;
    final List<byte[]> capture;
    final CompletableFuture<CallInfo> started = new CompletableFuture<>();
    final CompletableFuture<EndReason> ended = new CompletableFuture<>();
    volatile MediaSession session;
    volatile Forwarder mediaForwarder;
    volatile boolean tamperDownstream;

    Party(String user, String password, InetSocketAddress server, String fingerprint, List<byte[]> capture)
        throws Exception {
      this.capture = capture;
      this.client = new SignallingClient(ClientConfig.of(server, user, password.toCharArray())
          .withCodecs(List.of("pcmu")).withServerFingerprint(fingerprint).withConnectTimeout(Duration.ofSeconds(5)),
          this);
      client.connect().get(10, TimeUnit.SECONDS);
    }

    @Override
    public void onIncoming(CallInfo call) {
      client.answer();
    }

    @Override
    public void onCallStarted(CallInfo call) {
      try {
        mediaForwarder = new Forwarder(new InetSocketAddress(client.server().getAddress(), call.mediaPort()), capture);
        mediaForwarder.tamper = tamperDownstream;
        session = MediaSession.start(client.user(), call.codec(), call.keys(), mediaForwarder.front(),
            InetAddress.getLoopbackAddress(), null, MediaConfig.defaults().withInput(AudioInput.tone(TONE_HZ)),
            Clock.SYSTEM);
        started.complete(call);
      } catch (Exception e) {
        started.completeExceptionally(e);
      }
    }

    @Override
    public void onCallEnded(CallInfo call, EndReason reason) {
      ended.complete(reason);
    }

    void close() {
      MediaSession s = session;
      if (s != null) {
        s.stop();
      }
      client.close();
      Forwarder f = mediaForwarder;
      if (f != null) {
        f.close();
      }
    }
  }

  /** Forwards one client's datagrams to an upstream address and back, keeping a copy of each. */
  private static final class Forwarder implements AutoCloseable {
    private final DatagramChannel front;
    private final DatagramChannel back;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile InetSocketAddress client;
    /** Towards the client: a copy of each datagram with one bit flipped, the datagram, then the datagram again. */
    volatile boolean tamper;

    Forwarder(InetSocketAddress upstream, List<byte[]> capture) throws Exception {
      InetAddress lo = InetAddress.getLoopbackAddress();
      front = DatagramChannel.open().bind(new InetSocketAddress(lo, 0));
      back = DatagramChannel.open().bind(new InetSocketAddress(lo, 0));
      front.configureBlocking(false);
      back.configureBlocking(false);
      thread = new Thread(() -> {
        ByteBuffer buf = ByteBuffer.allocate(4096);
        while (running) {
          try {
            boolean idle = true;
            buf.clear();
            InetSocketAddress from = (InetSocketAddress) front.receive(buf);
            if (from != null) {
              idle = false;
              client = from;
              buf.flip();
              capture.add(java.util.Arrays.copyOf(buf.array(), buf.limit()));
              back.send(buf, upstream);
            }
            buf.clear();
            if (back.receive(buf) != null && client != null) {
              idle = false;
              buf.flip();
              byte[] copy = java.util.Arrays.copyOf(buf.array(), buf.limit());
              capture.add(copy);
              if (tamper && copy.length > 20) {
                // The forgery first (a replayed index would be refused as a replay before its tag is checked).
                byte[] forged = copy.clone();
                forged[forged.length / 2] ^= 0x01;
                front.send(ByteBuffer.wrap(forged), client);
              }
              front.send(buf, client);
              if (tamper && copy.length > 20) {
                front.send(ByteBuffer.wrap(copy), client);
              }
            }
            if (idle) {
              Thread.sleep(1);
            }
          } catch (Exception e) {
            return;
          }
        }
      }, "capture-forwarder");
      thread.setDaemon(true);
      thread.start();
    }

    InetSocketAddress front() throws Exception {
      return (InetSocketAddress) front.getLocalAddress();
    }

    @Override
    public void close() {
      running = false;
      try {
        thread.join(1000);
        front.close();
        back.close();
      } catch (Exception e) {
        // closing a test forwarder
      }
    }
  }
}
