package io.causerie.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * One signed-in client's side of the relay, whatever the port layout: the host its media may come from, the
 * source port latched in this call, its call peer and its rate caps (docs/SECURITY.md §4). Pure: it sees a
 * datagram's length and source and the current time, and says where to forward it or why not.
 *
 * <p>{@link #allowedIp}, {@link #latched}, {@link #peer} and {@link #mediaId} are written by the signalling thread
 * and read by the relay thread; the latch time and the token buckets belong to the relay thread.
 */
class RelayLeg {
  /** A source port that has been silent this long may be replaced by another port of the same host. */
  static final long RELATCH_AFTER_SILENCE_NANOS = UdpMediaRelay.RELATCH_AFTER_SILENCE_MILLIS * 1_000_000L;

  final String user;
  final InetSocketAddress fixedReply;
  private final UdpMediaRelay.Limits limits;
  volatile InetAddress allowedIp;
  volatile InetSocketAddress latched;
  volatile RelayLeg peer;
  /** Single-port mode: the SSRC this client sends with in its current call (0 when not in a call). */
  volatile int mediaId;
  private long latchedHeardNanos;
  private double packetTokens;
  private double byteTokens;
  private long refilledNanos;

  RelayLeg(String user, InetAddress allowedIp, InetSocketAddress fixedReply, UdpMediaRelay.Limits limits,
      long nowNanos) {
    this.user = user;
    this.allowedIp = allowedIp;
    this.fixedReply = fixedReply;
    this.limits = limits;
    this.packetTokens = limits.packetsPerSecond() * limits.burstSeconds();
    this.byteTokens = limits.bytesPerSecond() * limits.burstSeconds();
    this.refilledNanos = nowNanos;
  }

  /** Where this client receives its media: its fixed reply port, or the address latched in this call. */
  InetSocketAddress replyAddress() {
    return fixedReply != null ? fixedReply : latched;
  }

  /**
   * Relay thread: the address a datagram of {@code len} bytes from {@code source} goes to (the peer's), or null
   * when it is dropped, the reason counted in {@code counters}. Allocates nothing.
   */
  InetSocketAddress route(int len, InetSocketAddress source, long now, RelayCounters counters) {
    if (!source.getAddress().equals(allowedIp)) {
      counters.drop(UdpMediaRelay.Drop.WRONG_SOURCE);
      return null;
    }
    RelayLeg p = peer;
    if (p == null) {
      counters.drop(UdpMediaRelay.Drop.NOT_IN_CALL);
      return null;
    }
    if (!withinRate(len, now)) {
      counters.drop(UdpMediaRelay.Drop.RATE_LIMITED);
      return null;
    }
    if (fixedReply == null) {
      InetSocketAddress l = latched;
      if (l == null || (!source.equals(l) && now - latchedHeardNanos >= RELATCH_AFTER_SILENCE_NANOS)) {
        latched = source;
      } else if (!source.equals(l)) {
        counters.drop(UdpMediaRelay.Drop.OTHER_PORT);
        return null;
      }
      latchedHeardNanos = now;
    }
    InetSocketAddress to = p.replyAddress();
    if (to == null) {
      counters.drop(UdpMediaRelay.Drop.PEER_NOT_LATCHED);
      return null;
    }
    return to;
  }

  /** Token buckets: refilled by elapsed time, each capped at its burst. */
  private boolean withinRate(int len, long now) {
    double elapsed = (now - refilledNanos) / 1e9;
    refilledNanos = now;
    packetTokens = Math.min(limits.packetsPerSecond() * limits.burstSeconds(),
        packetTokens + elapsed * limits.packetsPerSecond());
    byteTokens = Math.min(limits.bytesPerSecond() * limits.burstSeconds(),
        byteTokens + elapsed * limits.bytesPerSecond());
    if (packetTokens < 1 || byteTokens < len) {
      return false;
    }
    packetTokens -= 1;
    byteTokens -= len;
    return true;
  }
}
