package io.causerie.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Voice-like load through the relay: every bench client has its own non-blocking UDP socket connected to its
 * server media port; one sender thread sends each stream one packet every 20 ms (starts spread evenly over the
 * period, see {@link PacingSchedule}), and one receiver thread waits on all sockets with a {@link Selector} and
 * measures loss, duplicates, reordering and one-way latency from the timestamp each packet carries.
 *
 * <p>Client {@code i}'s call peer is client {@code i ^ 1}: streams of a call are adjacent. The hot loops
 * allocate nothing: direct buffers, absolute puts and gets, no per-packet objects.
 */
public final class MediaLoad implements AutoCloseable {
  /**
   * A packet due within this much time is sent at once rather than after a park: parking costs a timer
   * syscall and overshoots by ~50-100 µs anyway, so at high rates the sender sends in small batches, each
   * packet at most this early.
   */
  static final long SEND_EARLY_NANOS = 100_000;
  /** Parks end this much before the due time, to make up for the overshoot. */
  static final long PARK_OVERSHOOT_NANOS = 50_000;
  /** Reads per ready socket before the receiver looks at the others. */
  static final int READS_PER_WAKEUP = 32;

  /** What one run measured. Latency and lateness are in nanoseconds. */
  public record Result(int streams, long measuredNanos, long sent, long received, long duplicates, long reordered,
      long tooOld, long misrouted, long invalid, long sendFailures, long readErrors, long warmupSent,
      long warmupReceived, LatencyHistogram latency, LatencyHistogram lateness, long senderCpuNanos,
      long receiverCpuNanos) {

    public long lost() {
      return Math.max(0, sent - received);
    }

    public double lossPercent() {
      return sent == 0 ? 0 : 100.0 * lost() / sent;
    }

    /** Loss over the unmeasured warm-up (ramp and cold JIT included): shown, never part of the verdict. */
    public double warmupLossPercent() {
      return warmupSent == 0 ? 0 : 100.0 * Math.max(0, warmupSent - warmupReceived) / warmupSent;
    }
  }

  /** Called by the thread that runs {@link #run} when the measured window opens and closes. */
  public interface WindowProbe {
    /** A probe that does nothing. */
    WindowProbe NONE = new WindowProbe() {
      @Override
      public void atMeasureStart() {}

      @Override
      public void atMeasureEnd() {}
    };

    void atMeasureStart();

    void atMeasureEnd();
  }

  /** Index = client; grows as clients are connected; not changed during {@link #run}. */
  private DatagramChannel[] channels = new DatagramChannel[0];

  /** No sockets yet: {@link #connect} adds them. */
  public MediaLoad() {}

  /** Gives client {@code client} a socket on 127.0.0.1, connected to its server media port. */
  public void connect(int client, int serverMediaPort) throws IOException {
    if (client >= channels.length) {
      channels = java.util.Arrays.copyOf(channels, Math.max(client + 1, channels.length * 2));
    }
    if (channels[client] != null) {
      channels[client].close();
    }
    DatagramChannel ch = open();
    channels[client] = ch;
    ch.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), serverMediaPort));
  }

  /** Two sockets connected to each other: the same measurement without a relay, for a baseline. */
  public static MediaLoad direct() throws IOException {
    DatagramChannel a = open();
    DatagramChannel b = open();
    a.connect(b.getLocalAddress());
    b.connect(a.getLocalAddress());
    MediaLoad m = new MediaLoad();
    m.channels = new DatagramChannel[] {a, b};
    return m;
  }

  private static DatagramChannel open() throws IOException {
    DatagramChannel ch = DatagramChannel.open();
    ch.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    ch.configureBlocking(false);
    return ch;
  }


  /** Share of the warm-up over which the streams join one by one (the rest runs at full load, unmeasured). */
  static final double RAMP_SHARE_OF_WARMUP = 0.5;

  /** How long the streams take to join: {@link #RAMP_SHARE_OF_WARMUP} of the warm-up. */
  static long rampNanos(long warmupNanos) {
    return (long) (warmupNanos * RAMP_SHARE_OF_WARMUP);
  }

  /**
   * Sends on the given clients' streams for {@code warmupNanos} (not counted: the relay latches addresses and the
   * server's JIT compiles; the streams join evenly over its first {@link #RAMP_SHARE_OF_WARMUP}) and
   * then {@code measureNanos}; the receiver keeps reading {@code drainNanos} longer. Returns when both threads
   * are done; bounded in time by construction.
   *
   * @param active client indices, whole calls only (i and i ^ 1 both present)
   */
  public Result run(int[] active, long warmupNanos, long measureNanos, long drainNanos, int payloadBytes,
      WindowProbe probe) throws IOException, InterruptedException {
    if (payloadBytes < MediaPacket.MIN_BYTES || payloadBytes > MediaPacket.MAX_BYTES) {
      throw new IllegalArgumentException("payload must be " + MediaPacket.MIN_BYTES + ".." + MediaPacket.MAX_BYTES
          + " bytes, got " + payloadBytes);
    }
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
    long measureStart = start + warmupNanos;
    long end = measureStart + measureNanos;
    Sender sender = new Sender(active, new PacingSchedule(active.length, PacingSchedule.DEFAULT_PERIOD_NANOS, start,
        rampNanos(warmupNanos)),
        measureStart, end, payloadBytes);
    Receiver receiver = new Receiver(active, measureStart, end, end + drainNanos);
    Thread r = new Thread(receiver, "bench-media-receiver");
    Thread s = new Thread(sender, "bench-media-sender");
    r.setDaemon(true);
    s.setDaemon(true);
    r.start();
    s.start();
    sleepUntil(measureStart);
    probe.atMeasureStart();
    sleepUntil(end);
    probe.atMeasureEnd();
    long joinMillis = TimeUnit.NANOSECONDS.toMillis(end + drainNanos - System.nanoTime()) + 5_000;
    s.join(joinMillis);
    r.join(joinMillis);
    sender.stop = true;
    receiver.stop = true;
    s.join(5_000);
    r.join(5_000);
    if (receiver.failure != null) {
      throw receiver.failure;
    }
    MeasuredArrivals a = receiver.arrivals;
    return new Result(active.length, measureNanos, sender.sent, a.received, a.duplicates, a.reordered, a.tooOld,
        receiver.misrouted, receiver.invalid, sender.failures, receiver.readErrors, sender.warmupSent,
        receiver.warmupReceived, a.latency, sender.lateness, sender.cpuNanos, receiver.cpuNanos);
  }

  private static void sleepUntil(long deadlineNanos) throws InterruptedException {
    long wait;
    while ((wait = deadlineNanos - System.nanoTime()) > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
  }

  private static long threadCpuNanos() {
    ThreadMXBean t = ManagementFactory.getThreadMXBean();
    return t.isCurrentThreadCpuTimeSupported() ? t.getCurrentThreadCpuTime() : 0;
  }

  /** Sends on schedule. Its fields are read after the thread ends. */
  private final class Sender implements Runnable {
    final int[] active;
    final PacingSchedule schedule;
    final long measureStart;
    final long end;
    final int payloadBytes;
    final LatencyHistogram lateness = new LatencyHistogram();
    volatile boolean stop;
    long sent;
    long warmupSent;
    long failures;
    long cpuNanos;

    Sender(int[] active, PacingSchedule schedule, long measureStart, long end, int payloadBytes) {
      this.active = active;
      this.schedule = schedule;
      this.measureStart = measureStart;
      this.end = end;
      this.payloadBytes = payloadBytes;
    }

    @Override
    public void run() {
      long cpu0 = -1;
      ByteBuffer buf = ByteBuffer.allocateDirect(payloadBytes);
      MediaPacket.init(buf, payloadBytes);
      int n = active.length;
      int[] seq = new int[n];
      outer:
      for (long k = 0; ; k++) {
        for (int s = 0; s < n; s++) {
          long due = schedule.dueNanos(k, s);
          if (due >= end || stop) {
            break outer;
          }
          if (!schedule.joined(k, s)) {
            continue; // the stream has not joined the ramp yet
          }
          long now = System.nanoTime();
          while (due - now > SEND_EARLY_NANOS) {
            LockSupport.parkNanos(due - now - PARK_OVERSHOOT_NANOS);
            now = System.nanoTime();
          }
          boolean measured = due >= measureStart;
          if (measured && cpu0 < 0) {
            cpu0 = threadCpuNanos(); // CPU is counted over the measured window only
          }
          int client = active[s];
          MediaPacket.write(buf, client, seq[s]++, System.nanoTime(),
              measured ? MediaPacket.PHASE_MEASURED : MediaPacket.PHASE_WARMUP);
          buf.clear();
          int written;
          try {
            written = channels[client].write(buf);
          } catch (IOException e) {
            written = 0;
          }
          if (!measured) {
            warmupSent++;
            continue;
          }
          sent++;
          lateness.record(now - due);
          if (written <= 0) {
            failures++; // the socket buffer was full: the generator could not keep up
          }
        }
      }
      cpuNanos = cpu0 < 0 ? 0 : threadCpuNanos() - cpu0;
    }
  }

  /** Reads every socket through one selector. Its fields are read after the thread ends. */
  private final class Receiver implements Runnable {
    final int[] active;
    final long measureStart;
    final long measureEnd;
    final long end;
    final ReceptionTracker[] trackers = new ReceptionTracker[channels.length];
    final MeasuredArrivals arrivals = new MeasuredArrivals();
    final ByteBuffer buf = ByteBuffer.allocateDirect(2048);
    final Consumer<SelectionKey> onReady = this::drain;
    volatile boolean stop;
    IOException failure;
    long misrouted;
    long invalid;
    long readErrors;
    long warmupReceived;
    long cpuNanos;

    Receiver(int[] active, long measureStart, long measureEnd, long end) {
      this.active = active;
      this.measureStart = measureStart;
      this.measureEnd = measureEnd;
      this.end = end;
      for (int c : active) {
        trackers[c] = new ReceptionTracker();
      }
    }

    @Override
    public void run() {
      long cpu0 = -1;
      long cpu1 = -1;
      try (Selector selector = Selector.open()) {
        for (int c : active) {
          channels[c].register(selector, SelectionKey.OP_READ, c);
        }
        long now;
        while (!stop && (now = System.nanoTime()) - end < 0) {
          // CPU is counted over the measured window only.
          if (cpu0 < 0 && now - measureStart >= 0) {
            cpu0 = threadCpuNanos();
          } else if (cpu1 < 0 && now - measureEnd >= 0) {
            cpu1 = threadCpuNanos();
          }
          selector.select(onReady, 5);
        }
      } catch (IOException e) {
        failure = e;
      }
      cpuNanos = cpu0 < 0 ? 0 : (cpu1 < 0 ? threadCpuNanos() : cpu1) - cpu0;
    }

    private void drain(SelectionKey key) {
      DatagramChannel ch = (DatagramChannel) key.channel();
      int owner = (Integer) key.attachment();
      for (int i = 0; i < READS_PER_WAKEUP; i++) {
        buf.clear();
        int len;
        try {
          len = ch.read(buf);
        } catch (IOException e) {
          readErrors++; // e.g. ICMP port unreachable from a closed server port
          return;
        }
        if (len <= 0) {
          return;
        }
        long now = System.nanoTime();
        if (!MediaPacket.valid(buf, len)) {
          invalid++;
          continue;
        }
        int stream = MediaPacket.stream(buf);
        if (stream != (owner ^ 1) || stream < 0 || stream >= trackers.length || trackers[stream] == null) {
          misrouted++;
          continue;
        }
        if (MediaPacket.phase(buf) != MediaPacket.PHASE_MEASURED) {
          warmupReceived++;
          continue;
        }
        arrivals.count(trackers[stream].onPacket(MediaPacket.seq(buf) & 0xFFFFFFFFL),
            now - MediaPacket.sentNanos(buf));
      }
    }
  }

  private static void closeAll(DatagramChannel[] chs) {
    for (DatagramChannel ch : chs) {
      if (ch != null) {
        try {
          ch.close();
        } catch (IOException e) {
          // closing anyway
        }
      }
    }
  }

  @Override
  public void close() {
    closeAll(channels);
  }
}
