package io.causerie.transport.impair;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A UDP proxy on the loopback interface that relays datagrams between clients and one upstream
 * server through an {@link Impairment} per direction, for tests of behaviour under loss, delay,
 * jitter, reordering, duplication and NAT rebinding.
 *
 * <p>Each distinct client source address gets its own upstream-facing socket, so the server sees
 * one source port per client, as behind a NAT; {@link #rebind} replaces that socket to simulate a
 * NAT rebinding. One background thread runs a {@link Selector} and wakes up for the receptions and
 * for the due times of the two impairments (measured with {@link System#nanoTime()}); due times
 * are honoured to within about a millisecond.
 *
 * <p>Thread-safe: the query and control methods may be called from any thread.
 */
public final class ImpairmentProxy implements AutoCloseable {

  /** Largest datagram relayed intact; a longer one is truncated. */
  public static final int MAX_DATAGRAM_BYTES = 65_535;

  /** Most clients served at once; datagrams from further clients are discarded. */
  public static final int MAX_CLIENT_SESSIONS = 1_024;

  /** Most datagrams read from one socket per wake-up, so that one busy socket cannot starve. */
  public static final int MAX_RECEIVES_PER_WAKEUP = 256;

  /** Prefix of the name of the background thread; the listening port follows it. */
  public static final String THREAD_NAME_PREFIX = "causerie-impairment-proxy-";

  /** How long {@link #close()} waits for the background thread to stop. */
  public static final long CLOSE_TIMEOUT_MILLIS = 5_000;

  /** How long {@link #rebind} waits for the background thread to carry it out. */
  public static final long CONTROL_TIMEOUT_MILLIS = 5_000;

  private static final Logger LOG = LoggerFactory.getLogger(ImpairmentProxy.class);
  private static final long NANOS_PER_MILLI = 1_000_000L;
  private static final int RECEIVE_BUFFER_BYTES = MAX_DATAGRAM_BYTES + 1;

  private final InetSocketAddress upstream;
  private final InetSocketAddress address;
  private final Selector selector;
  private final DatagramChannel listening;
  private final DirectionState clientToServer;
  private final DirectionState serverToClient;
  private final Map<InetSocketAddress, Session> sessions = new ConcurrentHashMap<>();
  private final Queue<RebindRequest> rebindRequests = new ConcurrentLinkedQueue<>();
  private final ByteBuffer receiveBuffer = ByteBuffer.allocateDirect(RECEIVE_BUFFER_BYTES);
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicInteger discardedNewClients = new AtomicInteger();
  private final Thread thread;

  private ImpairmentProxy(
      InetSocketAddress upstream,
      Selector selector,
      DatagramChannel listening,
      ImpairmentSpec clientToServerSpec,
      ImpairmentSpec serverToClientSpec)
      throws IOException {
    this.upstream = upstream;
    this.selector = selector;
    this.listening = listening;
    this.address = (InetSocketAddress) listening.getLocalAddress();
    this.clientToServer = new DirectionState(clientToServerSpec, Direction.CLIENT_TO_SERVER);
    this.serverToClient = new DirectionState(serverToClientSpec, Direction.SERVER_TO_CLIENT);
    this.thread = new Thread(this::runLoop, THREAD_NAME_PREFIX + address.getPort());
    this.thread.setDaemon(true);
  }

  /**
   * Starts a proxy listening on an ephemeral loopback port, with one specification per direction.
   *
   * @param upstream the server datagrams from clients are relayed to
   * @param clientToServer what to do to datagrams from clients to the server
   * @param serverToClient what to do to datagrams from the server to clients
   * @return the running proxy
   * @throws IOException if a socket cannot be opened or bound
   */
  public static ImpairmentProxy start(
      InetSocketAddress upstream, ImpairmentSpec clientToServer, ImpairmentSpec serverToClient)
      throws IOException {
    return start(0, upstream, clientToServer, serverToClient);
  }

  /**
   * Starts a proxy listening on the given loopback port (0 for an ephemeral one).
   *
   * @param listenPort the loopback port clients send to, or 0
   * @param upstream the server datagrams from clients are relayed to
   * @param clientToServer what to do to datagrams from clients to the server
   * @param serverToClient what to do to datagrams from the server to clients
   * @return the running proxy
   * @throws IOException if a socket cannot be opened or bound
   */
  public static ImpairmentProxy start(
      int listenPort,
      InetSocketAddress upstream,
      ImpairmentSpec clientToServer,
      ImpairmentSpec serverToClient)
      throws IOException {
    Objects.requireNonNull(upstream, "upstream");
    Objects.requireNonNull(clientToServer, "clientToServer");
    Objects.requireNonNull(serverToClient, "serverToClient");
    if (upstream.isUnresolved()) {
      throw new IllegalArgumentException("Upstream address is unresolved: " + upstream);
    }
    Selector selector = Selector.open();
    DatagramChannel listening = null;
    try {
      listening = DatagramChannel.open();
      listening.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), listenPort));
      listening.configureBlocking(false);
      listening.register(selector, SelectionKey.OP_READ, null);
      ImpairmentProxy proxy =
          new ImpairmentProxy(upstream, selector, listening, clientToServer, serverToClient);
      proxy.thread.start();
      return proxy;
    } catch (IOException | RuntimeException e) {
      closeQuietly(listening);
      closeQuietly(selector);
      throw e;
    }
  }

  /** Returns the loopback address clients send to. */
  public InetSocketAddress address() {
    return address;
  }

  /** Returns the server datagrams from clients are relayed to. */
  public InetSocketAddress upstream() {
    return upstream;
  }

  /** Returns a snapshot of the counters of one direction. */
  public Counters counters(Direction direction) {
    return state(direction).snapshot();
  }

  /** Returns how many datagrams from new clients were discarded for lack of a free session. */
  public int discardedNewClients() {
    return discardedNewClients.get();
  }

  /**
   * Arranges for the next datagram travelling in {@code direction} that matches {@code matcher} to
   * be dropped before it reaches the impairment; the rule then expires. Several rules may be
   * pending; each drops exactly one datagram.
   *
   * @param direction the direction to watch
   * @param matcher tested on a copy of each datagram, on the proxy's thread
   * @return completed with the dropped datagram when the drop happens, or exceptionally if the
   *     matcher throws or the proxy closes first
   */
  public CompletableFuture<byte[]> dropNextMatching(
      Direction direction, Predicate<byte[]> matcher) {
    Objects.requireNonNull(matcher, "matcher");
    CompletableFuture<byte[]> dropped = new CompletableFuture<>();
    if (closed.get()) {
      dropped.completeExceptionally(new IllegalStateException("Impairment proxy is closed"));
      return dropped;
    }
    state(direction).dropRules.add(new DropRule(matcher, dropped));
    if (closed.get()) {
      failPendingDropRules();
    }
    return dropped;
  }

  /**
   * Drops every datagram travelling in {@code direction} from now for {@code duration}, as a link that goes dead
   * for a while and comes back; the drops are counted as {@link Counters#forcedDrops()}. A later call replaces
   * an earlier one; {@link Duration#ZERO} ends a blackout.
   */
  public void blackout(Direction direction, java.time.Duration duration) {
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("negative blackout: " + duration);
    }
    state(direction).blackoutUntilNanos = System.nanoTime() + duration.toNanos();
  }

  /**
   * Returns the local address of the upstream-facing socket currently used for {@code client},
   * which is the source address the server sees, if the client has sent anything yet.
   */
  public Optional<InetSocketAddress> upstreamSourceOf(InetSocketAddress client) {
    Session session = sessions.get(client);
    return session == null ? Optional.empty() : Optional.of(session.sourceAddress);
  }

  /**
   * Gives {@code client} a fresh upstream-facing socket, so that the server sees its datagrams
   * come from a new source port, as after a NAT rebinding; replies to the old port are lost.
   *
   * @param client the client's source address as the proxy sees it
   * @return the new source address the server will see
   * @throws IllegalArgumentException if that client has not sent anything through the proxy
   * @throws IllegalStateException if the proxy is closed
   * @throws IOException if the new socket cannot be opened, or the proxy did not respond in time
   */
  public InetSocketAddress rebind(InetSocketAddress client) throws IOException {
    Objects.requireNonNull(client, "client");
    if (closed.get()) {
      throw new IllegalStateException("Impairment proxy is closed");
    }
    RebindRequest request = new RebindRequest(client, new CompletableFuture<>());
    rebindRequests.add(request);
    selector.wakeup();
    if (closed.get()) {
      failPendingRebinds();
    }
    try {
      return request.result().get(CONTROL_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while rebinding " + client, e);
    } catch (TimeoutException e) {
      throw new IOException("Impairment proxy did not rebind " + client + " in time", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IOException("Rebinding " + client + " failed", cause);
    }
  }

  /** Stops the background thread and closes every socket; pending datagrams are discarded. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    selector.wakeup();
    if (Thread.currentThread() != thread) {
      try {
        thread.join(CLOSE_TIMEOUT_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (thread.isAlive()) {
        LOG.warn("Impairment proxy thread {} did not stop in time", thread.getName());
      }
    }
    closeChannels();
    failPendingRebinds();
    failPendingDropRules();
  }

  private void runLoop() {
    try {
      while (!closed.get()) {
        processRebindRequests();
        deliverDue(System.nanoTime());
        long nextDueNanos =
            Math.min(clientToServer.nextDeliveryNanos(), serverToClient.nextDeliveryNanos());
        if (nextDueNanos == Long.MAX_VALUE) {
          selector.select();
        } else {
          long waitNanos = nextDueNanos - System.nanoTime();
          if (waitNanos <= 0) {
            selector.selectNow();
          } else {
            selector.select(Math.max(1, ceilDiv(waitNanos, NANOS_PER_MILLI)));
          }
        }
        if (closed.get()) {
          break;
        }
        handleSelectedKeys();
      }
    } catch (IOException | ClosedSelectorException e) {
      if (!closed.get()) {
        LOG.error("Impairment proxy on {} stopped", address, e);
      }
    } catch (RuntimeException e) {
      LOG.error("Impairment proxy on {} failed", address, e);
    } finally {
      closed.set(true);
      closeChannels();
      failPendingRebinds();
      failPendingDropRules();
    }
  }

  private void handleSelectedKeys() throws IOException {
    Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
    while (keys.hasNext()) {
      SelectionKey key = keys.next();
      keys.remove();
      if (!key.isValid() || !key.isReadable()) {
        continue;
      }
      if (key.attachment() instanceof Session session) {
        receiveFromServer(session, (DatagramChannel) key.channel());
      } else {
        receiveFromClients();
      }
    }
  }

  private void receiveFromClients() throws IOException {
    for (int i = 0; i < MAX_RECEIVES_PER_WAKEUP; i++) {
      receiveBuffer.clear();
      SocketAddress source = listening.receive(receiveBuffer);
      if (source == null) {
        return;
      }
      long nowNanos = System.nanoTime();
      byte[] datagram = copyOut(receiveBuffer);
      InetSocketAddress client = (InetSocketAddress) source;
      Session session = sessions.get(client);
      if (session == null) {
        session = openSession(client);
        if (session == null) {
          continue;
        }
      }
      clientToServer.accept(session, datagram, nowNanos);
    }
  }

  private void receiveFromServer(Session session, DatagramChannel channel) {
    for (int i = 0; i < MAX_RECEIVES_PER_WAKEUP; i++) {
      receiveBuffer.clear();
      try {
        if (channel.receive(receiveBuffer) == null) {
          return;
        }
      } catch (PortUnreachableException e) {
        LOG.debug("Upstream {} unreachable from {}", upstream, session.sourceAddress);
        return;
      } catch (IOException e) {
        LOG.debug("Receive from upstream failed for client {}", session.client, e);
        return;
      }
      serverToClient.accept(session, copyOut(receiveBuffer), System.nanoTime());
    }
  }

  private Session openSession(InetSocketAddress client) {
    if (sessions.size() >= MAX_CLIENT_SESSIONS) {
      discardedNewClients.incrementAndGet();
      return null;
    }
    try {
      Session session = new Session(client);
      attachUpstreamChannel(session);
      sessions.put(client, session);
      return session;
    } catch (IOException e) {
      LOG.warn("Cannot open an upstream socket for client {}", client, e);
      discardedNewClients.incrementAndGet();
      return null;
    }
  }

  private void attachUpstreamChannel(Session session) throws IOException {
    DatagramChannel channel = DatagramChannel.open();
    try {
      InetAddress bindAddress =
          upstream.getAddress().isLoopbackAddress() ? InetAddress.getLoopbackAddress() : null;
      channel.bind(new InetSocketAddress(bindAddress, 0));
      channel.connect(upstream);
      channel.configureBlocking(false);
      channel.register(selector, SelectionKey.OP_READ, session);
    } catch (IOException | RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
    DatagramChannel previous = session.channel;
    session.channel = channel;
    session.sourceAddress = (InetSocketAddress) channel.getLocalAddress();
    closeQuietly(previous);
  }

  private void processRebindRequests() {
    RebindRequest request;
    while ((request = rebindRequests.poll()) != null) {
      Session session = sessions.get(request.client());
      if (session == null) {
        request.result().completeExceptionally(
            new IllegalArgumentException(
                "No client " + request.client() + " has sent through the proxy on " + address));
        continue;
      }
      try {
        attachUpstreamChannel(session);
        request.result().complete(session.sourceAddress);
      } catch (IOException | RuntimeException e) {
        request.result().completeExceptionally(e);
      }
    }
  }

  private void deliverDue(long nowNanos) {
    clientToServer.deliverDue(nowNanos, this::sendToServer);
    serverToClient.deliverDue(nowNanos, this::sendToClient);
  }

  private boolean sendToServer(Routed routed) {
    DatagramChannel channel = routed.session().channel;
    try {
      return channel != null && channel.write(ByteBuffer.wrap(routed.datagram())) > 0;
    } catch (IOException e) {
      LOG.debug("Send to upstream {} failed", upstream, e);
      return false;
    }
  }

  private boolean sendToClient(Routed routed) {
    try {
      return listening.send(ByteBuffer.wrap(routed.datagram()), routed.session().client) > 0;
    } catch (IOException e) {
      LOG.debug("Send to client {} failed", routed.session().client, e);
      return false;
    }
  }

  private DirectionState state(Direction direction) {
    return switch (Objects.requireNonNull(direction, "direction")) {
      case CLIENT_TO_SERVER -> clientToServer;
      case SERVER_TO_CLIENT -> serverToClient;
    };
  }

  private void closeChannels() {
    for (Session session : sessions.values()) {
      closeQuietly(session.channel);
    }
    closeQuietly(listening);
    closeQuietly(selector);
  }

  private void failPendingRebinds() {
    RebindRequest request;
    while ((request = rebindRequests.poll()) != null) {
      request.result().completeExceptionally(
          new IllegalStateException("Impairment proxy is closed"));
    }
  }

  private void failPendingDropRules() {
    clientToServer.failDropRules();
    serverToClient.failDropRules();
  }

  private static byte[] copyOut(ByteBuffer buffer) {
    buffer.flip();
    byte[] datagram = new byte[Math.min(buffer.remaining(), MAX_DATAGRAM_BYTES)];
    buffer.get(datagram);
    return datagram;
  }

  private static long ceilDiv(long dividend, long divisor) {
    return -Math.floorDiv(-dividend, divisor);
  }

  private static void closeQuietly(AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      LOG.debug("Closing {} failed", closeable, e);
    }
  }

  /** The two directions a datagram can travel through the proxy. */
  public enum Direction {
    /** From a client to the upstream server. */
    CLIENT_TO_SERVER,
    /** From the upstream server back to a client. */
    SERVER_TO_CLIENT
  }

  /**
   * A snapshot of what the proxy did in one direction.
   *
   * @param received datagrams read from the sockets
   * @param forcedDrops datagrams dropped by {@link #dropNextMatching} rules and {@link #blackout}s
   * @param sent datagrams (including duplicates) written to the destination socket
   * @param sendFailures due datagrams the destination socket did not take
   * @param impairment the counters of the direction's impairment
   */
  public record Counters(
      long received, long forcedDrops, long sent, long sendFailures,
      ImpairmentCounters impairment) {}

  /** The per-direction impairment, counters and drop rules, guarded by the instance's monitor. */
  private static final class DirectionState {
    private final Impairment<Routed> impairment;
    private final Queue<DropRule> dropRules = new ConcurrentLinkedQueue<>();
    /** Until when everything is dropped ({@link #blackout}); in the past when there is no blackout. */
    private volatile long blackoutUntilNanos = System.nanoTime();
    private final List<Routed> dueBatch = new ArrayList<>();
    private long received;
    private long forcedDrops;
    private long sent;
    private long sendFailures;

    DirectionState(ImpairmentSpec spec, Direction direction) {
      // A distinct stream per direction keeps the two directions independent under one seed.
      this.impairment =
          new Impairment<>(spec, direction.ordinal() + 1L, Impairment.MAX_PENDING_DATAGRAMS);
    }

    void accept(Session session, byte[] datagram, long nowNanos) {
      boolean drop = nowNanos - blackoutUntilNanos < 0 || matchDropRule(datagram);
      synchronized (this) {
        received++;
        if (drop) {
          forcedDrops++;
        } else {
          impairment.submit(new Routed(session, datagram), nowNanos);
        }
      }
    }

    synchronized long nextDeliveryNanos() {
      return impairment.nextDeliveryNanos();
    }

    void deliverDue(long nowNanos, Predicate<Routed> sender) {
      synchronized (this) {
        impairment.pollDue(nowNanos, delivery -> dueBatch.add(delivery.datagram()));
      }
      if (dueBatch.isEmpty()) {
        return;
      }
      long ok = 0;
      for (Routed routed : dueBatch) {
        if (sender.test(routed)) {
          ok++;
        }
      }
      synchronized (this) {
        sent += ok;
        sendFailures += dueBatch.size() - ok;
      }
      dueBatch.clear();
    }

    synchronized Counters snapshot() {
      return new Counters(received, forcedDrops, sent, sendFailures, impairment.counters());
    }

    void failDropRules() {
      DropRule rule;
      while ((rule = dropRules.poll()) != null) {
        rule.dropped().completeExceptionally(
            new IllegalStateException("Impairment proxy is closed"));
      }
    }

    private boolean matchDropRule(byte[] datagram) {
      for (Iterator<DropRule> rules = dropRules.iterator(); rules.hasNext(); ) {
        DropRule rule = rules.next();
        boolean matches;
        try {
          matches = rule.matcher().test(datagram.clone());
        } catch (RuntimeException e) {
          rules.remove();
          rule.dropped().completeExceptionally(e);
          continue;
        }
        if (matches) {
          rules.remove();
          rule.dropped().complete(datagram.clone());
          return true;
        }
      }
      return false;
    }
  }

  /** One client's upstream-facing state; mutated only on the proxy's thread. */
  private static final class Session {
    private final InetSocketAddress client;
    private volatile DatagramChannel channel;
    private volatile InetSocketAddress sourceAddress;

    Session(InetSocketAddress client) {
      this.client = client;
    }
  }

  private record Routed(Session session, byte[] datagram) {}

  private record DropRule(Predicate<byte[]> matcher, CompletableFuture<byte[]> dropped) {}

  private record RebindRequest(
      InetSocketAddress client, CompletableFuture<InetSocketAddress> result) {}
}
