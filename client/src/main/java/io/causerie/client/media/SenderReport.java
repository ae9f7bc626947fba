package io.causerie.client.media;

import io.causerie.media.quality.CompactNtp;

/**
 * An RTCP Sender Report without report blocks (RFC 3550 §6.4.1), the timestamp a receiver echoes
 * back as LSR so the sender can measure the round-trip time.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P=0| RC=0    |   PT=SR=200   |        length = 6 words       |  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         SSRC of sender                        |  4
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |              NTP timestamp, most significant word             |  8
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |             NTP timestamp, least significant word             | 12
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         RTP timestamp                         | 16
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     sender's packet count                     | 20
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      sender's octet count                     | 24
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>The "NTP" timestamp carries the sender's <em>monotonic</em> clock in NTP format (seconds and
 * 2^-32 fractions since an arbitrary origin), not wall-clock time: only the sender ever subtracts
 * it (RTT = A − LSR − DLSR, all on its own clock), and a monotonic clock cannot jump.
 *
 * @param ssrc SSRC of the sender
 * @param ntpSeconds NTP timestamp, seconds (32 bits unsigned)
 * @param ntpFraction NTP timestamp, fraction (32 bits unsigned)
 * @param rtpTimestamp RTP timestamp of the same instant
 * @param packetCount RTP packets sent so far (modulo 2^32)
 * @param octetCount RTP payload octets sent so far (modulo 2^32)
 */
public record SenderReport(
    int ssrc, long ntpSeconds, long ntpFraction, long rtpTimestamp, long packetCount,
    long octetCount) {

  /** Encoded size in bytes. */
  public static final int BYTES = 28;

  /** RTCP packet type of a Sender Report. */
  public static final int PACKET_TYPE_SR = 200;

  /** Length field: words minus one. */
  public static final int LENGTH_WORDS_MINUS_ONE = BYTES / 4 - 1;

  private static final long U32 = 0xFFFF_FFFFL;

  public SenderReport {
    ntpSeconds &= U32;
    ntpFraction &= U32;
    rtpTimestamp &= U32;
    packetCount &= U32;
    octetCount &= U32;
  }

  /** A report stamped with the monotonic clock reading {@code nowNanos}. */
  public static SenderReport at(
      int ssrc, long nowNanos, long rtpTimestamp, long packetCount, long octetCount) {
    long seconds = Math.floorDiv(nowNanos, 1_000_000_000L);
    long rest = Math.floorMod(nowNanos, 1_000_000_000L);
    long fraction = (rest << 32) / 1_000_000_000L;
    return new SenderReport(ssrc, seconds, fraction, rtpTimestamp, packetCount, octetCount);
  }

  /**
   * The middle 32 bits of the NTP timestamp (RFC 3550 §6.4.1 LSR), equal to {@link
   * CompactNtp#fromNanos} of the same clock reading.
   */
  public long compactNtp() {
    return ((ntpSeconds & 0xFFFF) << 16) | (ntpFraction >>> 16);
  }

  /** Writes the {@value #BYTES}-byte encoding at {@code out[off]}; returns {@value #BYTES}. */
  public int encode(byte[] out, int off) {
    java.util.Objects.checkFromIndexSize(off, BYTES, out.length);
    out[off] = (byte) (2 << 6);
    out[off + 1] = (byte) PACKET_TYPE_SR;
    out[off + 2] = 0;
    out[off + 3] = (byte) LENGTH_WORDS_MINUS_ONE;
    RtcpPackets.putU32(out, off + 4, ssrc);
    RtcpPackets.putU32(out, off + 8, ntpSeconds);
    RtcpPackets.putU32(out, off + 12, ntpFraction);
    RtcpPackets.putU32(out, off + 16, rtpTimestamp);
    RtcpPackets.putU32(out, off + 20, packetCount);
    RtcpPackets.putU32(out, off + 24, octetCount);
    return BYTES;
  }

  /**
   * Decodes one SR at {@code in[off]} whose RTCP length says {@code len} bytes; report blocks (RC
   * &gt; 0) and profile extensions after the sender info are ignored.
   */
  static SenderReport decode(byte[] in, int off, int len) throws RtcpFormatException {
    if (len < BYTES) {
      throw new RtcpFormatException("sender report of " + len + " bytes, at least " + BYTES
          + " needed");
    }
    return new SenderReport((int) RtcpPackets.u32(in, off + 4), RtcpPackets.u32(in, off + 8),
        RtcpPackets.u32(in, off + 12), RtcpPackets.u32(in, off + 16),
        RtcpPackets.u32(in, off + 20), RtcpPackets.u32(in, off + 24));
  }
}
