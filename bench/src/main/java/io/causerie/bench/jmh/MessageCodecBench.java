package io.causerie.bench.jmh;

import io.causerie.protocol.Message;
import io.causerie.protocol.MessageCodec;
import io.causerie.protocol.Octets;
import io.causerie.protocol.PresenceEntry;
import io.causerie.protocol.PresenceState;
import io.causerie.protocol.ProtocolException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The signalling codec per message ({@link MessageCodec}): encode (message object to datagram bytes) and decode
 * (bytes to a validated message object) of a CALL (callee name, three codecs, 32-byte key commitment) and of a
 * full PRESENCE datagram (16 entries, the protocol's maximum, names of 12–16 characters).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MessageCodecBench {
  private Message.Call call;
  private Message.Presence presence;
  private byte[] callBytes;
  private byte[] presenceBytes;

  @Setup
  public void setUp() {
    byte[] commit = new byte[32];
    for (int i = 0; i < commit.length; i++) {
      commit[i] = (byte) (i * 73 + 5);
    }
    call = new Message.Call(0x0102_0304_0506_0708L, 0x1122_3344_5566_7788L, "marguerite.duras",
        List.of("opus", "pcmu", "pcma"), Octets.of(commit));
    List<PresenceEntry> entries = new ArrayList<>();
    PresenceState[] states = PresenceState.values();
    for (int i = 0; i < 16; i++) {
      entries.add(new PresenceEntry("user-" + i + ".lastname".substring(0, 1 + i % 9), states[i % states.length]));
    }
    presence = new Message.Presence(42L, 0x1122_3344_5566_7788L, 1_234L, true, false, entries);
    callBytes = MessageCodec.encode(call);
    presenceBytes = MessageCodec.encode(presence);
  }

  @Benchmark
  public byte[] encodeCall() {
    return MessageCodec.encode(call);
  }

  @Benchmark
  public Message decodeCall() throws ProtocolException {
    return MessageCodec.decode(callBytes);
  }

  @Benchmark
  public byte[] encodePresence16() {
    return MessageCodec.encode(presence);
  }

  @Benchmark
  public Message decodePresence16() throws ProtocolException {
    return MessageCodec.decode(presenceBytes);
  }
}
