package io.causerie.media.quality;

import java.util.Objects;

/**
 * A reception-quality report about one RTP source, encoded exactly as an RTCP Receiver Report with
 * one report block (RFC 3550 §6.4.2, block fields §6.4.1), 32 bytes, big-endian:
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P=0| RC=1  |   PT=RR=201   |        length = 7 words       |  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of the reporter                         |  4
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                  SSRC of the source reported on               |  8
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | fraction lost |  cumulative number of packets lost (signed 24) | 12
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           extended highest sequence number received           | 16
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           interarrival jitter (RTP timestamp units)           | 20
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           last SR timestamp (LSR, compact NTP)                | 24
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           delay since last SR (DLSR, 1/65536 s)               | 28
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param reporterSsrc SSRC of the host sending the report
 * @param sourceSsrc SSRC of the stream the report is about
 * @param fractionLost loss since the previous report, 8-bit fixed point (0..255 = 0..99.6 %)
 * @param cumulativeLost packets lost since the start, signed 24-bit (negative with duplicates)
 * @param extendedHighestSeq extended highest sequence number received, 32 bits unsigned
 * @param jitter interarrival jitter in RTP timestamp units, 32 bits unsigned
 * @param lastSrTimestamp compact NTP time of the last SR received from the source, 0 if none
 * @param delaySinceLastSr delay between that SR's arrival and this report, in 1/65536 s
 */
public record QualityReport(
    int reporterSsrc,
    int sourceSsrc,
    int fractionLost,
    int cumulativeLost,
    long extendedHighestSeq,
    long jitter,
    long lastSrTimestamp,
    long delaySinceLastSr) {

  /** Encoded size in bytes. */
  public static final int BYTES = 32;

  /** RTCP version. */
  public static final int VERSION = 2;

  /** RTCP packet type of a Receiver Report. */
  public static final int PACKET_TYPE_RR = 201;

  /** Length field: packet length in 32-bit words minus one. */
  public static final int LENGTH_WORDS_MINUS_ONE = BYTES / 4 - 1;

  /** Smallest cumulative loss a signed 24-bit field holds. */
  public static final int MIN_CUMULATIVE_LOST = -(1 << 23);

  /** Largest cumulative loss a signed 24-bit field holds. */
  public static final int MAX_CUMULATIVE_LOST = (1 << 23) - 1;

  private static final long U32_MAX = 0xFFFF_FFFFL;

  public QualityReport {
    if (fractionLost < 0 || fractionLost > 255) {
      throw new IllegalArgumentException("fractionLost out of 0..255: " + fractionLost);
    }
    if (cumulativeLost < MIN_CUMULATIVE_LOST || cumulativeLost > MAX_CUMULATIVE_LOST) {
      throw new IllegalArgumentException("cumulativeLost out of 24-bit range: " + cumulativeLost);
    }
    checkU32("extendedHighestSeq", extendedHighestSeq);
    checkU32("jitter", jitter);
    checkU32("lastSrTimestamp", lastSrTimestamp);
    checkU32("delaySinceLastSr", delaySinceLastSr);
  }

  private static void checkU32(String name, long v) {
    if (v < 0 || v > U32_MAX) {
      throw new IllegalArgumentException(name + " out of 32-bit range: " + v);
    }
  }

  /** Clamps a cumulative-loss count to the signed 24-bit field as RFC 3550 §6.4.1 requires. */
  public static int clampCumulativeLost(long lost) {
    return (int) Math.max(MIN_CUMULATIVE_LOST, Math.min(MAX_CUMULATIVE_LOST, lost));
  }

  /** Fraction lost as a percentage 0..99.6. */
  public double fractionLostPercent() {
    return fractionLost * 100.0 / 256.0;
  }

  /**
   * Round-trip time in compact NTP units (RFC 3550 §6.4.1: A − LSR − DLSR) given the arrival time
   * {@code arrivalCompactNtp} of this report on the clock that stamped the SR; -1 when no SR was
   * reported (LSR = 0) or the result is negative (clock trouble).
   */
  public long roundTripUnits(long arrivalCompactNtp) {
    if (lastSrTimestamp == 0) {
      return -1;
    }
    long rtt = (arrivalCompactNtp - lastSrTimestamp - delaySinceLastSr) & U32_MAX;
    return rtt > (U32_MAX >>> 1) ? -1 : rtt;
  }

  /** {@link #roundTripUnits} in milliseconds, or -1. */
  public double roundTripMillis(long arrivalCompactNtp) {
    long units = roundTripUnits(arrivalCompactNtp);
    return units < 0 ? -1 : CompactNtp.toMillis(units);
  }

  /** Writes the {@value #BYTES}-byte encoding at {@code out[off]}; returns {@value #BYTES}. */
  public int encode(byte[] out, int off) {
    Objects.checkFromIndexSize(off, BYTES, out.length);
    out[off] = (byte) ((VERSION << 6) | 1);
    out[off + 1] = (byte) PACKET_TYPE_RR;
    out[off + 2] = 0;
    out[off + 3] = (byte) LENGTH_WORDS_MINUS_ONE;
    putU32(out, off + 4, reporterSsrc);
    putU32(out, off + 8, sourceSsrc);
    putU32(out, off + 12, ((long) fractionLost << 24) | (cumulativeLost & 0xFF_FFFF));
    putU32(out, off + 16, extendedHighestSeq);
    putU32(out, off + 20, jitter);
    putU32(out, off + 24, lastSrTimestamp);
    putU32(out, off + 28, delaySinceLastSr);
    return BYTES;
  }

  /** The encoding as a new array. */
  public byte[] toBytes() {
    byte[] out = new byte[BYTES];
    encode(out, 0);
    return out;
  }

  /**
   * Decodes a report from exactly {@code len} bytes at {@code in[off]}.
   *
   * @throws QualityReportFormatException when the bytes are not one 32-byte RR with one block
   * @throws IndexOutOfBoundsException if {@code off}/{@code len} do not lie inside {@code in}
   */
  public static QualityReport decode(byte[] in, int off, int len)
      throws QualityReportFormatException {
    Objects.checkFromIndexSize(off, len, in.length);
    if (len != BYTES) {
      throw new QualityReportFormatException("expected " + BYTES + " bytes, got " + len);
    }
    int b0 = in[off] & 0xFF;
    if (b0 >>> 6 != VERSION) {
      throw new QualityReportFormatException("unsupported version " + (b0 >>> 6));
    }
    if ((b0 & 0x20) != 0) {
      throw new QualityReportFormatException("padding is not allowed");
    }
    if ((b0 & 0x1F) != 1) {
      throw new QualityReportFormatException("expected one report block, got " + (b0 & 0x1F));
    }
    int pt = in[off + 1] & 0xFF;
    if (pt != PACKET_TYPE_RR) {
      throw new QualityReportFormatException("not a receiver report: packet type " + pt);
    }
    int lengthWords = ((in[off + 2] & 0xFF) << 8) | (in[off + 3] & 0xFF);
    if (lengthWords != LENGTH_WORDS_MINUS_ONE) {
      throw new QualityReportFormatException("length field " + lengthWords + " != "
          + LENGTH_WORDS_MINUS_ONE);
    }
    long lossWord = u32(in, off + 12);
    int fraction = (int) (lossWord >>> 24);
    int cumulative = ((int) (lossWord << 8)) >> 8;
    return new QualityReport((int) u32(in, off + 4), (int) u32(in, off + 8), fraction, cumulative,
        u32(in, off + 16), u32(in, off + 20), u32(in, off + 24), u32(in, off + 28));
  }

  /** Decodes a whole array. */
  public static QualityReport decode(byte[] in) throws QualityReportFormatException {
    return decode(in, 0, in.length);
  }

  private static void putU32(byte[] out, int pos, long v) {
    out[pos] = (byte) (v >>> 24);
    out[pos + 1] = (byte) (v >>> 16);
    out[pos + 2] = (byte) (v >>> 8);
    out[pos + 3] = (byte) v;
  }

  private static long u32(byte[] in, int pos) {
    return ((long) (in[pos] & 0xFF) << 24) | ((in[pos + 1] & 0xFF) << 16)
        | ((in[pos + 2] & 0xFF) << 8) | (in[pos + 3] & 0xFF);
  }
}
