package io.causerie.transport;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Recent answers keyed by (source, transaction id), so a retransmitted request gets the identical
 * answer and changes state only once (docs/PROTOCOL.md §6). Pure: time comes in.
 *
 * <p>Entries live {@code ttlNanos} (longer than a sender keeps retransmitting) and the cache holds at
 * most {@code maxEntries}; the oldest go first. Not thread-safe: owned by one event-loop thread.
 */
public final class AnswerCache {
  /**
   * Default lifetime: as long as a request's copies can keep arriving ({@link
   * RetransmitPolicy#DEFAULT_MAX_LIFETIME_MILLIS}: several rounds of resends, not one), so that no late copy is
   * taken for a new request. The size bound below, not the lifetime, caps memory under load.
   */
  public static final long DEFAULT_TTL_MILLIS = RetransmitPolicy.DEFAULT_MAX_LIFETIME_MILLIS;
  /** Default bound on remembered answers. */
  public static final int DEFAULT_MAX_ENTRIES = 100_000;

  /** Marks a request being worked on (for example waiting on the database): duplicates are dropped. */
  public static final byte[] IN_PROGRESS = new byte[0];

  private record Key(Object source, long txid) {}

  private record Entry(byte[] answer, long expiresNanos) {}

  private final long ttlNanos;
  private final int maxEntries;
  private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>();

  public AnswerCache(long ttlMillis, int maxEntries) {
    this.ttlNanos = ttlMillis * 1_000_000L;
    this.maxEntries = maxEntries;
  }

  public AnswerCache() {
    this(DEFAULT_TTL_MILLIS, DEFAULT_MAX_ENTRIES);
  }

  /**
   * The answer already given to this request, {@link #IN_PROGRESS} if it is being worked on, or null
   * if it is new.
   */
  public byte[] lookup(Object source, long txid, long nowNanos) {
    expire(nowNanos);
    Entry e = entries.get(new Key(source, txid));
    return e == null ? null : e.answer;
  }

  /** Remembers the answer to a request (replacing an in-progress mark). */
  public void put(Object source, long txid, byte[] answer, long nowNanos) {
    Key k = new Key(source, txid);
    entries.remove(k); // keep insertion order equal to expiry order
    entries.put(k, new Entry(answer, nowNanos + ttlNanos));
    while (entries.size() > maxEntries) {
      Iterator<Map.Entry<Key, Entry>> it = entries.entrySet().iterator();
      it.next();
      it.remove();
    }
  }

  /** Forgets a request (e.g. its work failed and the sender may try again). */
  public void remove(Object source, long txid) {
    entries.remove(new Key(source, txid));
  }

  private void expire(long nowNanos) {
    for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
      if (nowNanos - it.next().expiresNanos >= 0) {
        it.remove();
      } else {
        break; // insertion order is expiry order
      }
    }
  }

  public int size() {
    return entries.size();
  }
}
