package io.causerie.server;

import java.net.InetSocketAddress;

/**
 * The single-port relay's decision for one datagram, without sockets (docs/PROTOCOL.md §8.7): read the media id
 * from the clear RTP or RTCP header, find the client that sends with it, and let that client's {@link RelayLeg}
 * apply the same source check, latching and caps as a port of its own would. Relay thread only; the table is
 * changed through {@link #put} and {@link #remove}, which the adapter runs on the relay thread.
 *
 * <pre>
 *  RTP (RFC 3550 §5.1), SRTP keeps it in the clear:     RTCP / SRTCP (RFC 3550 §6.4, RFC 3711 §3.4):
 *  0               1               2               3    0               1               2               3
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-------------------+ +-+-+-+-+-+-+-+-+---------------+-----------------+
 * |V=2|P|X|  CC   |M|  PT (not 64-95) | sequence      | |V=2|P|  RC     | PT 192-223    | length          |
 * +---------------+---------------+---------------+---+ +---------------+---------------+-----------------+
 * |                 timestamp                         | |            SSRC of sender = media id            |
 * +---------------------------------------------------+ +-------------------------------------------------+
 * |                 SSRC = media id                   |
 * +---------------------------------------------------+
 * </pre>
 *
 * The second byte tells RTCP from RTP as RFC 5761 §4 multiplexes them on one port.
 */
final class SinglePortRelayCore {
  /** Shortest datagram with a media id: the RTP fixed header (an RTCP header with its SSRC is 8 bytes). */
  static final int MIN_RTP_BYTES = 12;
  static final int MIN_RTCP_BYTES = 8;

  private final MediaIdTable table = new MediaIdTable();
  private final RelayCounters counters;

  SinglePortRelayCore(RelayCounters counters) {
    this.counters = counters;
  }

  /**
   * Where in a datagram the media id is, from its first two bytes: 8 for RTP, 4 for RTCP, or -1 when the datagram
   * is not RTP or RTCP version 2 or is too short to carry an SSRC.
   */
  static int mediaIdOffset(int firstByte, int secondByte, int len) {
    if ((firstByte & 0xC0) != 0x80) {
      return -1;
    }
    int pt = secondByte & 0xFF;
    if (pt >= 192 && pt <= 223) {
      return len >= MIN_RTCP_BYTES ? 4 : -1;
    }
    return len >= MIN_RTP_BYTES ? 8 : -1;
  }

  /** The media id of a datagram in {@code buf[off, off + len)}, or 0 when it has none. */
  static int mediaId(byte[] buf, int off, int len) {
    if (len < 2) {
      return 0;
    }
    int at = mediaIdOffset(buf[off], buf[off + 1], len);
    if (at < 0) {
      return 0;
    }
    int i = off + at;
    return ((buf[i] & 0xFF) << 24) | ((buf[i + 1] & 0xFF) << 16) | ((buf[i + 2] & 0xFF) << 8) | (buf[i + 3] & 0xFF);
  }

  /**
   * Where a datagram with media id {@code mediaId} (0: none) goes, or null when it is dropped (counted). Allocates
   * nothing.
   */
  InetSocketAddress route(int mediaId, int len, InetSocketAddress source, long nowNanos) {
    RelayLeg leg = table.get(mediaId);
    if (leg == null || leg.mediaId != mediaId) {
      counters.drop(UdpMediaRelay.Drop.UNKNOWN_MEDIA_ID);
      return null;
    }
    return leg.route(len, source, nowNanos, counters);
  }

  /** Relay thread: {@code leg} now sends with {@code mediaId}. */
  void put(int mediaId, RelayLeg leg) {
    table.put(mediaId, leg);
  }

  /** Relay thread: {@code leg} no longer sends with {@code mediaId}. */
  void remove(int mediaId, RelayLeg leg) {
    table.remove(mediaId, leg);
  }

  /** Calls' legs in the table (two per call). */
  int size() {
    return table.size();
  }

  void forwarded(int len) {
    counters.forwarded(len);
  }

  void sendFailed() {
    counters.drop(UdpMediaRelay.Drop.SEND_FAILED);
  }
}
