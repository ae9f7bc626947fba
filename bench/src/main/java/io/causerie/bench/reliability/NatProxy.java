package io.causerie.bench.reliability;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Arrays;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * A small UDP proxy that stands for a NAT in front of the clients: it listens on one address, and gives every client
 * source its own upstream socket on 127.0.0.1 (so the server sees one source port per client). It can deliver each
 * datagram several times ({@link #duplicate}), drop the next datagram of a direction for one client
 * ({@link #dropNext}, by position in the flow: it never looks inside, so it works the same on encrypted signalling),
 * and replace a client's upstream socket ({@link #rebind}: a NAT rebinding, the server sees a new source port).
 * Every datagram is handled on the thread that received it; no queueing, no delay.
 */
final class NatProxy implements AutoCloseable {
  enum Dir { TO_SERVER, TO_CLIENT }

  private record DropRule(Dir dir, InetSocketAddress client, CompletableFuture<byte[]> dropped) {}

  private final DatagramSocket listen;
  private final InetSocketAddress upstream;
  private final Map<InetSocketAddress, DatagramSocket> up = new ConcurrentHashMap<>();
  private final Queue<DropRule> rules = new ConcurrentLinkedQueue<>();
  private final Random random;
  private volatile int maxExtraCopies;
  private volatile BiConsumer<Dir, byte[]> tap;
  private volatile boolean closed;
  final AtomicLong toServer = new AtomicLong();
  final AtomicLong toClient = new AtomicLong();
  final AtomicLong copies = new AtomicLong();

  NatProxy(InetSocketAddress listenOn, InetSocketAddress upstream, long seed) throws IOException {
    this.listen = new DatagramSocket(listenOn);
    this.upstream = upstream;
    this.random = new Random(seed);
    Thread t = new Thread(this::clientSide, "reliability-nat-" + listenOn.getPort());
    t.setDaemon(true);
    t.start();
  }

  InetSocketAddress address() {
    return (InetSocketAddress) listen.getLocalSocketAddress();
  }

  /** Every datagram, both ways, is sent once plus 1..max extra times (0: no duplicates). */
  void duplicate(int max) {
    this.maxExtraCopies = max;
  }

  /** Sees every datagram before it is relayed (on the proxy's threads). */
  void tap(BiConsumer<Dir, byte[]> t) {
    this.tap = t;
  }

  /** Drops the next datagram travelling {@code dir} for {@code client} (its signalling address); once. */
  CompletableFuture<byte[]> dropNext(Dir dir, InetSocketAddress client) {
    CompletableFuture<byte[]> f = new CompletableFuture<>();
    rules.add(new DropRule(dir, client, f));
    return f;
  }

  /** Gives {@code client} a new upstream socket (new source port at the server); the old one is closed. */
  void rebind(InetSocketAddress client) throws IOException {
    DatagramSocket fresh = newUpstream(client);
    DatagramSocket old = up.put(client, fresh);
    if (old != null) {
      old.close();
    }
  }

  /** The upstream source address the server currently sees for {@code client}. */
  InetSocketAddress upstreamOf(InetSocketAddress client) {
    DatagramSocket s = up.get(client);
    return s == null ? null : (InetSocketAddress) s.getLocalSocketAddress();
  }

  private boolean drop(Dir dir, InetSocketAddress client, byte[] data) {
    for (DropRule r : rules) {
      if (r.dir == dir && r.client.equals(client) && rules.remove(r)) {
        r.dropped.complete(data);
        return true;
      }
    }
    return false;
  }

  private int copiesOf() {
    int max = maxExtraCopies;
    if (max <= 0) {
      return 1;
    }
    synchronized (random) {
      return 2 + random.nextInt(max);
    }
  }

  private void clientSide() {
    byte[] buf = new byte[65_536];
    while (!closed) {
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      try {
        listen.receive(p);
      } catch (IOException e) {
        if (closed) {
          return;
        }
        continue;
      }
      InetSocketAddress client = (InetSocketAddress) p.getSocketAddress();
      byte[] data = Arrays.copyOf(p.getData(), p.getLength());
      toServer.incrementAndGet();
      BiConsumer<Dir, byte[]> t = tap;
      if (t != null) {
        t.accept(Dir.TO_SERVER, data);
      }
      if (drop(Dir.TO_SERVER, client, data)) {
        continue;
      }
      DatagramSocket s = up.get(client);
      try {
        if (s == null) {
          s = newUpstream(client);
          DatagramSocket raced = up.putIfAbsent(client, s);
          if (raced != null) {
            s.close();
            s = raced;
          }
        }
        int n = copiesOf();
        for (int i = 0; i < n; i++) {
          s.send(new DatagramPacket(data, data.length, upstream));
        }
        copies.addAndGet(n - 1);
      } catch (IOException e) {
        // socket replaced under us: the datagram is lost, as in a NAT
      }
    }
  }

  private DatagramSocket newUpstream(InetSocketAddress client) throws SocketException {
    DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread t = new Thread(() -> serverSide(s, client), "reliability-nat-up-" + s.getLocalPort());
    t.setDaemon(true);
    t.start();
    return s;
  }

  private void serverSide(DatagramSocket s, InetSocketAddress client) {
    byte[] buf = new byte[65_536];
    while (!closed && !s.isClosed()) {
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      try {
        s.receive(p);
      } catch (IOException e) {
        return;
      }
      byte[] data = Arrays.copyOf(p.getData(), p.getLength());
      toClient.incrementAndGet();
      BiConsumer<Dir, byte[]> t = tap;
      if (t != null) {
        t.accept(Dir.TO_CLIENT, data);
      }
      if (drop(Dir.TO_CLIENT, client, data)) {
        continue;
      }
      int n = copiesOf();
      try {
        for (int i = 0; i < n; i++) {
          listen.send(new DatagramPacket(data, data.length, client));
        }
        copies.addAndGet(n - 1);
      } catch (IOException e) {
        // lost
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    listen.close();
    up.values().forEach(DatagramSocket::close);
    rules.forEach(r -> r.dropped.cancel(false));
  }
}
