package io.causerie.server;

import io.causerie.protocol.ClientFeatures;
import io.causerie.protocol.Message;
import io.causerie.protocol.MessageCodec;
import io.causerie.protocol.ProtocolException;
import io.causerie.protocol.scram.ScramClient;
import io.causerie.protocol.scram.ScramException;
import io.causerie.transport.FakeClock;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Drives a {@link SignallingCore} on a fake clock with scripted peers; no sockets, no sleeps. */
final class CoreHarness {
  final FakeClock clock = new FakeClock();
  final FakeUserDirectory users = new FakeUserDirectory();
  final RecordingMediaRelay relay = new RecordingMediaRelay();
  final List<Sent> sent = new ArrayList<>();
  ServerConfig config = ServerConfig.forTests("unused");
  SignallingCore core;
  private long nextTx = 1;

  record Sent(byte[] bytes, InetSocketAddress to) {
    Message message() {
      try {
        return MessageCodec.decode(bytes);
      } catch (ProtocolException e) {
        throw new AssertionError(e);
      }
    }
  }

  CoreHarness start() {
    core = new SignallingCore(config, clock, (b, to) -> sent.add(new Sent(b, to)), users, relay, new SecureRandom());
    return this;
  }

  long tx() {
    return nextTx++;
  }

  void elapse(long millis) {
    for (long t = 0; t < millis; t += 50) {
      clock.elapseMillis(Math.min(50, millis - t));
      core.tick();
    }
  }

  Peer peer(String user, int port) {
    return new Peer(user, new InetSocketAddress("127.0.0.1", port));
  }

  /** One scripted client. */
  final class Peer {
    final String user;
    InetSocketAddress address;
    long token;
    int mediaPort;
    int seen; // index into sent of the first datagram not yet read by this peer
    String scramExtension = "";

    Peer(String user, InetSocketAddress address) {
      this.user = user;
      this.address = address;
    }

    void send(Message m) {
      byte[] b = MessageCodec.encode(m);
      core.onDatagram(b, b.length, address);
    }

    /** Everything sent to this peer since the last call, decoded. */
    List<Message> inbox() {
      List<Message> out = new ArrayList<>();
      for (; seen < sent.size(); seen++) {
        Sent s = sent.get(seen);
        if (s.to().equals(address)) {
          out.add(s.message());
        }
      }
      return out;
    }

    /** Raw datagrams sent to this peer since the last call. */
    List<byte[]> rawInbox() {
      List<byte[]> out = new ArrayList<>();
      for (; seen < sent.size(); seen++) {
        if (sent.get(seen).to().equals(address)) {
          out.add(sent.get(seen).bytes());
        }
      }
      return out;
    }

    /** Answers every notification in the list with OK, returns the non-presence messages. */
    List<Message> ackAll(List<Message> inbox) {
      List<Message> rest = new ArrayList<>();
      for (Message m : inbox) {
        if (m.isRequest()) {
          send(new Message.Ok(m.txid(), token));
        }
        if (!(m instanceof Message.Presence)) {
          rest.add(m);
        }
      }
      return rest;
    }

    /** Reads, acknowledges and returns the messages that are not presence. */
    List<Message> take() {
      return ackAll(inbox());
    }

    <T extends Message> T expect(Class<T> type) {
      return expect(type, m -> true);
    }

    <T extends Message> T expect(Class<T> type, Predicate<T> match) {
      List<Message> got = take();
      for (Message m : got) {
        if (type.isInstance(m) && match.test(type.cast(m))) {
          return type.cast(m);
        }
      }
      throw new AssertionError(user + " expected " + type.getSimpleName() + " but got " + got);
    }

    /** Announces features at sign-in (docs/PROTOCOL.md §3.1), as the product client does; by default none. */
    Peer announcing(ClientFeatures features) {
      scramExtension = features.extension();
      return this;
    }

    /** Full SCRAM sign-in; returns the final answer (AuthOk or Error). */
    Message signIn(String password) {
      return signIn(password, 0);
    }

    /** SCRAM sign-in whose AUTH_FINISH comes {@code delayMillis} after the challenge (a slow, lossy path). */
    Message signIn(String password, long delayMillis) {
      ScramClient scram = new ScramClient(user, password.toCharArray(), "nonce" + user + address.getPort(),
          scramExtension);
      send(new Message.AuthStart(tx(), 0, scram.clientFirstMessage(), 0, 0));
      List<Message> got = inbox();
      Message first = got.get(got.size() - 1);
      if (!(first instanceof Message.AuthChallenge ch)) {
        return first;
      }
      elapse(delayMillis);
      try {
        send(new Message.AuthFinish(tx(), 0, ch.loginId(), scram.clientFinalMessage(ch.serverFirst())));
      } catch (ScramException e) {
        throw new AssertionError(e);
      }
      Message fin = inbox().get(0);
      if (fin instanceof Message.AuthOk ok) {
        try {
          scram.verifyServerFinal(ok.serverFinal());
        } catch (ScramException e) {
          throw new AssertionError(e);
        }
        token = ok.session();
        mediaPort = ok.mediaPort();
        seen = indexOfLastAuthOk() + 1; // leave the presence snapshot unread
      }
      return fin;
    }

    private int indexOfLastAuthOk() {
      for (int i = sent.size() - 1; i >= 0; i--) {
        if (sent.get(i).to().equals(address) && sent.get(i).message() instanceof Message.AuthOk) {
          return i;
        }
      }
      return -1;
    }

    Peer signedIn(String password) {
      Message m = signIn(password);
      if (!(m instanceof Message.AuthOk)) {
        throw new AssertionError(user + " could not sign in: " + m);
      }
      take();
      return this;
    }
  }
}
