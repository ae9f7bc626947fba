package io.causerie.server;

import io.causerie.transport.Clock;
import io.causerie.transport.EventLoop;
import io.causerie.transport.UdpEndpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media relay. In the default {@link MediaMode#PORTS} layout: one UDP port per signed-in client (6001+n by
 * default), each forwarding what it receives to its call peer, from the peer's own port, to the address the peer's
 * media comes from. In {@link MediaMode#SINGLE_PORT}: every call on one port, each datagram routed by the media id
 * (the SSRC the server assigned its sender in CALL_STARTED, docs/PROTOCOL.md §8.7), read and written in batches
 * with Netty's native epoll transport where it loads.
 *
 * <p>Hygiene (docs/SECURITY.md §4): a port takes media only from its client's signalling host, and within a call
 * only from the first source port it heard (it moves to another port of that host only after the latched one has
 * been silent for {@link #RELATCH_AFTER_SILENCE_MILLIS}); it forwards only while its client is in a call; and
 * each port is capped in packets and bytes per second to a multiple of what a call needs ({@link Limits}). The
 * relay forwards the clients' SRTP as it is: it never holds a media key.
 *
 * <p>Forwarding state is written by the signalling thread and read by the relay thread through
 * volatile fields; sockets belong to the relay's own event loop.
 */
public final class UdpMediaRelay implements MediaRelay, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(UdpMediaRelay.class);

  /** Why a media datagram was not forwarded. */
  public enum Drop {
    /** It came from a host other than the client's signalling host. */
    WRONG_SOURCE,
    /** The port is not in an active call. */
    NOT_IN_CALL,
    /** The peer has not sent media yet, so its address is unknown. */
    PEER_NOT_LATCHED,
    /** The kernel refused the send. */
    SEND_FAILED,
    /** It came from another port of the client's host while the latched port is still sending. */
    OTHER_PORT,
    /** The port exceeded its packet or byte rate cap. */
    RATE_LIMITED,
    /**
     * Single-port mode: no call's party sends with this media id (SSRC), or the datagram is not RTP or RTCP
     * version 2 and so has none.
     */
    UNKNOWN_MEDIA_ID
  }

  /**
   * System property choosing the single-port transport: {@code epoll} (the default where it loads) or {@code nio}
   * (for comparison, or where the native library misbehaves).
   */
  public static final String TRANSPORT_PROPERTY = "causerie.relay.transport";

  /**
   * Kernel socket buffers asked for on each client's own port (ports mode). One port carries one client's media
   * (50 packets/s) in, and its peer's out; the kernel doubles the figure, and a datagram of a few hundred bytes
   * costs about 830 bytes of it on loopback, so 64 KiB holds ~157 datagrams of 188 bytes: three seconds of a
   * call, or one and a half times the burst a port may take ({@link Limits}: 200 packets/s for 0.5 s). The
   * signalling socket and the single media port, which carry everyone, keep {@link EventLoop#SOCKET_BUFFER_BYTES}.
   * Asking 4 MB for each of 2,000 ports let the kernel queue up to 16 GB behind a stalled relay thread.
   */
  public static final int PORT_SOCKET_BUFFER_BYTES = 64 * 1024;

  /** A source port that has been silent this long may be replaced by another port of the same host. */
  public static final long RELATCH_AFTER_SILENCE_MILLIS = 1_000;

  /**
   * Per-port caps: a call sends 50 packets/s of at most a few hundred bytes each way, so the defaults leave
   * four times the packet rate and ten times the byte rate of a 40 kbit/s Opus call with its RTCP.
   *
   * @param packetsPerSecond sustained packets per second a port accepts
   * @param bytesPerSecond sustained bytes per second a port accepts
   * @param burstSeconds how many seconds of either rate may arrive at once
   */
  public record Limits(double packetsPerSecond, double bytesPerSecond, double burstSeconds) {
    public static final double DEFAULT_PACKETS_PER_SECOND = 200;
    public static final double DEFAULT_BYTES_PER_SECOND = 64_000;
    public static final double DEFAULT_BURST_SECONDS = 0.5;
    public static final Limits DEFAULTS =
        new Limits(DEFAULT_PACKETS_PER_SECOND, DEFAULT_BYTES_PER_SECOND, DEFAULT_BURST_SECONDS);

    public Limits {
      if (!(packetsPerSecond > 0) || !(bytesPerSecond > 0) || !(burstSeconds > 0)) {
        throw new IllegalArgumentException("media rate caps must be positive");
      }
    }
  }

  private final MediaMode mode;
  /** Ports mode: the loop owning every port's socket. Null in single-port mode. */
  private final EventLoop loop;
  /** Single-port mode: the socket and its thread, and the demultiplexing core. Null in ports mode. */
  private final SinglePortTransport single;
  private final SinglePortRelayCore singleCore;
  /** A view over the loop's receive array, reused for every forward (relay thread only: no allocation). */
  private ByteBuffer forwardView;
  private final InetAddress bindAddress;
  private final Deque<Integer> freePorts = new ArrayDeque<>(); // signalling thread only
  private final boolean ephemeral;
  private final RelayCounters counters = new RelayCounters();
  /** Single-port mode: media ids of calls in progress (signalling thread only). */
  private final Set<Integer> idsInUse = new HashSet<>();
  private final SecureRandom random = new SecureRandom();

  /** One client's port and its forwarding state (ports mode). */
  private final class RelayPort extends RelayLeg implements Port {
    final UdpEndpoint endpoint;

    RelayPort(String user, UdpEndpoint endpoint, InetAddress allowedIp, InetSocketAddress fixedReply) {
      super(user, allowedIp, fixedReply, limits, clock.nanoTime());
      this.endpoint = endpoint;
    }

    @Override
    public int port() {
      return endpoint.localAddress().getPort();
    }

    /** Relay thread. */
    void onDatagram(byte[] buf, int len, InetSocketAddress source) {
      InetSocketAddress to = route(len, source, clock.nanoTime(), counters);
      if (to == null) {
        return;
      }
      RelayPort p = (RelayPort) peer;
      if (p == null) {
        counters.drop(Drop.NOT_IN_CALL); // the call ended meanwhile
        return;
      }
      if (forwardView == null || forwardView.array() != buf) {
        forwardView = ByteBuffer.wrap(buf);
      }
      forwardView.limit(len).position(0);
      if (p.endpoint.send(forwardView, to)) {
        counters.forwarded(len);
      } else {
        counters.drop(Drop.SEND_FAILED);
      }
    }
  }

  /** One client on the shared port (single-port mode). */
  private final class SharedPortLeg extends RelayLeg implements Port {
    SharedPortLeg(String user, InetAddress allowedIp, InetSocketAddress fixedReply) {
      super(user, allowedIp, fixedReply, limits, clock.nanoTime());
    }

    @Override
    public int port() {
      return single.port();
    }

    @Override
    public int mediaId() {
      return mediaId;
    }
  }

  private final Clock clock;
  private final Limits limits;

  /**
   * One port per client.
   *
   * @param from first port of the range, or 0 (with {@code to} 0) for ephemeral ports
   */
  public UdpMediaRelay(InetAddress bindAddress, int from, int to, Clock clock) {
    this(bindAddress, from, to, clock, Limits.DEFAULTS);
  }

  /** One port per client, with these caps. */
  public UdpMediaRelay(InetAddress bindAddress, int from, int to, Clock clock, Limits limits) {
    this(bindAddress, from, to, clock, limits, MediaMode.PORTS);
  }

  /**
   * A relay in {@code mode}; in single-port mode it binds {@code from} (0: an ephemeral port) at once.
   *
   * @throws UncheckedIOException when the single port cannot be bound
   */
  public UdpMediaRelay(InetAddress bindAddress, int from, int to, Clock clock, Limits limits, MediaMode mode) {
    this.clock = clock;
    this.limits = limits;
    this.mode = mode;
    this.bindAddress = bindAddress;
    this.ephemeral = from == 0 && to == 0;
    if (mode == MediaMode.PORTS) {
      for (int p = from; !ephemeral && p <= to; p++) {
        freePorts.add(p);
      }
      this.single = null;
      this.singleCore = null;
      this.loop = new EventLoop("causerie-relay", clock).start();
      return;
    }
    this.loop = null;
    this.singleCore = new SinglePortRelayCore(counters);
    this.single = openSinglePort(new InetSocketAddress(bindAddress, from), singleCore, clock);
    log.info("media: single-port mode on udp {}:{}, {}", bindAddress.getHostAddress(), single.port(),
        single.describe());
  }

  private static SinglePortTransport openSinglePort(InetSocketAddress bind, SinglePortRelayCore core, Clock clock) {
    String wanted = System.getProperty(TRANSPORT_PROPERTY, "epoll");
    try {
      if (!"nio".equalsIgnoreCase(wanted)) {
        if (EpollSinglePort.available()) {
          return new EpollSinglePort(bind, core, clock);
        }
        log.warn("media: Netty's native epoll transport is not available ({}); the single port falls back to NIO,"
            + " one system call per datagram", String.valueOf(EpollSinglePort.unavailabilityCause()));
      }
      return new NioSinglePort(bind, core, clock);
    } catch (IOException e) {
      throw new UncheckedIOException(new IOException("cannot bind the media port udp "
          + bind.getAddress().getHostAddress() + ":" + bind.getPort() + ": " + e.getMessage(), e));
    } catch (LinkageError e) {
      log.warn("media: Netty's native epoll transport failed to load ({}); falling back to NIO", e.toString());
      try {
        return new NioSinglePort(bind, core, clock);
      } catch (IOException io) {
        throw new UncheckedIOException(new IOException("cannot bind the media port udp "
            + bind.getAddress().getHostAddress() + ":" + bind.getPort() + ": " + io.getMessage(), io));
      }
    }
  }

  /**
   * Waits until the relay thread has run every table change made so far (tests). Clients need no such wait: they
   * learn their media id from CALL_STARTED, sent after the change was queued, so their first datagram comes a
   * network round trip later.
   */
  void awaitTableChanges() throws InterruptedException {
    if (single != null) {
      java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
      single.execute(done::countDown);
      done.await(5, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  /** The port layout. */
  public MediaMode mode() {
    return mode;
  }

  /** Single-port mode: the shared media port; 0 in ports mode. */
  public int singlePort() {
    return single == null ? 0 : single.port();
  }

  /** What reads and writes the media sockets, for logs and reports. */
  public String transportDescription() {
    return single == null ? "nio, one port per client" : single.describe();
  }

  @Override
  public Port open(String user, InetAddress clientIp, InetSocketAddress fixedReply) {
    if (single != null) {
      return new SharedPortLeg(user, clientIp, fixedReply);
    }
    // Ports taken by other programs are skipped, so the range is walked at most once.
    int attempts = ephemeral ? 1 : freePorts.size();
    for (int i = 0; i < attempts; i++) {
      int port = ephemeral ? 0 : freePorts.pollFirst();
      RelayPort[] holder = new RelayPort[1];
      try {
        UdpEndpoint ep = loop.bind(new InetSocketAddress(bindAddress, port),
            (e, buf, len, src) -> holder[0].onDatagram(buf, len, src), PORT_SOCKET_BUFFER_BYTES);
        holder[0] = new RelayPort(user, ep, clientIp, fixedReply);
        return holder[0];
      } catch (IOException e) {
        log.warn("media port {} unavailable ({}); trying the next", port, e.getMessage());
        if (!ephemeral) {
          freePorts.addLast(port);
        }
      }
    }
    return null;
  }

  @Override
  public void moved(Port port, InetAddress clientIp) {
    RelayLeg p = (RelayLeg) port;
    p.allowedIp = clientIp;
    p.latched = null;
  }

  @Override
  public void connect(Port a, Port b) {
    RelayLeg pa = (RelayLeg) a;
    RelayLeg pb = (RelayLeg) b;
    if (single != null) {
      // Unlike a port, a media id is per call: fresh ids, so media of a call that ended cannot leak into the next.
      unassign(pa);
      unassign(pb);
      assign(pa);
      assign(pb);
    }
    // Each call latches afresh: the clients' media sockets are the ones of this call.
    pa.latched = null;
    pb.latched = null;
    pa.peer = pb;
    pb.peer = pa;
  }

  /** Single-port mode, signalling thread: a fresh random media id for {@code leg}, entered on the relay thread. */
  private void assign(RelayLeg leg) {
    int id;
    do {
      id = random.nextInt();
    } while (id == 0 || !idsInUse.add(id));
    leg.mediaId = id;
    int chosen = id;
    single.execute(() -> singleCore.put(chosen, leg));
  }

  private void unassign(RelayLeg leg) {
    int id = leg.mediaId;
    if (id == 0) {
      return;
    }
    leg.mediaId = 0;
    idsInUse.remove(id);
    single.execute(() -> singleCore.remove(id, leg));
  }

  @Override
  public void disconnect(Port port) {
    RelayLeg p = (RelayLeg) port;
    RelayLeg peer = p.peer;
    p.peer = null;
    if (peer != null && peer.peer == p) {
      peer.peer = null;
    }
    if (single != null) {
      unassign(p);
      if (peer != null && peer.peer == null) {
        unassign(peer);
      }
    }
  }

  @Override
  public void close(Port port) {
    disconnect(port);
    if (port instanceof RelayPort p) {
      int number = p.port();
      p.endpoint.close();
      if (!ephemeral) {
        freePorts.addLast(number);
      }
    }
  }

  /** Exceptions that escaped the relay loop (each is logged): zero in a healthy server. */
  public long loopFailures() {
    return single != null ? single.failures() : loop.failures();
  }

  public long forwardedPackets() {
    return counters.forwardedPackets();
  }

  public long forwardedBytes() {
    return counters.forwardedBytes();
  }

  public long dropped(Drop why) {
    return counters.dropped(why);
  }

  @Override
  public void close() {
    if (single != null) {
      single.close();
    } else {
      loop.close();
    }
  }
}
