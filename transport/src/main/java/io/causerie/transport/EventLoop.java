package io.causerie.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that owns a set of UDP sockets, a task queue and timers: the adapter every signalling
 * core runs in, so the core itself needs no locks.
 */
public final class EventLoop implements Executor, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventLoop.class);

  /** Receive buffer size: larger than any valid datagram so oversize input is seen and rejected. */
  public static final int RECEIVE_BUFFER_BYTES = 2048;

  /**
   * Kernel socket buffers asked for by {@link #bind(SocketAddress, DatagramHandler)} (the kernel caps them at
   * {@code net.core.rmem_max}/{@code wmem_max}): meant for a socket that carries many peers, like a server's
   * signalling socket, which takes bursts of acknowledgements from every session at once; each datagram costs the
   * buffer far more than its length (about 1 KB on loopback), so 1 MB overflowed at 2,000 set-ups/s. Sockets that
   * carry one peer's traffic ask for less with {@link #bind(SocketAddress, DatagramHandler, int)}.
   */
  public static final int SOCKET_BUFFER_BYTES = 4 << 20;

  /** Smallest socket buffer {@link #bind(SocketAddress, DatagramHandler, int)} accepts (the kernel's own floor is ~2 KB). */
  public static final int MIN_SOCKET_BUFFER_BYTES = 4096;

  /** Datagrams read from one socket per wake-up before timers and tasks get their turn. */
  public static final int MAX_DATAGRAMS_PER_WAKEUP = 256;

  /** A scheduled task; cancel() is safe from the loop thread. */
  public static final class Timer implements Comparable<Timer> {
    private static final AtomicLong SEQ = new AtomicLong();
    final long atNanos;
    final long seq = SEQ.incrementAndGet();
    final Runnable task;
    volatile boolean cancelled;

    Timer(long atNanos, Runnable task) {
      this.atNanos = atNanos;
      this.task = task;
    }

    public void cancel() {
      cancelled = true;
    }

    @Override
    public int compareTo(Timer o) {
      int c = Long.compare(atNanos - o.atNanos, 0);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  private final String name;
  private final Clock clock;
  private final Selector selector;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final PriorityQueue<Timer> timers = new PriorityQueue<>(); // loop thread only
  private final byte[] receiveArray = new byte[RECEIVE_BUFFER_BYTES];
  private final ByteBuffer receiveBuffer = ByteBuffer.wrap(receiveArray);
  private final Thread thread;
  private volatile boolean running = true;
  private final java.util.concurrent.atomic.AtomicLong failures = new java.util.concurrent.atomic.AtomicLong();

  public EventLoop(String name, Clock clock) {
    this.name = name;
    this.clock = clock;
    try {
      this.selector = Selector.open();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open a selector", e);
    }
    this.thread = new Thread(this::run, name);
    this.thread.setDaemon(true);
  }

  public EventLoop start() {
    thread.start();
    return this;
  }

  public Clock clock() {
    return clock;
  }

  public boolean inLoop() {
    return Thread.currentThread() == thread;
  }

  /**
   * Binds a UDP socket with {@link #SOCKET_BUFFER_BYTES} kernel buffers and serves it on this loop; throws
   * IOException (e.g. port in use) to the caller.
   */
  public UdpEndpoint bind(SocketAddress local, DatagramHandler handler) throws IOException {
    return bind(local, handler, SOCKET_BUFFER_BYTES);
  }

  /**
   * Binds a UDP socket asking the kernel for {@code socketBufferBytes} of receive and of send buffer (the kernel
   * doubles the figure for its bookkeeping and caps it at {@code net.core.rmem_max}/{@code wmem_max}), and serves
   * it on this loop; throws IOException (e.g. port in use) to the caller.
   *
   * @throws IllegalArgumentException if {@code socketBufferBytes} is below {@link #MIN_SOCKET_BUFFER_BYTES}
   */
  public UdpEndpoint bind(SocketAddress local, DatagramHandler handler, int socketBufferBytes) throws IOException {
    if (socketBufferBytes < MIN_SOCKET_BUFFER_BYTES) {
      throw new IllegalArgumentException("socket buffer of " + socketBufferBytes + " bytes is below "
          + MIN_SOCKET_BUFFER_BYTES);
    }
    DatagramChannel ch = DatagramChannel.open();
    try {
      ch.setOption(StandardSocketOptions.SO_RCVBUF, socketBufferBytes);
      ch.setOption(StandardSocketOptions.SO_SNDBUF, socketBufferBytes);
      ch.bind(local);
      ch.configureBlocking(false);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
    UdpEndpoint ep = new UdpEndpoint(ch, handler);
    CompletableFuture<Void> registered = new CompletableFuture<>();
    execute(() -> {
      try {
        ep.key = ch.register(selector, SelectionKey.OP_READ, ep);
        registered.complete(null);
      } catch (IOException | RuntimeException e) {
        registered.completeExceptionally(e);
      }
    });
    if (!inLoop()) {
      try {
        registered.get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        ep.close();
        throw new IOException("cannot register " + ep.localAddress() + " on " + name, e);
      }
    }
    return ep;
  }

  @Override
  public void execute(Runnable task) {
    tasks.add(task);
    if (!inLoop()) {
      selector.wakeup();
    }
  }

  /** Runs {@code task} on the loop after {@code delayNanos}; call from the loop thread. */
  public Timer schedule(long delayNanos, Runnable task) {
    Timer t = new Timer(clock.nanoTime() + delayNanos, task);
    if (inLoop()) {
      timers.add(t);
    } else {
      execute(() -> timers.add(t));
    }
    return t;
  }

  private void run() {
    try {
      while (running) {
        long timeoutMillis = 0;
        Timer head = timers.peek();
        if (tasks.isEmpty()) {
          if (head == null) {
            timeoutMillis = 1_000;
          } else {
            long waitNanos = head.atNanos - clock.nanoTime();
            timeoutMillis = waitNanos <= 0 ? -1 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos + 999_999));
          }
        } else {
          timeoutMillis = -1;
        }
        if (timeoutMillis < 0) {
          selector.selectNow();
        } else {
          selector.select(timeoutMillis);
        }
        for (SelectionKey key : selector.selectedKeys()) {
          if (key.isValid() && key.isReadable()) {
            drain((UdpEndpoint) key.attachment());
          }
        }
        selector.selectedKeys().clear();
        Runnable task;
        while ((task = tasks.poll()) != null) {
          runSafely(task);
        }
        long now = clock.nanoTime();
        while ((head = timers.peek()) != null && now - head.atNanos >= 0) {
          timers.poll();
          if (!head.cancelled) {
            runSafely(head.task);
          }
        }
      }
    } catch (ClosedSelectorException e) {
      // closing
    } catch (IOException e) {
      log.error("{}: event loop failed: {}", name, e.toString());
    }
  }

  private void drain(UdpEndpoint ep) {
    // Bounded so one busy socket cannot starve timers and tasks.
    for (int i = 0; i < MAX_DATAGRAMS_PER_WAKEUP; i++) {
      receiveBuffer.clear();
      InetSocketAddress source;
      try {
        source = (InetSocketAddress) ep.channel().receive(receiveBuffer);
      } catch (IOException e) {
        // e.g. ICMP port unreachable surfaced on Linux; nothing to read.
        log.debug("{}: receive failed: {}", name, e.toString());
        return;
      }
      if (source == null) {
        return;
      }
      int len = receiveBuffer.position();
      try {
        ep.handler().onDatagram(ep, receiveArray, len, source);
      } catch (RuntimeException e) {
        failures.incrementAndGet();
        log.error("{}: handler failed on a datagram from {}", name, source, e);
      }
    }
  }

  private void runSafely(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      failures.incrementAndGet();
      log.error("{}: task failed", name, e);
    }
  }

  /** Exceptions that escaped a handler, task or timer (each is logged): zero in a healthy server. */
  public long failures() {
    return failures.get();
  }

  /** Runs {@code task} on the loop and waits for it (not from the loop thread). */
  public void runAndWait(Runnable task) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    execute(() -> {
      try {
        task.run();
        done.complete(null);
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
      }
    });
    try {
      done.get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      throw new IllegalStateException(name + ": task failed", e);
    }
  }

  @Override
  public void close() {
    running = false;
    selector.wakeup();
    if (!inLoop()) {
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (SelectionKey key : selector.keys()) {
      if (key.attachment() instanceof UdpEndpoint ep) {
        ep.close();
      }
    }
    try {
      selector.close();
    } catch (IOException e) {
      log.debug("{}: selector close failed: {}", name, e.toString());
    }
  }
}
