package io.causerie.bench.jmh;

import io.causerie.media.codec.OpusCodec;
import io.causerie.media.jitter.InsertResult;
import io.causerie.media.jitter.JitterBuffer;
import io.causerie.media.jitter.JitterBufferConfig;
import io.causerie.media.jitter.PlayoutAction;
import io.causerie.media.jitter.PlayoutFrame;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The jitter buffer per packet: one {@code insert} and one {@code poll} (what a 50 packets/s stream costs the
 * receiving client per packet), with the default config and an Opus stream (48 kHz clock, 960-tick frames,
 * 60-byte payloads), on simulated time: packet n is sent at n × 20 ms and arrives 0–4 ms later (a fixed
 * pseudo-random pattern), and the playout clock polls at n × 20 ms + 10 ms. {@code in-order} delivers packets in
 * sequence; {@code reordered} delivers, in every block of 10, packets 3 and 4 swapped and packets 7 and 8 swapped
 * (4 packets in 10 out of order by one place, arrival times kept monotonic as a socket would).
 * Sequence numbers and timestamps wrap as on the wire. The buffer must keep playing frames: checked at teardown.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class JitterBufferBench {
  private static final long FRAME_NANOS = 20_000_000L;
  private static final int PAYLOAD_BYTES = 60;
  private static final int SSRC = 0x1234_5678;
  private static final int[] REORDER = {0, 1, 2, 4, 3, 5, 6, 8, 7, 9};

  @Param({"in-order", "reordered"})
  public String order;

  private JitterBuffer buffer;
  private PlayoutFrame frame;
  private final byte[] payload = new byte[PAYLOAD_BYTES];
  private final long[] jitterNanos = new long[1024];
  private boolean reordered;
  private long step;
  private long frames;
  private long polls;
  private long rejected;

  @Setup(Level.Trial)
  public void setUp() {
    buffer = new JitterBuffer(JitterBufferConfig.DEFAULTS, new OpusCodec());
    frame = new PlayoutFrame(JitterBufferConfig.DEFAULTS.maxPayloadBytes());
    reordered = switch (order) {
      case "in-order" -> false;
      case "reordered" -> true;
      default -> throw new IllegalArgumentException("order: " + order);
    };
    long x = 0x9E3779B97F4A7C15L;
    for (int i = 0; i < jitterNanos.length; i++) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      jitterNanos[i] = Math.floorMod(x, 4_000_000L);
    }
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) (i * 37 + 11);
    }
  }

  @Benchmark
  public PlayoutAction insertAndPoll() {
    long n = step++;
    long seq = reordered ? n - n % 10 + REORDER[(int) (n % 10)] : n;
    long arrival = n * FRAME_NANOS + jitterNanos[(int) (n & 1023)];
    payload[0] = (byte) seq;
    InsertResult r = buffer.insert(SSRC, (int) (seq & 0xFFFF), (seq * OpusCodec.FRAME_SAMPLES) & 0xFFFF_FFFFL,
        payload, 0, PAYLOAD_BYTES, arrival);
    if (r != InsertResult.ACCEPTED) {
      rejected++;
    }
    PlayoutAction a = buffer.poll(n * FRAME_NANOS + FRAME_NANOS / 2, frame);
    polls++;
    if (a == PlayoutAction.FRAME) {
      frames++;
    }
    return a;
  }

  @TearDown(Level.Trial)
  public void check() {
    // A few resyncs/silences at the start are expected; a buffer that stops playing would make the figure moot.
    if (polls > 1_000 && frames < polls * 8 / 10) {
      throw new IllegalStateException("jitter buffer played " + frames + " frames in " + polls + " polls ("
          + rejected + " inserts not accepted): the benchmark no longer measures steady playout");
    }
  }
}
