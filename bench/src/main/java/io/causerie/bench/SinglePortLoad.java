package io.causerie.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.unix.SegmentedDatagramPacket;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Voice-like load for a server in single-port mode: every bench client sends to the server's one media port with
 * the SSRC the server assigned it, from one of a few shared sockets ({@link #SOCKETS}; the relay latches each
 * client on its own, so clients may share a source address). One Netty event loop paces the sends as {@link
 * MediaLoad} does ({@link PacingSchedule}: each stream every 20 ms, starts spread evenly), waking once per slot
 * ({@link #SEND_EARLY_NANOS}, {@link PacingCursor}) to send every packet due in it, and reads with {@code recvmmsg},
 * telling the streams apart by the stream number in the payload. Latency comes from the send time in the payload,
 * as in {@link MediaLoad}; the generator's CPU is that one thread's.
 *
 * <p>How a slot's packets leave, cheapest first: on epoll with UDP segmentation offload ({@code UDP_SEGMENT}, Linux
 * 4.18+), each socket's packets are written back to back into one pooled buffer and go out as one {@link
 * SegmentedDatagramPacket} per {@link SegmentedSends#segmentsPerSend} packets, all in one {@code sendmmsg}: the
 * kernel runs its send path once per batch and the server still receives one ordinary datagram per packet. On epoll
 * without it, one buffer per packet and one {@code sendmmsg} per socket per slot. On NIO (no epoll), one system call
 * per packet. The sockets are connected to the server's port, so the kernel does no route look-up per packet and
 * the sockets hear only the server.
 *
 * <p>{@link #forPorts(boolean)} drives a server in ports mode the same way: the sockets stay unconnected and each
 * packet is addressed to its client's own server port, so segmentation offload (one destination per batch) does
 * not apply and a slot's packets leave one buffer each, a socket's in one {@code sendmmsg}. Each server port latches
 * the generator socket its client sends from, as it would a real client's.
 */
public final class SinglePortLoad implements AutoCloseable {
  /** Sockets the clients share, client {@code i} on socket {@code i % SOCKETS}. */
  static final int SOCKETS = 4;
  /** Datagrams per {@code recvmmsg}. */
  static final int DATAGRAMS_PER_READ = 64;
  static final int MAX_DATAGRAM_BYTES = 2048;
  static final int SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;
  /**
   * The send slot: a packet due within this much time goes out in the current turn, so one timer wake-up and one
   * {@code sendmmsg} per socket every half millisecond (at 2,000 calls, ~100 packets per slot) instead of every
   * 0.1 ms as {@link MediaLoad} does. Each stream still sends every 20 ms, at most this early; latency is timed from
   * the actual send.
   */
  static final long SEND_EARLY_NANOS = 500_000;
  /** Packets one turn of the loop sends at most before it flushes and lets the reads in. */
  static final int MAX_SENDS_PER_TURN = 256;

  /** How the generator sends, cheapest first; each needs what the one after it needs, and more. */
  public enum Sending {
    /** Epoll with {@code UDP_SEGMENT}: a slot's packets per socket in a few segmentation-offload sends. */
    SEGMENTED,
    /** Epoll: one buffer per packet, one {@code sendmmsg} per socket per slot. */
    SENDMMSG,
    /** Java NIO: one system call per packet (where the epoll transport does not load). */
    NIO;

    /** The cheapest of this and what the machine offers. */
    static Sending available(Sending wanted) {
      Sending best = !Epoll.isAvailable() ? NIO
          : EpollDatagramChannel.isSegmentedDatagramPacketSupported() ? SEGMENTED : SENDMMSG;
      return wanted.ordinal() > best.ordinal() ? wanted : best;
    }
  }

  private final EventLoopGroup group;
  private final EventLoop loop;
  private final Channel[] channels = new Channel[SOCKETS];
  /** The server's one media port; null in ports mode, where each client sends to its own port. */
  private final InetSocketAddress server;
  private final boolean epoll;
  /** Epoll with {@code UDP_SEGMENT}: a slot's packets per socket go out as segmentation-offload sends. */
  private final boolean segmented;
  /** The event loop polls without ever blocking. */
  private final boolean busyPoll;
  /** Index = client: the SSRC it sends with; 0 = not in a call. Written before {@link #run}, read by the loop. */
  private int[] ssrcs = new int[0];
  /** Ports mode: index = client, the server port it sends to (null = not in a call). */
  private InetSocketAddress[] destinations = new InetSocketAddress[0];
  private volatile Run current;

  /** Sockets on 127.0.0.1 sending to {@code serverPort}; epoll where it loads, NIO otherwise. */
  public SinglePortLoad(int serverPort) throws IOException {
    this(serverPort, Sending.SEGMENTED);
  }

  /**
   * The same; with {@code busyPoll} the event loop never sleeps in {@code epoll_wait} but polls without blocking,
   * so a datagram is read as soon as it is queued instead of after the generator's thread (and, on a virtual
   * machine, its idle virtual CPU) is woken. Its core is then always busy: its CPU figure says nothing, and
   * saturation shows only as sender lateness. Epoll only.
   */
  public SinglePortLoad(int serverPort, boolean busyPoll) throws IOException {
    this(new InetSocketAddress(InetAddress.getLoopbackAddress(), serverPort), Sending.SEGMENTED, busyPoll);
  }

  /** The same, sending no cheaper than {@code wanted} (tests use it to run the fallbacks). */
  SinglePortLoad(int serverPort, Sending wanted) throws IOException {
    this(new InetSocketAddress(InetAddress.getLoopbackAddress(), serverPort), wanted, false);
  }

  /**
   * For a server in ports mode: the same few sockets, unconnected, each packet addressed to its client's own
   * server port ({@link #register(int, int, int)}). Segmentation offload needs one destination per batch, so a
   * slot's packets go out one buffer each, all of a socket's in one {@code sendmmsg} (NIO where epoll does not
   * load).
   */
  public static SinglePortLoad forPorts(boolean busyPoll) throws IOException {
    return new SinglePortLoad(null, Sending.SENDMMSG, busyPoll);
  }

  /** The same, sending no cheaper than {@code wanted} (at best {@link Sending#SENDMMSG}). */
  static SinglePortLoad forPorts(Sending wanted) throws IOException {
    return new SinglePortLoad(null, wanted == Sending.SEGMENTED ? Sending.SENDMMSG : wanted, false);
  }

  /** The SSRC a client sends with in ports mode, where the server routes by port and ignores it. */
  public static int portsModeSsrc(int client) {
    return client + 1;
  }

  private SinglePortLoad(InetSocketAddress server, Sending wanted, boolean busyPoll) throws IOException {
    this.server = server;
    Sending sending = Sending.available(wanted); // never cheaper than wanted: SENDMMSG at best in ports mode
    this.epoll = sending != Sending.NIO;
    this.segmented = sending == Sending.SEGMENTED;
    this.busyPoll = busyPoll && epoll;
    // Busy polling: every turn of the loop asks epoll without blocking (the supplier's epoll_wait with a zero
    // timeout) and then runs due tasks, the pacing timer among them.
    IoHandlerFactory io = !epoll ? NioIoHandler.newFactory()
        : this.busyPoll ? EpollIoHandler.newFactory(0, () -> (selectNow, hasTasks) -> selectNow.get())
        : EpollIoHandler.newFactory();
    this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("bench-single-port", true), io);
    this.loop = group.next();
    Bootstrap b = new Bootstrap().group(loop)
        .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
        .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER_BYTES).option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER_BYTES)
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(8 << 20, 16 << 20))
        .handler(new Receiver());
    if (epoll) {
      b.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM_BYTES)
          .option(ChannelOption.RECVBUF_ALLOCATOR,
              new FixedRecvByteBufAllocator(MAX_DATAGRAM_BYTES * DATAGRAMS_PER_READ));
    }
    try {
      InetSocketAddress local = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
      for (int i = 0; i < SOCKETS; i++) {
        channels[i] = (server == null ? b.bind(local) : b.connect(server, local)).sync().channel();
      }
    } catch (Exception e) {
      close();
      throw new IOException("cannot open the bench's media sockets: " + e.getMessage(), e);
    }
  }

  /** How the generator sends and reads, for the report. */
  public String transport() {
    return transportWithoutPolling() + (busyPoll ? ", busy-polling event loop" : "");
  }

  private String transportWithoutPolling() {
    if (server == null) {
      return epoll ? "epoll, " + SOCKETS + " shared sockets each sending to its clients' server ports, "
          + "sendmmsg/recvmmsg" : "nio, " + SOCKETS + " shared sockets, one system call per packet";
    }
    if (segmented) {
      return "epoll, " + SOCKETS + " connected sockets, UDP_SEGMENT batches of up to " + SegmentedSends.MAX_SEGMENTS
          + " packets in sendmmsg, recvmmsg";
    }
    return epoll ? "epoll, " + SOCKETS + " connected sockets, sendmmsg/recvmmsg"
        : "nio, " + SOCKETS + " connected sockets, one system call per packet";
  }

  /** Ports mode: client {@code client} sends with {@code ssrc} to the server's {@code port}. */
  public void register(int client, int ssrc, int port) {
    if (server != null) {
      throw new IllegalStateException("a single-port generator sends to the server's one port");
    }
    register(client, ssrc);
    if (client >= destinations.length) {
      destinations = java.util.Arrays.copyOf(destinations, Math.max(client + 1, destinations.length * 2));
    }
    destinations[client] = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }

  /** Client {@code client} sends with {@code ssrc} (its media id in the current call). */
  public void register(int client, int ssrc) {
    if (client >= ssrcs.length) {
      ssrcs = java.util.Arrays.copyOf(ssrcs, Math.max(client + 1, ssrcs.length * 2));
    }
    ssrcs[client] = ssrc;
  }

  /** Same contract as {@link MediaLoad#run}. */
  public MediaLoad.Result run(int[] active, long warmupNanos, long measureNanos, long drainNanos, int payloadBytes,
      MediaLoad.WindowProbe probe) throws InterruptedException {
    if (payloadBytes < MediaPacket.MIN_BYTES || payloadBytes > MediaPacket.MAX_BYTES) {
      throw new IllegalArgumentException("payload must be " + MediaPacket.MIN_BYTES + ".." + MediaPacket.MAX_BYTES
          + " bytes, got " + payloadBytes);
    }
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
    long measureStart = start + warmupNanos;
    long end = measureStart + measureNanos;
    int max = 0;
    for (int c : active) {
      max = Math.max(max, c + 1);
    }
    if (server == null) {
      for (int c : active) {
        if (c >= destinations.length || destinations[c] == null) {
          throw new IllegalStateException("client " + c + " has no server port");
        }
      }
    }
    PacingSchedule schedule = new PacingSchedule(active.length, PacingSchedule.DEFAULT_PERIOD_NANOS, start,
        MediaLoad.rampNanos(warmupNanos));
    Run r = new Run(active, ssrcs.clone(), destinations.clone(), new PacingCursor(schedule, SEND_EARLY_NANOS),
        measureStart, end, end + drainNanos, payloadBytes, max);
    current = r;
    loop.execute(r::sendDue);
    sleepUntil(measureStart);
    probe.atMeasureStart();
    loop.execute(r::markCpuStart);
    sleepUntil(end);
    probe.atMeasureEnd();
    loop.execute(r::markCpuEnd);
    sleepUntil(end + drainNanos);
    CountDownLatch done = new CountDownLatch(1);
    loop.execute(() -> {
      r.finished = true;
      done.countDown();
    });
    done.await(10, TimeUnit.SECONDS);
    current = null;
    return new MediaLoad.Result(active.length, measureNanos, r.sent, r.arrivals.received, r.arrivals.duplicates,
        r.arrivals.reordered, r.arrivals.tooOld, r.misrouted, r.invalid, r.sendFailures, 0, r.warmupSent,
        r.warmupReceived, r.arrivals.latency, r.lateness, r.cpuNanos(), 0);
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

  /** One measured run; every field belongs to the loop thread until {@link #finished}. */
  private final class Run {
    final int[] active;
    final int[] ssrcOf;
    /** Ports mode: index = client, its server port; empty in single-port mode. */
    final InetSocketAddress[] destinationOf;
    final PacingCursor cursor;
    final long measureStart;
    final long end;
    final long drainEnd;
    final int payloadBytes;
    final ReceptionTracker[] trackers;
    final MeasuredArrivals arrivals = new MeasuredArrivals();
    /** The bench fields of the packet being counted (big-endian, as on the wire). */
    final ByteBuffer fields = ByteBuffer.allocate(MediaPacket.MIN_BYTES);
    final LatencyHistogram lateness = new LatencyHistogram();
    final int[] seq;
    final boolean[] dirty = new boolean[SOCKETS];
    /** Segmented mode: each socket's batch being filled (null: none), and how many packets it holds. */
    final ByteBuf[] batch = new ByteBuf[SOCKETS];
    final int[] batched = new int[SOCKETS];
    final int segmentsPerSend;
    long sent;
    long warmupSent;
    long sendFailures;
    long misrouted;
    long invalid;
    long warmupReceived;
    long cpu0 = -1;
    long cpu1 = -1;
    volatile boolean finished;

    Run(int[] active, int[] ssrcOf, InetSocketAddress[] destinationOf, PacingCursor cursor, long measureStart,
        long end, long drainEnd, int payloadBytes, int clients) {
      this.active = active;
      this.ssrcOf = ssrcOf;
      this.destinationOf = destinationOf;
      this.cursor = cursor;
      this.segmentsPerSend = SegmentedSends.segmentsPerSend(payloadBytes);
      this.measureStart = measureStart;
      this.end = end;
      this.drainEnd = drainEnd;
      this.payloadBytes = payloadBytes;
      this.trackers = new ReceptionTracker[clients];
      this.seq = new int[active.length];
      for (int c : active) {
        trackers[c] = new ReceptionTracker();
      }
    }

    void markCpuStart() {
      cpu0 = threadCpuNanos();
    }

    void markCpuEnd() {
      cpu1 = threadCpuNanos();
    }

    long cpuNanos() {
      return cpu0 < 0 || cpu1 < 0 ? 0 : cpu1 - cpu0;
    }

    /**
     * Sends every packet due within {@link #SEND_EARLY_NANOS}, flushes, and comes back for the next slot; at
     * most {@link #MAX_SENDS_PER_TURN} per turn, so that a generator running late still flushes and reads between
     * batches instead of queueing everything it owes.
     */
    void sendDue() {
      long now = System.nanoTime();
      for (int turn = 0; ; turn++) {
        if (turn == MAX_SENDS_PER_TURN) {
          flushAll();
          loop.execute(this::sendDue); // after the reads that are waiting
          return;
        }
        long due = cursor.dueNanos();
        if (due >= end) {
          flushAll();
          return; // done sending; the receiver keeps going until the run is finished
        }
        if (!cursor.sendable(now)) {
          flushAll();
          long delay = cursor.wakeNanos() - System.nanoTime() - MediaLoad.PARK_OVERSHOOT_NANOS;
          loop.schedule(this::sendDue, Math.max(0, delay), TimeUnit.NANOSECONDS);
          return;
        }
        if (!cursor.joined()) {
          cursor.advance(); // the stream has not joined the ramp yet
          continue;
        }
        int s = cursor.stream();
        int client = active[s];
        boolean measured = due >= measureStart;
        int socket = client % SOCKETS;
        Channel ch = channels[socket];
        byte phase = measured ? MediaPacket.PHASE_MEASURED : MediaPacket.PHASE_WARMUP;
        if (ch.isWritable()) {
          if (segmented) {
            ByteBuf buf = batch[socket];
            if (buf == null) {
              buf = ch.alloc().directBuffer(segmentsPerSend * payloadBytes);
              batch[socket] = buf;
            }
            MediaPacket.write(buf, batched[socket] * payloadBytes, payloadBytes, ssrcOf[client], client, seq[s]++,
                System.nanoTime(), phase);
            if (++batched[socket] == segmentsPerSend) {
              writeBatch(socket);
            }
          } else {
            ByteBuf buf = ch.alloc().directBuffer(payloadBytes);
            MediaPacket.write(buf, payloadBytes, ssrcOf[client], client, seq[s]++, System.nanoTime(), phase);
            // Epoll sends a bare buffer on a connected socket; NIO, and ports mode, want the address.
            ch.write(server == null ? new DatagramPacket(buf, destinationOf[client])
                : epoll ? buf : new DatagramPacket(buf, server), ch.voidPromise());
          }
          dirty[socket] = true;
        } else if (measured) {
          seq[s]++;
          sendFailures++; // the socket's queue is full: the generator cannot keep up
        }
        if (measured) {
          sent++;
          lateness.record(now - due);
        } else {
          warmupSent++;
        }
        cursor.advance();
      }
    }

    /** Segmented mode: queues socket {@code i}'s batch as one segmentation-offload send. */
    private void writeBatch(int i) {
      ByteBuf buf = batch[i];
      batch[i] = null;
      batched[i] = 0;
      channels[i].write(new SegmentedDatagramPacket(buf, payloadBytes, server), channels[i].voidPromise());
    }

    private void flushAll() {
      for (int i = 0; i < SOCKETS; i++) {
        if (batch[i] != null) {
          writeBatch(i);
        }
        if (dirty[i]) {
          dirty[i] = false;
          channels[i].flush();
        }
      }
    }

    /**
     * Counts one datagram. The bench fields are copied once into {@link #fields} and read from there: one bounds
     * and reference-count check per packet instead of one per field of a slice.
     */
    void onPacket(ByteBuf b) {
      long now = System.nanoTime();
      int len = b.readableBytes();
      if (len < MediaPacket.MIN_BYTES) {
        invalid++;
        return;
      }
      b.getBytes(b.readerIndex(), fields.array(), 0, MediaPacket.MIN_BYTES);
      ByteBuffer h = fields;
      if (!MediaPacket.valid(h, len)) {
        invalid++;
        return;
      }
      int stream = MediaPacket.stream(h);
      if (stream < 0 || stream >= trackers.length || trackers[stream] == null
          || ssrcOf[stream] != MediaPacket.ssrc(h)) {
        misrouted++;
        return;
      }
      if (MediaPacket.phase(h) != MediaPacket.PHASE_MEASURED) {
        warmupReceived++;
        return;
      }
      arrivals.count(trackers[stream].onPacket(MediaPacket.seq(h) & 0xFFFFFFFFL),
          now - MediaPacket.sentNanos(h));
    }
  }

  /** Reads on the loop thread; what arrives outside a run is ignored. One instance serves every socket. */
  @io.netty.channel.ChannelHandler.Sharable
  private final class Receiver extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        Run r = current;
        if (r != null && !r.finished && msg instanceof DatagramPacket p) {
          r.onPacket(p.content());
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }
  }

  @Override
  public void close() {
    for (Channel ch : channels) {
      if (ch != null) {
        ch.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
      }
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
  }
}
