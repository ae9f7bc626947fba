package io.causerie.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.causerie.protocol.EndReason;
import io.causerie.protocol.ErrorCode;
import io.causerie.protocol.Message;
import io.causerie.protocol.MessageCodec;
import io.causerie.protocol.PresenceEntry;
import io.causerie.protocol.PresenceState;
import io.causerie.protocol.ProtocolLimits;
import io.causerie.server.ServerConfig;
import io.causerie.server.UdpMediaRelay;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of malformed datagrams of many kinds at a real server's signalling and media ports, while a
 * legitimate call goes on: no crash, no uncaught exception, no leaked session, transaction or login, and
 * the legitimate users do not notice.
 */
class MalformedInputTest {
  private static final Duration T = Duration.ofSeconds(10);
  private static final int PER_KIND = 260;

  @TempDir Path dir;

  @Test
  void aBarrageOfBadDatagramsHarmsNothingWithPlaintextSignalling() throws Exception {
    barrage(true);
  }

  @Test
  void aBarrageOfBadDatagramsNeverGetsPastDtls() throws Exception {
    barrage(false);
  }

  /**
   * Plaintext, the barrage reaches the signalling core, whose decoder and state checks are under test. Over
   * DTLS (the default), none of it is a ClientHello or a record of a known association, so it is dropped and
   * counted before the core, and carol's token, stolen or not, moves nothing.
   */
  private void barrage(boolean plaintext) throws Exception {
    try (ServerFixture fx = new ServerFixture(dir, "alice", "bob", "carol")) {
      // Parsing is under test here, not the flood limit: let every datagram reach the decoder.
      fx.config = fx.config.withAbuse(new ServerConfig.Abuse(5, Duration.ofMinutes(2), Duration.ofMinutes(5),
          1_000_000, 1_000_000)).withPlaintextSignalling(plaintext);
      fx.start();
      RecordingListener a = new RecordingListener();
      RecordingListener b = new RecordingListener();
      SignallingClient alice = fx.connect("alice", a);
      SignallingClient bob = fx.connect("bob", b);
      alice.call("bob");
      b.await("incoming", T);
      bob.answer();
      CallInfo call = a.await("call-started", T).call();
      CallInfo bobCall = b.await("call-started", T).call();
      // carol is a real session whose token the barrage abuses for out-of-state requests.
      long[] carolToken = new long[1];
      SignallingClient carol = fx.connect("carol", new RecordingListener());
      carolToken[0] = carolSession(fx, carol);

      Random rnd = new Random(20261124);
      List<Function<Random, byte[]>> kinds = kinds(carolToken[0], call.callId());
      InetSocketAddress signalling = fx.address();
      InetSocketAddress[] mediaPorts = {
        new InetSocketAddress("127.0.0.1", call.mediaPort()), new InetSocketAddress("127.0.0.1", bobCall.mediaPort())
      };
      int sent = 0;
      // From another loopback address: an attacker on another host.
      try (DatagramChannel attacker = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.2", 0))) {
        for (int round = 0; round < PER_KIND; round++) {
          for (Function<Random, byte[]> kind : kinds) {
            byte[] d = kind.apply(rnd);
            attacker.send(ByteBuffer.wrap(d), signalling);
            sent++;
          }
          attacker.send(ByteBuffer.wrap(randomBytes(rnd, 1 + rnd.nextInt(300))), mediaPorts[round % 2]);
          sent++;
          if (round % 20 == 0) {
            Thread.sleep(5); // stay within the kernel's socket buffer
          }
        }
      }
      assertThat(kinds).hasSizeGreaterThanOrEqualTo(20);
      assertThat(sent).isGreaterThanOrEqualTo(5_000);

      // The legitimate call goes on and ends normally; a new one works.
      Thread.sleep(300);
      alice.hangup();
      assertThat(b.await("call-ended", T).reason()).isEqualTo(EndReason.REMOTE_HANGUP);
      bob.call("alice");
      a.await("incoming", T);
      alice.refuse();
      assertThat(b.await("call-ended", T).reason()).isEqualTo(EndReason.REFUSED);
      assertThat(a.count("error")).isZero();
      assertThat(b.count("error")).isZero();

      assertThat(fx.server.uncaughtFailures()).isZero();
      assertThat(fx.server.<Integer>inspect(c -> c.sessionCount()).intValue()).isEqualTo(3);
      assertThat(fx.server.<Integer>inspect(c -> c.callCount()).intValue()).isZero();
      assertThat(fx.server.relay().dropped(UdpMediaRelay.Drop.WRONG_SOURCE)).isEqualTo(PER_KIND);
      if (plaintext) {
        assertThat(fx.server.<Long>inspect(c -> c.stats().malformed()).longValue()).isGreaterThan(1_000);
      } else {
        // Nothing reached the core; no handshake beyond the three clients'; every datagram counted.
        assertThat(fx.server.<Long>inspect(c -> c.stats().malformed()).longValue()).isZero();
        var dtls = fx.server.dtlsStats();
        assertThat(dtls.handshakesStarted()).isEqualTo(3);
        assertThat(dtls.connectionsOpen()).isEqualTo(3);
        // Each dropped datagram is counted (empty ones are not: there is nothing to count); allow for the few the
        // kernel may drop itself under the burst.
        assertThat(dtls.rejectedTotal() + dtls.cookiesSent()).isGreaterThan((sent - 2L * PER_KIND) * 95 / 100);
      }
      // Half-done logins do not pile up: they expire.
      Thread.sleep(ServerConfig.DEFAULT_LOGIN_TIMEOUT.toMillis() + 500);
      assertThat(fx.server.<Integer>inspect(c -> c.pendingLoginCount()).intValue()).isZero();
      // Plaintext only: requests with carol's token from the attacker's address moved her session there (the
      // token is all that identifies a plaintext client): the few presence notifications sent there go
      // unanswered and are retransmitted until given up, bounded, not piling up. Over DTLS nothing moved.
      assertThat(fx.server.<Integer>inspect(c -> c.outboundCount()).intValue())
          .isLessThanOrEqualTo(plaintext ? 5 : 0);
    }
  }

  private static long carolSession(ServerFixture fx, SignallingClient carol) throws Exception {
    // The token is the client's secret; the test reads it from the server's side.
    return fx.server.<Long>inspect(c -> c.sessionTokenOf("carol"));
  }

  private static byte[] randomBytes(Random rnd, int n) {
    byte[] b = new byte[n];
    rnd.nextBytes(b);
    return b;
  }

  private static byte[] valid(Message m) {
    return MessageCodec.encode(m);
  }

  /** Twenty-odd ways a datagram can be wrong. */
  private static List<Function<Random, byte[]>> kinds(long token, long callId) {
    List<Function<Random, byte[]>> k = new ArrayList<>();
    k.add(r -> randomBytes(r, 1 + r.nextInt(1400))); // random bytes
    k.add(r -> new byte[0]); // empty
    k.add(r -> Arrays.copyOf(valid(new Message.Call(r.nextLong(), token, "bob", List.of("opus"))),
        r.nextInt(25))); // truncated
    k.add(r -> { // oversized
      byte[] b = randomBytes(r, ProtocolLimits.MAX_DATAGRAM_BYTES + 1 + r.nextInt(600));
      b[0] = 0x43;
      b[1] = 0x5A;
      b[2] = 1;
      return b;
    });
    k.add(r -> { // wrong version
      byte[] b = valid(new Message.Keepalive(r.nextLong(), token, 0));
      b[2] = (byte) (2 + r.nextInt(200));
      return b;
    });
    k.add(r -> { // bad magic
      byte[] b = valid(new Message.Keepalive(r.nextLong(), token, 0));
      b[0] = (byte) r.nextInt(0x43);
      return b;
    });
    k.add(r -> { // unknown type
      byte[] b = valid(new Message.Keepalive(r.nextLong(), token, 0));
      b[3] = (byte) (0x60 + r.nextInt(0x90));
      return b;
    });
    k.add(r -> { // a string length beyond the datagram
      byte[] b = valid(new Message.Call(r.nextLong(), token, "bob", List.of()));
      b[ProtocolLimits.HEADER_BYTES] = (byte) 200;
      return b;
    });
    k.add(r -> { // invalid UTF-8
      byte[] b = valid(new Message.Call(r.nextLong(), token, "bob", List.of()));
      b[ProtocolLimits.HEADER_BYTES + 1] = (byte) 0xFF;
      return b;
    });
    k.add(r -> { // trailing bytes
      byte[] b = valid(new Message.Hangup(r.nextLong(), token, callId));
      return Arrays.copyOf(b, b.length + 1 + r.nextInt(10));
    });
    k.add(r -> valid(new Message.Keepalive(r.nextLong(), r.nextLong(), 0))); // unknown session
    k.add(r -> valid(new Message.Accept(r.nextLong(), token, callId, "opus"))); // not carol's call
    k.add(r -> valid(new Message.Hangup(r.nextLong(), token, r.nextLong()))); // no such call
    k.add(r -> valid(new Message.Cancel(r.nextLong(), token, r.nextLong())));
    k.add(r -> valid(new Message.Refuse(r.nextLong(), token, callId)));
    k.add(r -> valid(new Message.Incoming(r.nextLong(), token, r.nextLong(), "alice", List.of()))); // server-only
    k.add(r -> valid(new Message.Presence(r.nextLong(), token, 1, true, true,
        List.of(new PresenceEntry("x", PresenceState.ONLINE)))));
    k.add(r -> valid(new Message.Ok(r.nextLong(), token))); // answers nobody asked for
    k.add(r -> valid(new Message.Error(r.nextLong(), token, ErrorCode.BUSY, "busy")));
    k.add(r -> valid(new Message.AuthFinish(r.nextLong(), 0, r.nextLong(), "c=biws,r=x,p=eA=="))); // no such login
    k.add(r -> valid(new Message.AuthStart(r.nextLong(), 0, "y,,n=alice,r=abc", 0, 0))); // bad SCRAM
    k.add(r -> valid(new Message.AuthStart(r.nextLong(), 0, "n,a=admin,n=alice,r=abc", 0, 0)));
    k.add(r -> { // too many codecs
      byte[] b = valid(new Message.Call(r.nextLong(), token, "bob", List.of("opus")));
      b[ProtocolLimits.HEADER_BYTES + 4] = (byte) 255;
      return b;
    });
    k.add(r -> valid(new Message.Call(r.nextLong(), token, "carol", List.of()))); // calling oneself
    return k;
  }
}
