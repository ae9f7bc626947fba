package io.causerie.media.rtp;

import java.util.Objects;

/**
 * A validated, zero-copy view of an RTP packet's fixed header, CSRC list, header extension and
 * payload inside a caller's byte array (RFC 3550 §5.1, §5.3.1).
 *
 * <p>Wire layout (RFC 3550 §5.1), all fields big-endian:
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           timestamp                           |  4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           synchronization source (SSRC) identifier            |  8
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |            contributing source (CSRC) identifiers             | 12, CC times
 * |                             ....                              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      defined by profile       |   length (32-bit words)       |  if X (§5.3.1)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 header extension (length words)               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                            payload ...                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |               ... padding (if P)  | pad count (incl. itself)  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>A view can be re-bound with {@link #read} to parse packet after packet without allocating.
 * It does not copy: it reflects later changes to the underlying array. Not thread-safe.
 */
public final class RtpPacket {
  /** The only RTP version this code accepts (RFC 3550 §5.1). */
  public static final int VERSION = 2;

  /** Length of the fixed header without CSRCs. */
  public static final int FIXED_HEADER_BYTES = 12;

  /** Most CSRC identifiers the 4-bit CC field can announce. */
  public static final int MAX_CSRC_COUNT = 15;

  /** Length of the header-extension preamble (profile + length). */
  public static final int EXTENSION_HEADER_BYTES = 4;

  private byte[] buf = new byte[0];
  private int off;
  private int len;
  private int csrcCount;
  private int extensionOffset = -1;
  private int extensionLength;
  private int payloadOffset;
  private int payloadLength;
  private int paddingLength;

  /** An empty view; bind it with {@link #read}. */
  public RtpPacket() {}

  /** Parses a packet into a new view over {@code buf[off, off+len)}. */
  public static RtpPacket parse(byte[] buf, int off, int len) throws RtpFormatException {
    return new RtpPacket().read(buf, off, len);
  }

  /** Parses a whole array as one packet into a new view. */
  public static RtpPacket parse(byte[] packet) throws RtpFormatException {
    return parse(packet, 0, packet.length);
  }

  /**
   * Re-binds this view to the packet in {@code buf[off, off+len)} after validating it; on failure
   * the view is left empty and {@link RtpFormatException} is thrown.
   *
   * @throws IndexOutOfBoundsException if {@code off}/{@code len} do not lie inside {@code buf}
   *     (a caller bug, not malformed input)
   */
  public RtpPacket read(byte[] buf, int off, int len) throws RtpFormatException {
    Objects.checkFromIndexSize(off, len, buf.length);
    clear();
    if (len < FIXED_HEADER_BYTES) {
      throw new RtpFormatException("packet too short for the RTP header: " + len + " bytes");
    }
    int b0 = buf[off] & 0xFF;
    int version = b0 >>> 6;
    if (version != VERSION) {
      throw new RtpFormatException("unsupported RTP version " + version);
    }
    boolean padding = (b0 & 0x20) != 0;
    boolean extension = (b0 & 0x10) != 0;
    int cc = b0 & 0x0F;
    int pos = FIXED_HEADER_BYTES + 4 * cc;
    if (pos > len) {
      throw new RtpFormatException("CSRC count " + cc + " overruns a " + len + "-byte packet");
    }
    int extOff = -1;
    int extLen = 0;
    if (extension) {
      if (pos + EXTENSION_HEADER_BYTES > len) {
        throw new RtpFormatException("header extension preamble overruns the packet");
      }
      int words = ((buf[off + pos + 2] & 0xFF) << 8) | (buf[off + pos + 3] & 0xFF);
      extOff = pos + EXTENSION_HEADER_BYTES;
      extLen = 4 * words;
      pos = extOff + extLen;
      if (pos > len) {
        throw new RtpFormatException("header extension of " + words + " words overruns the packet");
      }
    }
    int pad = 0;
    if (padding) {
      if (pos == len) {
        throw new RtpFormatException("padding bit set but no room for the padding count");
      }
      pad = buf[off + len - 1] & 0xFF;
      if (pad == 0) {
        throw new RtpFormatException("padding count of zero");
      }
      if (pad > len - pos) {
        throw new RtpFormatException("padding count " + pad + " exceeds the " + (len - pos)
            + " bytes after the header");
      }
    }
    this.buf = buf;
    this.off = off;
    this.len = len;
    this.csrcCount = cc;
    this.extensionOffset = extOff;
    this.extensionLength = extLen;
    this.payloadOffset = pos;
    this.payloadLength = len - pos - pad;
    this.paddingLength = pad;
    return this;
  }

  private void clear() {
    buf = new byte[0];
    off = 0;
    len = 0;
    csrcCount = 0;
    extensionOffset = -1;
    extensionLength = 0;
    payloadOffset = 0;
    payloadLength = 0;
    paddingLength = 0;
  }

  private int u8(int pos) {
    return buf[off + pos] & 0xFF;
  }

  private int u16(int pos) {
    return (u8(pos) << 8) | u8(pos + 1);
  }

  private long u32(int pos) {
    return ((long) u16(pos) << 16) | u16(pos + 2);
  }

  /** The RTP version field; always {@value #VERSION} on a parsed packet. */
  public int version() {
    return u8(0) >>> 6;
  }

  /** The P bit: whether padding octets follow the payload. */
  public boolean padding() {
    return (u8(0) & 0x20) != 0;
  }

  /** The X bit: whether a header extension follows the CSRC list. */
  public boolean extension() {
    return (u8(0) & 0x10) != 0;
  }

  /** The CC field: number of CSRC identifiers. */
  public int csrcCount() {
    return csrcCount;
  }

  /** The M bit (for audio: first packet of a talkspurt, RFC 3551 §4.1). */
  public boolean marker() {
    return (u8(1) & 0x80) != 0;
  }

  /** The 7-bit payload type. */
  public int payloadType() {
    return u8(1) & 0x7F;
  }

  /** The 16-bit sequence number, 0..65535. */
  public int sequenceNumber() {
    return u16(2);
  }

  /** The 32-bit RTP timestamp as an unsigned value 0..2^32-1. */
  public long timestamp() {
    return u32(4);
  }

  /** The SSRC identifier (32 bits, compared by equality; may be negative as an {@code int}). */
  public int ssrc() {
    return (int) u32(8);
  }

  /** The CSRC identifier at {@code index} (0-based, below {@link #csrcCount()}). */
  public int csrc(int index) {
    Objects.checkIndex(index, csrcCount);
    return (int) u32(FIXED_HEADER_BYTES + 4 * index);
  }

  /** The profile-defined 16 bits of the header extension, or -1 without an extension. */
  public int extensionProfile() {
    return extensionOffset < 0 ? -1 : u16(extensionOffset - EXTENSION_HEADER_BYTES);
  }

  /** Offset of the header-extension data in the backing array, or -1 without an extension. */
  public int extensionOffset() {
    return extensionOffset < 0 ? -1 : off + extensionOffset;
  }

  /** Length in bytes of the header-extension data (excluding its 4-byte preamble). */
  public int extensionLength() {
    return extensionLength;
  }

  /** Total header length: fixed header, CSRCs and extension. */
  public int headerLength() {
    return payloadOffset;
  }

  /** Offset of the payload in the backing array. */
  public int payloadOffset() {
    return off + payloadOffset;
  }

  /** Payload length in bytes, padding excluded. */
  public int payloadLength() {
    return payloadLength;
  }

  /** Number of padding octets, including the count octet; 0 without padding. */
  public int paddingLength() {
    return paddingLength;
  }

  /** The backing array this view reads from. */
  public byte[] buffer() {
    return buf;
  }

  /** Offset of the packet in the backing array. */
  public int offset() {
    return off;
  }

  /** Length of the whole packet in bytes. */
  public int length() {
    return len;
  }

  /** Header length for {@code csrcCount} CSRCs and no extension. */
  public static int headerLength(int csrcCount) {
    return FIXED_HEADER_BYTES + 4 * csrcCount;
  }

  /**
   * Writes a version-2 header without CSRCs, padding or extension at {@code out[off]}; returns
   * the number of bytes written ({@value #FIXED_HEADER_BYTES}).
   */
  public static int writeHeader(
      byte[] out, int off, boolean marker, int payloadType, int sequenceNumber, long timestamp,
      int ssrc) {
    return writeHeader(out, off, marker, payloadType, sequenceNumber, timestamp, ssrc, null, 0);
  }

  /**
   * Writes a version-2 header with the first {@code csrcCount} entries of {@code csrcs} at {@code
   * out[off]}; returns the number of bytes written. The sequence number and timestamp are taken
   * modulo 2^16 and 2^32.
   */
  public static int writeHeader(
      byte[] out, int off, boolean marker, int payloadType, int sequenceNumber, long timestamp,
      int ssrc, int[] csrcs, int csrcCount) {
    if (payloadType < 0 || payloadType > PayloadTypes.MAX) {
      throw new IllegalArgumentException("payload type out of range: " + payloadType);
    }
    if (csrcCount < 0 || csrcCount > MAX_CSRC_COUNT || (csrcCount > 0 && csrcs.length < csrcCount)) {
      throw new IllegalArgumentException("bad CSRC count: " + csrcCount);
    }
    int total = headerLength(csrcCount);
    Objects.checkFromIndexSize(off, total, out.length);
    out[off] = (byte) ((VERSION << 6) | csrcCount);
    out[off + 1] = (byte) ((marker ? 0x80 : 0) | payloadType);
    out[off + 2] = (byte) (sequenceNumber >>> 8);
    out[off + 3] = (byte) sequenceNumber;
    putU32(out, off + 4, timestamp);
    putU32(out, off + 8, ssrc);
    for (int i = 0; i < csrcCount; i++) {
      putU32(out, off + FIXED_HEADER_BYTES + 4 * i, csrcs[i]);
    }
    return total;
  }

  private static void putU32(byte[] out, int pos, long v) {
    out[pos] = (byte) (v >>> 24);
    out[pos + 1] = (byte) (v >>> 16);
    out[pos + 2] = (byte) (v >>> 8);
    out[pos + 3] = (byte) v;
  }

  @Override
  public String toString() {
    if (len == 0) {
      return "RtpPacket[empty]";
    }
    return "RtpPacket[pt=" + payloadType() + " seq=" + sequenceNumber() + " ts=" + timestamp()
        + " ssrc=" + Integer.toUnsignedString(ssrc()) + " m=" + marker() + " payload="
        + payloadLength + "B]";
  }
}
