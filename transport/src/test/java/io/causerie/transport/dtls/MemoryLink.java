package io.causerie.transport.dtls;

import io.causerie.transport.impair.Impairment;
import io.causerie.transport.impair.ImpairmentSpec;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * An in-memory datagram link between one server layer and client layers, each side with its own
 * single-thread "loop", optionally impaired (seeded). No sockets: the addresses are only keys.
 */
final class MemoryLink implements AutoCloseable {
  static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 5060);
  static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);

  /** Receives datagrams delivered to one address. */
  interface Receiver {
    void onDatagram(byte[] buf, int len, InetSocketAddress src);
  }

  private record Packet(byte[] data, InetSocketAddress from, InetSocketAddress to) {}

  /** One direction of the link (towards the server, or towards the clients). */
  final class Pipe {
    private final Impairment<Packet> impairment;
    private final ExecutorService targetLoop;
    private final Map<InetSocketAddress, Receiver> targets = new ConcurrentHashMap<>();
    /** Every datagram sent into this pipe, before impairment. */
    final List<byte[]> sent = new CopyOnWriteArrayList<>();
    final AtomicLong bytes = new AtomicLong();
    final AtomicInteger maxDatagram = new AtomicInteger();
    /** Sees (and may replace, or drop by returning null) each datagram before impairment. */
    volatile UnaryOperator<byte[]> tap = UnaryOperator.identity();

    Pipe(ImpairmentSpec spec, long stream, ExecutorService targetLoop) {
      this.impairment = spec.isNone() ? null : new Impairment<>(spec, stream, Impairment.MAX_PENDING_DATAGRAMS);
      this.targetLoop = targetLoop;
    }

    void target(InetSocketAddress address, Receiver r) {
      targets.put(address, r);
    }

    /** A {@link Sender} for a side whose own address is {@code from}. */
    Sender senderFrom(InetSocketAddress from) {
      return (data, off, len, to) -> send(Arrays.copyOfRange(data, off, off + len), from, to);
    }

    private boolean send(byte[] copy, InetSocketAddress from, InetSocketAddress to) {
      sent.add(copy);
      bytes.addAndGet(copy.length);
      maxDatagram.accumulateAndGet(copy.length, Math::max);
      byte[] d = tap.apply(copy);
      if (d == null) {
        return true;
      }
      Packet p = new Packet(d, from, to);
      if (impairment == null) {
        deliver(p);
        return true;
      }
      boolean scheduled;
      synchronized (impairment) {
        scheduled = impairment.submit(p, System.nanoTime());
      }
      if (TRACE) {
        System.out.printf("%6d ms %s -> %s %s %s%n", (System.nanoTime() - T0) / 1_000_000, from.getPort(),
            to.getPort(), describe(d), scheduled ? "" : "LOST");
      }
      schedulePump();
      return true;
    }

    /** Delivers a datagram now, as if it came from {@code from} (tests forging traffic). */
    void inject(byte[] d, InetSocketAddress from, InetSocketAddress to) {
      deliver(new Packet(d.clone(), from, to));
    }

    private void deliver(Packet p) {
      targetLoop.execute(() -> {
        Receiver r = targets.get(p.to());
        if (r != null) {
          r.onDatagram(p.data().clone(), p.data().length, p.from());
        }
      });
    }

    private void schedulePump() {
      long next;
      synchronized (impairment) {
        if (impairment.pendingCount() == 0) {
          return;
        }
        next = impairment.nextDeliveryNanos();
      }
      long delay = Math.max(0, next - System.nanoTime());
      if (!timer.isShutdown()) {
        try {
          timer.schedule(this::pump, delay, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
          // closing
        }
      }
    }

    private void pump() {
      synchronized (impairment) {
        impairment.pollDue(System.nanoTime(), delivery -> deliver(delivery.datagram()));
      }
      schedulePump();
    }
  }

  static final boolean TRACE = Boolean.getBoolean("dtls.trace");
  private static final long T0 = System.nanoTime();

  static String describe(byte[] d) {
    StringBuilder b = new StringBuilder();
    int off = 0;
    while (off + 13 <= d.length) {
      int type = d[off] & 0xff;
      int epoch = (d[off + 3] & 0xff) << 8 | (d[off + 4] & 0xff);
      int len = (d[off + 11] & 0xff) << 8 | (d[off + 12] & 0xff);
      b.append('[').append(type).append(" e").append(epoch);
      if (type == 22 && epoch == 0 && off + 25 <= d.length) {
        b.append(" hs").append(d[off + 13] & 0xff).append(" mseq").append((d[off + 17] & 0xff) << 8 | (d[off + 18] & 0xff));
      }
      b.append(" len").append(len).append(']');
      off += 13 + len;
    }
    return b.toString();
  }

  final ExecutorService serverLoop = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-server-loop"));
  final ExecutorService clientLoop = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-client-loop"));
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "test-link-timer"));
  /** Client to server. */
  final Pipe toServer;
  /** Server to clients. */
  final Pipe toClient;

  MemoryLink(ImpairmentSpec spec) {
    this.toServer = new Pipe(spec, 1, serverLoop);
    this.toClient = new Pipe(spec, 2, clientLoop);
  }

  /** Runs {@code task} on the server loop and waits. */
  <T> T onServer(Callable<T> task) throws Exception {
    return serverLoop.submit(task).get(10, TimeUnit.SECONDS);
  }

  /** Runs {@code task} on the client loop and waits. */
  <T> T onClient(Callable<T> task) throws Exception {
    return clientLoop.submit(task).get(10, TimeUnit.SECONDS);
  }

  void runOnServer(Runnable task) throws Exception {
    serverLoop.submit(task).get(10, TimeUnit.SECONDS);
  }

  void runOnClient(Runnable task) throws Exception {
    clientLoop.submit(task).get(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    serverLoop.shutdownNow();
    clientLoop.shutdownNow();
  }
}
