package io.causerie.server;

import io.causerie.protocol.PresenceEntry;
import io.causerie.protocol.PresenceState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects presence changes and decides when a batch goes to every session and what it holds
 * (docs/PROTOCOL.md §6.9): at most one batch per {@link #intervalNanos()}, each user once with their latest
 * state, and no entry for a user who is back where every client last saw them (online → in-call → online
 * between two batches is no change). Pure: no I/O, time passed in.
 *
 * <p>The first change after a quiet spell goes out at the next tick; under load, changes wait for the interval,
 * so a burst of N changes costs each session one batch (split into parts: PresenceParts), not N.
 *
 * <p>Not thread-safe: signalling thread only.
 */
final class PresenceCoalescer {
  /** Default shortest time between two presence batches: a watcher sees a change within this (plus a tick). */
  static final long DEFAULT_INTERVAL_NANOS = 200_000_000L;

  private final long intervalNanos;
  /** Latest state of each user changed since the last batch, in order of first change. */
  private final Map<String, PresenceState> pending = new LinkedHashMap<>();
  /** The state every client was last told by a batch; a user missing here was told offline (or nothing). */
  private final Map<String, PresenceState> published = new HashMap<>();
  /**
   * Users a snapshot showed in a pending state that the batches have not published: their entry goes out in the
   * next batch even if it ends where it started, so the snapshot's receiver is not left with a passing state.
   */
  private final Set<String> forced = new HashSet<>();
  private long seq;
  private long nextBatchNanos;
  private boolean sentAny;

  PresenceCoalescer(long intervalNanos) {
    if (intervalNanos < 0) {
      throw new IllegalArgumentException("presence interval must not be negative");
    }
    this.intervalNanos = intervalNanos;
  }

  long intervalNanos() {
    return intervalNanos;
  }

  /** Records {@code user}'s new state. */
  void changed(String user, PresenceState state) {
    pending.put(user, state);
  }

  /** The seq of the last batch (0 before the first): what a snapshot carries (§6.9). */
  long seq() {
    return seq;
  }

  /**
   * The pending changes, for a snapshot to show on top of the sessions' own states; the snapshot already shows
   * them, so every pending state that differs from the published one is sure to be sent in the next batch.
   */
  Map<String, PresenceState> pendingForSnapshot() {
    pending.forEach((u, st) -> {
      if (st != published.getOrDefault(u, PresenceState.OFFLINE)) {
        forced.add(u);
      }
    });
    return pending;
  }

  /**
   * The next batch if one is due at {@code nowNanos}: its entries, with {@link #seq()} already advanced to its
   * number. Null when nothing is due or every change cancelled out (then nothing is sent and seq stays).
   */
  List<PresenceEntry> poll(long nowNanos) {
    if (pending.isEmpty() || (sentAny && nowNanos - nextBatchNanos < 0)) {
      return null;
    }
    List<PresenceEntry> entries = new ArrayList<>();
    pending.forEach((u, st) -> {
      PresenceState before = published.getOrDefault(u, PresenceState.OFFLINE);
      if (st != before || forced.contains(u)) {
        entries.add(new PresenceEntry(u, st));
      }
      if (st == PresenceState.OFFLINE) {
        published.remove(u); // bounded by the users signed in
      } else {
        published.put(u, st);
      }
    });
    pending.clear();
    forced.clear();
    if (entries.isEmpty()) {
      return null;
    }
    seq++;
    sentAny = true;
    nextBatchNanos = nowNanos + intervalNanos;
    return entries;
  }
}
