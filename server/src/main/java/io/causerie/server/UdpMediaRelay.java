package io.causerie.server;

import io.causerie.transport.Clock;
import io.causerie.transport.EventLoop;
import io.causerie.transport.UdpEndpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media relay: one UDP port per signed-in client (6000+n by default), each forwarding what it
 * receives to its call peer, from the peer's own port, to the address the peer's media comes from.
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
    RATE_LIMITED
  }

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

  private final EventLoop loop;
  /** A view over the loop's receive array, reused for every forward (relay thread only: no allocation). */
  private ByteBuffer forwardView;
  private final InetAddress bindAddress;
  private final Deque<Integer> freePorts = new ArrayDeque<>(); // signalling thread only
  private final boolean ephemeral;
  private final AtomicLong forwardedPackets = new AtomicLong();
  private final AtomicLong forwardedBytes = new AtomicLong();
  private final AtomicLong[] drops = new AtomicLong[Drop.values().length];

  /** One client's port and its forwarding state. */
  private final class RelayPort implements Port {
    final String user;
    final UdpEndpoint endpoint;
    final InetSocketAddress fixedReply;
    volatile InetAddress allowedIp;
    volatile InetSocketAddress latched;
    volatile RelayPort peer;
    /** Relay thread only: when the latched source last sent, and the two token buckets. */
    long latchedHeardNanos;
    double packetTokens;
    double byteTokens;
    long refilledNanos;

    RelayPort(String user, UdpEndpoint endpoint, InetAddress allowedIp, InetSocketAddress fixedReply) {
      this.user = user;
      this.endpoint = endpoint;
      this.allowedIp = allowedIp;
      this.fixedReply = fixedReply;
      this.packetTokens = limits.packetsPerSecond() * limits.burstSeconds();
      this.byteTokens = limits.bytesPerSecond() * limits.burstSeconds();
      this.refilledNanos = clock.nanoTime();
    }

    @Override
    public int port() {
      return endpoint.localAddress().getPort();
    }

    InetSocketAddress replyAddress() {
      return fixedReply != null ? fixedReply : latched;
    }

    /** Relay thread. */
    void onDatagram(byte[] buf, int len, InetSocketAddress source) {
      if (!source.getAddress().equals(allowedIp)) {
        drop(Drop.WRONG_SOURCE);
        return;
      }
      RelayPort p = peer;
      if (p == null) {
        drop(Drop.NOT_IN_CALL);
        return;
      }
      long now = clock.nanoTime();
      if (!withinRate(len, now)) {
        drop(Drop.RATE_LIMITED);
        return;
      }
      if (fixedReply == null) {
        InetSocketAddress l = latched;
        if (l == null || (!source.equals(l) && now - latchedHeardNanos >= RELATCH_AFTER_SILENCE_NANOS)) {
          latched = source;
        } else if (!source.equals(l)) {
          drop(Drop.OTHER_PORT);
          return;
        }
        latchedHeardNanos = now;
      }
      InetSocketAddress to = p.replyAddress();
      if (to == null) {
        drop(Drop.PEER_NOT_LATCHED);
        return;
      }
      if (forwardView == null || forwardView.array() != buf) {
        forwardView = ByteBuffer.wrap(buf);
      }
      forwardView.limit(len).position(0);
      if (p.endpoint.send(forwardView, to)) {
        forwardedPackets.incrementAndGet();
        forwardedBytes.addAndGet(len);
      } else {
        drop(Drop.SEND_FAILED);
      }
    }

    /** Token buckets: refilled by elapsed time, each capped at its burst. */
    private boolean withinRate(int len, long now) {
      double elapsed = (now - refilledNanos) / 1e9;
      refilledNanos = now;
      packetTokens = Math.min(limits.packetsPerSecond() * limits.burstSeconds(),
          packetTokens + elapsed * limits.packetsPerSecond());
      byteTokens = Math.min(limits.bytesPerSecond() * limits.burstSeconds(),
          byteTokens + elapsed * limits.bytesPerSecond());
      if (packetTokens < 1 || byteTokens < len) {
        return false;
      }
      packetTokens -= 1;
      byteTokens -= len;
      return true;
    }
  }

  private static final long RELATCH_AFTER_SILENCE_NANOS = RELATCH_AFTER_SILENCE_MILLIS * 1_000_000L;

  private final Clock clock;
  private final Limits limits;

  /**
   * @param from first port of the range, or 0 (with {@code to} 0) for ephemeral ports
   */
  public UdpMediaRelay(InetAddress bindAddress, int from, int to, Clock clock) {
    this(bindAddress, from, to, clock, Limits.DEFAULTS);
  }

  public UdpMediaRelay(InetAddress bindAddress, int from, int to, Clock clock, Limits limits) {
    this.clock = clock;
    this.limits = limits;
    this.bindAddress = bindAddress;
    this.ephemeral = from == 0 && to == 0;
    for (int p = from; !ephemeral && p <= to; p++) {
      freePorts.add(p);
    }
    for (int i = 0; i < drops.length; i++) {
      drops[i] = new AtomicLong();
    }
    this.loop = new EventLoop("causerie-relay", clock).start();
  }

  private void drop(Drop why) {
    drops[why.ordinal()].incrementAndGet();
  }

  @Override
  public Port open(String user, InetAddress clientIp, InetSocketAddress fixedReply) {
    // Ports taken by other programs are skipped, so the range is walked at most once.
    int attempts = ephemeral ? 1 : freePorts.size();
    for (int i = 0; i < attempts; i++) {
      int port = ephemeral ? 0 : freePorts.pollFirst();
      RelayPort[] holder = new RelayPort[1];
      try {
        UdpEndpoint ep = loop.bind(new InetSocketAddress(bindAddress, port),
            (e, buf, len, src) -> holder[0].onDatagram(buf, len, src));
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
    RelayPort p = (RelayPort) port;
    p.allowedIp = clientIp;
    p.latched = null;
  }

  @Override
  public void connect(Port a, Port b) {
    RelayPort pa = (RelayPort) a;
    RelayPort pb = (RelayPort) b;
    // Each call latches afresh: the clients' media sockets are the ones of this call.
    pa.latched = null;
    pb.latched = null;
    pa.peer = pb;
    pb.peer = pa;
  }

  @Override
  public void disconnect(Port port) {
    RelayPort p = (RelayPort) port;
    RelayPort peer = p.peer;
    p.peer = null;
    if (peer != null && peer.peer == p) {
      peer.peer = null;
    }
  }

  @Override
  public void close(Port port) {
    RelayPort p = (RelayPort) port;
    disconnect(p);
    int number = p.port();
    p.endpoint.close();
    if (!ephemeral) {
      freePorts.addLast(number);
    }
  }

  /** Exceptions that escaped the relay loop (each is logged): zero in a healthy server. */
  public long loopFailures() {
    return loop.failures();
  }

  public long forwardedPackets() {
    return forwardedPackets.get();
  }

  public long forwardedBytes() {
    return forwardedBytes.get();
  }

  public long dropped(Drop why) {
    return drops[why.ordinal()].get();
  }

  @Override
  public void close() {
    loop.close();
  }
}
