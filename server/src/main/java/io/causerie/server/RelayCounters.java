package io.causerie.server;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the relay forwarded and what it dropped, by reason. Written by the relay thread (a single writer, so the
 * increments are ordered stores, not locked read-modify-writes), read by any thread.
 */
final class RelayCounters {
  private final AtomicLong forwardedPackets = new AtomicLong();
  private final AtomicLong forwardedBytes = new AtomicLong();
  private final AtomicLong[] drops = new AtomicLong[UdpMediaRelay.Drop.values().length];

  RelayCounters() {
    for (int i = 0; i < drops.length; i++) {
      drops[i] = new AtomicLong();
    }
  }

  /** Relay thread. */
  void forwarded(int bytes) {
    forwardedPackets.lazySet(forwardedPackets.get() + 1);
    forwardedBytes.lazySet(forwardedBytes.get() + bytes);
  }

  /** Relay thread. */
  void drop(UdpMediaRelay.Drop why) {
    AtomicLong c = drops[why.ordinal()];
    c.lazySet(c.get() + 1);
  }

  long forwardedPackets() {
    return forwardedPackets.get();
  }

  long forwardedBytes() {
    return forwardedBytes.get();
  }

  long dropped(UdpMediaRelay.Drop why) {
    return drops[why.ordinal()].get();
  }
}
