package io.causerie.server;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Locks out a user name or an address after repeated failed sign-ins (pure: time comes in). Keys are
 * opaque strings, so unknown and known user names are treated alike and a lockout reveals nothing.
 *
 * <p>Not thread-safe: signalling thread only.
 */
public final class AuthThrottle {
  /** Failures within {@link #DEFAULT_WINDOW_MILLIS} that lock a key. */
  public static final int DEFAULT_MAX_FAILURES = 5;
  public static final long DEFAULT_WINDOW_MILLIS = 2 * 60_000L;
  public static final long DEFAULT_LOCKOUT_MILLIS = 5 * 60_000L;
  /** Keys remembered at most; the least recently failed are forgotten first. */
  public static final int DEFAULT_MAX_KEYS = 100_000;

  private static final class Entry {
    final ArrayDeque<Long> failures = new ArrayDeque<>();
    boolean everLocked;
    long lockedUntilNanos;

    boolean lockedAt(long nowNanos) {
      return everLocked && nowNanos - lockedUntilNanos < 0;
    }
  }

  private final int maxFailures;
  private final long windowNanos;
  private final long lockoutNanos;
  private final int maxKeys;
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);

  public AuthThrottle(int maxFailures, long windowMillis, long lockoutMillis, int maxKeys) {
    this.maxFailures = maxFailures;
    this.windowNanos = windowMillis * 1_000_000L;
    this.lockoutNanos = lockoutMillis * 1_000_000L;
    this.maxKeys = maxKeys;
  }

  public AuthThrottle() {
    this(DEFAULT_MAX_FAILURES, DEFAULT_WINDOW_MILLIS, DEFAULT_LOCKOUT_MILLIS, DEFAULT_MAX_KEYS);
  }

  /** True while the key is locked out. */
  public boolean locked(String key, long nowNanos) {
    Entry e = entries.get(key);
    return e != null && e.lockedAt(nowNanos);
  }

  /** Records a failed sign-in; returns true if this failure locked the key. */
  public boolean failed(String key, long nowNanos) {
    Entry e = entries.computeIfAbsent(key, k -> new Entry());
    while (!e.failures.isEmpty() && nowNanos - e.failures.peekFirst() >= windowNanos) {
      e.failures.pollFirst();
    }
    e.failures.addLast(nowNanos);
    boolean locks = e.failures.size() >= maxFailures && !locked(key, nowNanos);
    if (locks) {
      e.everLocked = true;
      e.lockedUntilNanos = nowNanos + lockoutNanos;
      e.failures.clear();
    }
    if (entries.size() > maxKeys) {
      Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
      it.next();
      it.remove();
    }
    return locks;
  }

  /** Forgets a key's failures (after a successful sign-in). A running lockout stays. */
  public void succeeded(String key) {
    Entry e = entries.get(key);
    if (e != null) {
      e.failures.clear();
    }
  }

  /** Drops entries with no recent failure and no running lockout; call now and then. */
  public void expire(long nowNanos) {
    entries.values().removeIf(e -> !e.lockedAt(nowNanos)
        && (e.failures.isEmpty() || nowNanos - e.failures.peekLast() >= windowNanos));
  }

  public int size() {
    return entries.size();
  }
}
