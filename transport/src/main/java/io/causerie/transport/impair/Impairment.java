package io.causerie.transport.impair;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A pure, deterministic model of an impaired network path that decides, for each submitted
 * datagram, whether it is lost and when (and how many times) it is delivered.
 *
 * <p>There are no sockets, threads or clocks here: the caller passes the current time as {@code
 * nowNanos} (any monotonic origin) to {@link #submit} and {@link #pollDue}, and asks {@link
 * #nextDeliveryNanos()} when to come back. With the same specification (including its seed), the
 * same stream number and the same sequence of calls, the output is identical.
 *
 * <p>For each submitted datagram, in this order:
 *
 * <ol>
 *   <li>the loss model decides whether it is lost: a Gilbert two-state chain (a "good" state that
 *       delivers and a "bad" state that loses) whose transition probabilities give the long-run
 *       loss rate {@link ImpairmentSpec#lossPercent()} and the mean loss-run length {@link
 *       ImpairmentSpec#burstLength()}; without a burst length the losses are independent;
 *   <li>its due time is {@code now + delay + U[0, jitter]};
 *   <li>with probability {@link ImpairmentSpec#reorderPercent()} it is held back by a further 1–3
 *       packet intervals (estimated from the spacing of submissions), so that it arrives after its
 *       successor;
 *   <li>with probability {@link ImpairmentSpec#duplicatePercent()} a copy (the same object) is due
 *       up to {@value #DUPLICATE_MAX_EXTRA_DELAY_NANOS} ns after the original.
 * </ol>
 *
 * <p>The schedule holds at most a bounded number of datagrams (default {@value
 * #MAX_PENDING_DATAGRAMS}); beyond it, datagrams are discarded and counted as overflowed.
 *
 * <p>Not thread-safe: confine an instance to one thread or guard it with a lock.
 *
 * @param <T> the datagram type, typically {@code byte[]} or a record that also carries a route
 */
public final class Impairment<T> {

  /** Default bound on the number of datagrams waiting in the schedule. */
  public static final int MAX_PENDING_DATAGRAMS = 10_000;

  /** Packet interval assumed before two submissions have been seen (one 20 ms voice frame). */
  public static final long DEFAULT_PACKET_INTERVAL_NANOS = 20_000_000L;

  /** Upper bound of the packet-interval estimate, so that idle gaps do not inflate it. */
  public static final long MAX_PACKET_INTERVAL_NANOS = 1_000_000_000L;

  /** Largest extra delay of a duplicate after its original. */
  public static final long DUPLICATE_MAX_EXTRA_DELAY_NANOS = 1_000_000L;

  /** Fewest packet intervals a reordered datagram is held back (plus one nanosecond). */
  public static final int REORDER_MIN_INTERVALS = 1;

  /** Most packet intervals a reordered datagram is held back (plus one nanosecond). */
  public static final int REORDER_MAX_INTERVALS = 3;

  /** The packet-interval estimate moves by 1/2^shift of each new gap, as in RFC 3550 jitter. */
  private static final int INTERVAL_SMOOTHING_SHIFT = 3;

  private static final double PERCENT = 100.0;
  private static final long NANOS_PER_MILLI = 1_000_000L;
  private static final long SEED_STREAM_GAMMA = 0x9E3779B97F4A7C15L;

  private static final Comparator<Scheduled<?>> SCHEDULE_ORDER =
      Comparator.<Scheduled<?>>comparingLong(Scheduled::dueNanos)
          .thenComparingLong(Scheduled::insertion);

  private final ImpairmentSpec spec;
  private final int maxPendingDatagrams;
  private final SplittableRandom random;
  private final PriorityQueue<Scheduled<T>> pending = new PriorityQueue<>(SCHEDULE_ORDER);

  private final double lossProbability;
  private final double goodToBadProbability;
  private final double badToGoodProbability;
  private final long delayNanos;
  private final long jitterNanos;
  private final double reorderProbability;
  private final double duplicateProbability;

  private boolean lossStateBad;
  private boolean seenSubmission;
  private long lastSubmitNanos;
  private long packetIntervalNanos = DEFAULT_PACKET_INTERVAL_NANOS;
  private long nextSequence;
  private long nextInsertion;

  private long submitted;
  private long dropped;
  private long overflowed;
  private long duplicated;
  private long reordered;
  private long delivered;

  /** Creates an impairment seeded from {@code spec.seed()} with the default schedule bound. */
  public Impairment(ImpairmentSpec spec) {
    this(spec, 0L, MAX_PENDING_DATAGRAMS);
  }

  /**
   * Creates an impairment.
   *
   * @param spec what to do to the datagrams
   * @param seedStream mixed with {@code spec.seed()}, so that several impairments built from one
   *     specification (say, the two directions of a proxy) draw independent random streams; 0
   *     keeps the spec's seed as is
   * @param maxPendingDatagrams bound on the datagrams waiting in the schedule, at least 1
   */
  public Impairment(ImpairmentSpec spec, long seedStream, int maxPendingDatagrams) {
    this.spec = Objects.requireNonNull(spec, "spec");
    if (maxPendingDatagrams < 1) {
      throw new IllegalArgumentException(
          "maxPendingDatagrams must be at least 1, got " + maxPendingDatagrams);
    }
    this.maxPendingDatagrams = maxPendingDatagrams;
    this.random = new SplittableRandom(spec.seed() ^ (seedStream * SEED_STREAM_GAMMA));

    this.lossProbability = spec.lossPercent() / PERCENT;
    if (lossProbability <= 0 || lossProbability >= 1) {
      this.goodToBadProbability = lossProbability <= 0 ? 0 : 1;
      this.badToGoodProbability = lossProbability <= 0 ? 1 : 0;
    } else if (spec.burstLength() > 0) {
      // Stationary loss p/(p+r) = loss and mean bad-run length 1/r = burst.
      this.badToGoodProbability = 1.0 / spec.burstLength();
      this.goodToBadProbability =
          Math.min(1.0, lossProbability * badToGoodProbability / (1 - lossProbability));
    } else {
      // Independent losses: every datagram is lost with probability loss, whatever the state.
      this.goodToBadProbability = lossProbability;
      this.badToGoodProbability = 1 - lossProbability;
    }
    this.delayNanos = Math.round(spec.delayMillis() * NANOS_PER_MILLI);
    this.jitterNanos = Math.round(spec.jitterMillis() * NANOS_PER_MILLI);
    this.reorderProbability = spec.reorderPercent() / PERCENT;
    this.duplicateProbability = spec.duplicatePercent() / PERCENT;
    // Start in the stationary distribution so that short runs are unbiased too.
    this.lossStateBad = lossProbability > 0 && random.nextDouble() < lossProbability;
  }

  /** Returns the specification this impairment applies. */
  public ImpairmentSpec spec() {
    return spec;
  }

  /**
   * Submits one datagram sent at {@code nowNanos}.
   *
   * @param datagram the datagram; kept by reference, so pass a copy if the caller reuses buffers
   * @param nowNanos the current time
   * @return whether the datagram was scheduled (false if it was lost or the schedule was full)
   */
  public boolean submit(T datagram, long nowNanos) {
    Objects.requireNonNull(datagram, "datagram");
    long sequence = nextSequence++;
    submitted++;
    updatePacketInterval(nowNanos);

    if (isLost()) {
      dropped++;
      return false;
    }
    long dueNanos = nowNanos + delayNanos;
    if (jitterNanos > 0) {
      dueNanos += random.nextLong(jitterNanos + 1);
    }
    boolean holdBack = reorderProbability > 0 && random.nextDouble() < reorderProbability;
    if (holdBack) {
      long minHoldNanos = REORDER_MIN_INTERVALS * packetIntervalNanos;
      long spreadNanos = (REORDER_MAX_INTERVALS - REORDER_MIN_INTERVALS) * packetIntervalNanos;
      dueNanos += minHoldNanos + 1 + random.nextLong(spreadNanos + 1);
    }
    boolean duplicate = duplicateProbability > 0 && random.nextDouble() < duplicateProbability;
    long copyDueNanos =
        duplicate ? dueNanos + 1 + random.nextLong(DUPLICATE_MAX_EXTRA_DELAY_NANOS) : 0;

    if (!schedule(datagram, sequence, dueNanos, false)) {
      return false;
    }
    if (holdBack) {
      reordered++;
    }
    if (duplicate) {
      duplicated++;
      schedule(datagram, sequence, copyDueNanos, true);
    }
    return true;
  }

  /** Returns when the earliest pending datagram is due, or {@link Long#MAX_VALUE} if none is. */
  public long nextDeliveryNanos() {
    Scheduled<T> head = pending.peek();
    return head == null ? Long.MAX_VALUE : head.dueNanos();
  }

  /** Returns how many datagrams are waiting in the schedule. */
  public int pendingCount() {
    return pending.size();
  }

  /**
   * Removes and returns the datagrams due at or before {@code nowNanos}, in delivery order (by due
   * time, ties in scheduling order).
   */
  public List<Delivery<T>> pollDue(long nowNanos) {
    List<Delivery<T>> due = new ArrayList<>();
    pollDue(nowNanos, due::add);
    return due;
  }

  /**
   * Removes the datagrams due at or before {@code nowNanos} and hands them to {@code sink} in
   * delivery order, without building a list.
   *
   * @return how many datagrams were handed over
   */
  public int pollDue(long nowNanos, Consumer<? super Delivery<T>> sink) {
    int count = 0;
    while (!pending.isEmpty() && pending.peek().dueNanos() <= nowNanos) {
      Scheduled<T> next = pending.poll();
      delivered++;
      count++;
      sink.accept(new Delivery<>(next.datagram(), next.sequence(), next.dueNanos(), next.copy()));
    }
    return count;
  }

  /** Returns a snapshot of the counters. */
  public ImpairmentCounters counters() {
    return new ImpairmentCounters(submitted, dropped, overflowed, duplicated, reordered, delivered);
  }

  private boolean isLost() {
    if (lossProbability <= 0) {
      return false;
    }
    if (lossProbability >= 1) {
      return true;
    }
    double transition = lossStateBad ? badToGoodProbability : goodToBadProbability;
    if (random.nextDouble() < transition) {
      lossStateBad = !lossStateBad;
    }
    return lossStateBad;
  }

  private void updatePacketInterval(long nowNanos) {
    if (seenSubmission) {
      long gapNanos = Math.min(Math.max(0, nowNanos - lastSubmitNanos), MAX_PACKET_INTERVAL_NANOS);
      packetIntervalNanos += (gapNanos - packetIntervalNanos) >> INTERVAL_SMOOTHING_SHIFT;
    }
    seenSubmission = true;
    lastSubmitNanos = nowNanos;
  }

  private boolean schedule(T datagram, long sequence, long dueNanos, boolean copy) {
    if (pending.size() >= maxPendingDatagrams) {
      overflowed++;
      return false;
    }
    pending.add(new Scheduled<>(datagram, sequence, dueNanos, copy, nextInsertion++));
    return true;
  }

  /**
   * One datagram whose time has come.
   *
   * @param datagram the submitted datagram (the same object for an original and its copy)
   * @param sequence the 0-based submission index of the datagram
   * @param dueNanos the time it was due
   * @param duplicate whether this is the extra copy of a duplicated datagram
   * @param <T> the datagram type
   */
  public record Delivery<T>(T datagram, long sequence, long dueNanos, boolean duplicate) {}

  private record Scheduled<T>(
      T datagram, long sequence, long dueNanos, boolean copy, long insertion) {}
}
