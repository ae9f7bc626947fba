package io.causerie.transport;

import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Outstanding requests this side sent and is retransmitting until answered (pure: time comes in).
 *
 * <p>Not thread-safe: owned by one event-loop thread.
 *
 * @param <A> what the owner attaches to a request, to act on its answer or its loss
 */
public final class TransactionTable<A> {
  /** Default bound on requests in flight; beyond it {@link #start} refuses. */
  public static final int DEFAULT_MAX_PENDING = 65_536;

  /** A request in flight. */
  public static final class Pending<A> {
    private final long txid;
    private final byte[] datagram;
    private SocketAddress destination;
    private final A attachment;
    private final long firstSentNanos;
    private long nextResendNanos;
    private long intervalNanos;
    private int sends = 1;

    Pending(long txid, byte[] datagram, SocketAddress destination, A attachment, long now, long intervalNanos) {
      this.txid = txid;
      this.datagram = datagram;
      this.destination = destination;
      this.attachment = attachment;
      this.firstSentNanos = now;
      this.intervalNanos = intervalNanos;
      this.nextResendNanos = now + intervalNanos;
    }

    public long txid() {
      return txid;
    }

    public byte[] datagram() {
      return datagram;
    }

    public SocketAddress destination() {
      return destination;
    }

    public A attachment() {
      return attachment;
    }

    public long firstSentNanos() {
      return firstSentNanos;
    }

    /** How many times it has been sent, the first send included. */
    public int sends() {
      return sends;
    }
  }

  /** What {@link #poll} asks its caller to do. */
  public interface Sink<A> {
    void resend(Pending<A> p);

    void giveUp(Pending<A> p);
  }

  private final RetransmitPolicy policy;
  private final int maxPending;
  private final Map<Long, Pending<A>> pending = new HashMap<>();
  /** Who each request belongs to, when the owner wants to drop all of one owner's at once; null otherwise. */
  private final java.util.function.Function<A, Object> ownerOf;
  private final Map<Object, java.util.Set<Long>> byOwner = new HashMap<>();

  public TransactionTable(RetransmitPolicy policy, int maxPending) {
    this(policy, maxPending, null);
  }

  /**
   * @param ownerOf what a request belongs to (e.g. a session), so that {@link #removeOwnedBy} costs the
   *     owner's requests rather than a scan of all of them
   */
  public TransactionTable(RetransmitPolicy policy, int maxPending, java.util.function.Function<A, Object> ownerOf) {
    this.policy = policy;
    this.maxPending = maxPending;
    this.ownerOf = ownerOf;
  }

  private void index(Pending<A> p) {
    if (ownerOf != null) {
      byOwner.computeIfAbsent(ownerOf.apply(p.attachment), k -> new java.util.HashSet<>()).add(p.txid);
    }
  }

  private void unindex(Pending<A> p) {
    if (ownerOf != null) {
      Object owner = ownerOf.apply(p.attachment);
      java.util.Set<Long> ids = byOwner.get(owner);
      if (ids != null) {
        ids.remove(p.txid);
        if (ids.isEmpty()) {
          byOwner.remove(owner);
        }
      }
    }
  }

  /** Removes every request of one owner, without telling anyone (needs the owner function). */
  public List<Pending<A>> removeOwnedBy(Object owner) {
    if (ownerOf == null) {
      throw new IllegalStateException("this table was built without an owner function");
    }
    java.util.Set<Long> ids = byOwner.remove(owner);
    List<Pending<A>> removed = new ArrayList<>();
    if (ids != null) {
      for (long id : ids) {
        Pending<A> p = pending.remove(id);
        if (p != null) {
          removed.add(p);
        }
      }
    }
    return removed;
  }

  public TransactionTable(RetransmitPolicy policy) {
    this(policy, DEFAULT_MAX_PENDING);
  }

  /**
   * Records a request that the caller has just sent for the first time.
   *
   * @return false if the table is full or the id is already in flight (the caller must not send)
   */
  public boolean start(long txid, byte[] datagram, SocketAddress destination, A attachment, long nowNanos) {
    if (pending.size() >= maxPending || pending.containsKey(txid)) {
      return false;
    }
    Pending<A> p = new Pending<>(txid, datagram, destination, attachment, nowNanos, policy.initialNanos());
    pending.put(txid, p);
    index(p);
    return true;
  }

  /** The answer arrived: removes and returns the request, or null if it was not (or no longer) in flight. */
  public Pending<A> complete(long txid) {
    Pending<A> p = pending.remove(txid);
    if (p != null) {
      unindex(p);
    }
    return p;
  }

  public Pending<A> get(long txid) {
    return pending.get(txid);
  }

  /** Sends future resends of every request to a new destination (the peer's address changed). */
  public void redirect(SocketAddress from, SocketAddress to) {
    for (Pending<A> p : pending.values()) {
      if (p.destination.equals(from)) {
        p.destination = to;
      }
    }
  }

  /** Each request in flight, in no particular order; the action must not start or complete transactions. */
  public void forEach(java.util.function.Consumer<Pending<A>> action) {
    pending.values().forEach(action);
  }

  /** Resends what is due and gives up what is too old; the sink does the I/O. */
  public void poll(long nowNanos, Sink<A> sink) {
    List<Pending<A>> resend = new ArrayList<>();
    List<Pending<A>> lost = new ArrayList<>();
    for (Iterator<Pending<A>> it = pending.values().iterator(); it.hasNext(); ) {
      Pending<A> p = it.next();
      if (nowNanos - p.nextResendNanos < 0) {
        continue;
      }
      if (nowNanos - p.firstSentNanos >= policy.giveUpNanos()) {
        it.remove();
        unindex(p);
        lost.add(p);
        continue;
      }
      p.intervalNanos = Math.min(p.intervalNanos * 2, policy.maxIntervalNanos());
      p.nextResendNanos = Math.min(nowNanos + p.intervalNanos, p.firstSentNanos + policy.giveUpNanos());
      p.sends++;
      resend.add(p);
    }
    // Act after iterating: a sink may start or complete transactions.
    resend.forEach(sink::resend);
    lost.forEach(sink::giveUp);
  }

  /** When {@link #poll} next has something to do, or {@code Long.MAX_VALUE}. */
  public long nextDeadlineNanos() {
    long next = Long.MAX_VALUE;
    for (Pending<A> p : pending.values()) {
      if (p.nextResendNanos < next) {
        next = p.nextResendNanos;
      }
    }
    return next;
  }

  public int size() {
    return pending.size();
  }
}
