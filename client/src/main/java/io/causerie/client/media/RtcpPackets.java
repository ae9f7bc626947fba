package io.causerie.client.media;

import io.causerie.media.quality.QualityReport;
import io.causerie.media.quality.QualityReportFormatException;
import java.util.Objects;

/**
 * The quality-report datagrams that share the media socket with RTP: how to tell them apart and
 * their compound layout (docs/VOICE.md, "Reports on the media socket").
 *
 * <p><b>Demultiplexing</b> follows RFC 5761 §4: a datagram whose second byte is 192..223 is RTCP
 * (packet types 200 SR and 201 RR among them), anything else of version 2 is RTP. RTP payload types
 * 64..95 would collide and are never used (Causerie sends 0, 8 and 111).
 *
 * <p><b>A report datagram</b> is an RTCP compound packet (RFC 3550 §6.1): a {@link SenderReport}
 * (28 bytes, no report blocks), followed, once the reporter has received RTP from its peer, by one
 * {@link QualityReport} (a 32-byte RR with one block) about that stream: 28 or 60 bytes. A receiver
 * skips any other RTCP packet in the compound by its length field, so later additions (SDES, BYE)
 * stay compatible. Pure; no allocation except the decoded records.
 */
public final class RtcpPackets {
  private RtcpPackets() {}

  /** First value of the second byte that marks RTCP (RFC 5761 §4). */
  public static final int RTCP_SECOND_BYTE_MIN = 192;

  /** Last value of the second byte that marks RTCP (RFC 5761 §4). */
  public static final int RTCP_SECOND_BYTE_MAX = 223;

  /** Smallest RTCP packet: the common header and an SSRC. */
  public static final int MIN_RTCP_BYTES = 8;

  /** Largest report datagram this code writes. */
  public static final int MAX_REPORT_BYTES = SenderReport.BYTES + QualityReport.BYTES;

  /** What a media-socket datagram is. */
  public enum Kind {
    RTP,
    RTCP,
    /** Neither (wrong version, too short): dropped and counted. */
    OTHER
  }

  /** Classifies a datagram by its first two bytes (RFC 5761 §4); does not validate further. */
  public static Kind classify(byte[] buf, int off, int len) {
    if (len < 2 || (buf[off] & 0xC0) != 0x80) {
      return Kind.OTHER;
    }
    int second = buf[off + 1] & 0xFF;
    if (second >= RTCP_SECOND_BYTE_MIN && second <= RTCP_SECOND_BYTE_MAX) {
      return len >= MIN_RTCP_BYTES ? Kind.RTCP : Kind.OTHER;
    }
    return Kind.RTP;
  }

  /**
   * A decoded report datagram.
   *
   * @param senderReport the SR, or null if the compound had none
   * @param receiverReport the first RR with exactly one block, or null
   */
  public record Compound(SenderReport senderReport, QualityReport receiverReport) {}

  /**
   * Writes a report datagram at {@code out[off]}: {@code sr}, then {@code rr} when not null;
   * returns its length.
   */
  public static int writeReport(byte[] out, int off, SenderReport sr, QualityReport rr) {
    int n = sr.encode(out, off);
    if (rr != null) {
      n += rr.encode(out, off + n);
    }
    return n;
  }

  /**
   * Decodes a compound RTCP datagram.
   *
   * @throws RtcpFormatException when a packet's version is not 2, its length runs past the
   *     datagram, or the compound does not start with an SR or RR (RFC 3550 A.2)
   */
  public static Compound decode(byte[] buf, int off, int len) throws RtcpFormatException {
    Objects.checkFromIndexSize(off, len, buf.length);
    SenderReport sr = null;
    QualityReport rr = null;
    int pos = off;
    int end = off + len;
    boolean first = true;
    while (pos < end) {
      if (end - pos < 4) {
        throw new RtcpFormatException("trailing " + (end - pos) + " bytes after the last packet");
      }
      int b0 = buf[pos] & 0xFF;
      int type = buf[pos + 1] & 0xFF;
      int bytes = ((((buf[pos + 2] & 0xFF) << 8) | (buf[pos + 3] & 0xFF)) + 1) * 4;
      if (b0 >>> 6 != 2) {
        throw new RtcpFormatException("RTCP version " + (b0 >>> 6));
      }
      if (bytes > end - pos) {
        throw new RtcpFormatException("packet of " + bytes + " bytes in " + (end - pos) + " left");
      }
      if (first && type != SenderReport.PACKET_TYPE_SR && type != QualityReport.PACKET_TYPE_RR) {
        throw new RtcpFormatException("compound starts with packet type " + type);
      }
      first = false;
      if (type == SenderReport.PACKET_TYPE_SR && sr == null) {
        sr = SenderReport.decode(buf, pos, bytes);
      } else if (type == QualityReport.PACKET_TYPE_RR && rr == null && (b0 & 0x1F) == 1
          && bytes == QualityReport.BYTES) {
        try {
          rr = QualityReport.decode(buf, pos, bytes);
        } catch (QualityReportFormatException e) {
          throw new RtcpFormatException("bad receiver report: " + e.getMessage());
        }
      }
      pos += bytes;
    }
    return new Compound(sr, rr);
  }

  static void putU32(byte[] out, int pos, long v) {
    out[pos] = (byte) (v >>> 24);
    out[pos + 1] = (byte) (v >>> 16);
    out[pos + 2] = (byte) (v >>> 8);
    out[pos + 3] = (byte) v;
  }

  static long u32(byte[] in, int pos) {
    return ((long) (in[pos] & 0xFF) << 24) | ((in[pos + 1] & 0xFF) << 16)
        | ((in[pos + 2] & 0xFF) << 8) | (in[pos + 3] & 0xFF);
  }
}
