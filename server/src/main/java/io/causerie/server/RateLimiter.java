package io.causerie.server;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A token bucket per key (here: per source address for datagrams that carry no valid session), so one
 * address cannot flood the sign-in path. Pure: time comes in. Signalling thread only.
 */
public final class RateLimiter {
  /** Sustained unauthenticated datagrams per second and address. */
  public static final double DEFAULT_RATE_PER_SECOND = 20;
  /** Burst allowed above the rate. */
  public static final double DEFAULT_BURST = 40;
  /** Addresses tracked at most; the least recently seen go first. */
  public static final int DEFAULT_MAX_KEYS = 100_000;

  private static final class Bucket {
    double tokens;
    long lastNanos;
  }

  private final double ratePerNano;
  private final double burst;
  private final int maxKeys;
  private final LinkedHashMap<Object, Bucket> buckets = new LinkedHashMap<>(16, 0.75f, true);

  public RateLimiter(double ratePerSecond, double burst, int maxKeys) {
    this.ratePerNano = ratePerSecond / 1e9;
    this.burst = burst;
    this.maxKeys = maxKeys;
  }

  public RateLimiter() {
    this(DEFAULT_RATE_PER_SECOND, DEFAULT_BURST, DEFAULT_MAX_KEYS);
  }

  /** Takes a token for {@code key}; false means drop this datagram. */
  public boolean allow(Object key, long nowNanos) {
    Bucket b = buckets.get(key);
    if (b == null) {
      b = new Bucket();
      b.tokens = burst;
      b.lastNanos = nowNanos;
      buckets.put(key, b);
      if (buckets.size() > maxKeys) {
        Iterator<Map.Entry<Object, Bucket>> it = buckets.entrySet().iterator();
        it.next();
        it.remove();
      }
    } else {
      b.tokens = Math.min(burst, b.tokens + (nowNanos - b.lastNanos) * ratePerNano);
      b.lastNanos = nowNanos;
    }
    if (b.tokens < 1) {
      return false;
    }
    b.tokens -= 1;
    return true;
  }

  public int size() {
    return buckets.size();
  }
}
