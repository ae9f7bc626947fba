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
    SEND_FAILED
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

    RelayPort(String user, UdpEndpoint endpoint, InetAddress allowedIp, InetSocketAddress fixedReply) {
      this.user = user;
      this.endpoint = endpoint;
      this.allowedIp = allowedIp;
      this.fixedReply = fixedReply;
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
      if (fixedReply == null && !source.equals(latched)) {
        latched = source;
      }
      RelayPort p = peer;
      if (p == null) {
        drop(Drop.NOT_IN_CALL);
        return;
      }
      InetSocketAddress to = p.replyAddress();
      if (to == null) {
        drop(Drop.PEER_NOT_LATCHED);
        return;
      }
      if (forwardView == null || !forwardView.hasArray() || forwardView.array() != buf) {
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
  }

  /**
   * @param from first port of the range, or 0 (with {@code to} 0) for ephemeral ports
   */
  public UdpMediaRelay(InetAddress bindAddress, int from, int to, Clock clock) {
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
