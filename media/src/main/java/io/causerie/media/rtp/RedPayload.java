package io.causerie.media.rtp;

/**
 * An RTP payload for redundant audio data (RFC 2198): earlier frames re-sent ahead of the primary one,
 * so a receiver that lost their own packets can still play them. A reusable, zero-copy view for reading
 * and a static writer; a pure codec that never touches a socket.
 *
 * <p>Wire layout (RFC 2198 §3), big-endian; one 4-byte header per redundant block (F = 1), then the
 * 1-byte header of the primary block (F = 0), then the blocks' data in the same order:
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |1|   block PT  |  timestamp offset         |   block length    |  redundant block header
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |0|   block PT  |                                                  primary block header
 * +-+-+-+-+-+-+-+-+
 * | redundant block data (oldest first) ... | primary block data (the rest of the payload) |
 * </pre>
 *
 * <p>The timestamp offset (14 bits, RTP clock units) is subtracted from the packet's timestamp to give
 * the block's; the block length is 10 bits, so a redundant block holds at most {@value
 * #MAX_BLOCK_BYTES} bytes. The primary block's length is whatever the payload has left.
 *
 * <p>{@link #read} returns false, and leaves the view empty, for anything malformed: a payload shorter
 * than its headers, block lengths running past the payload, more than {@value #MAX_BLOCKS} blocks. It
 * never throws for bad input: network data is dropped silently. Not thread-safe.
 */
public final class RedPayload {
  /** Bytes of a redundant block's header. */
  public static final int REDUNDANT_HEADER_BYTES = 4;

  /** Bytes of the primary block's header. */
  public static final int PRIMARY_HEADER_BYTES = 1;

  /** Largest redundant block the 10-bit length field can describe. */
  public static final int MAX_BLOCK_BYTES = (1 << 10) - 1;

  /** Largest timestamp offset the 14-bit field can hold. */
  public static final int MAX_TIMESTAMP_OFFSET = (1 << 14) - 1;

  /**
   * Most blocks (redundant ones and the primary) a payload may hold; more is treated as malformed. Causerie
   * sends at most three.
   */
  public static final int MAX_BLOCKS = 8;

  private final int[] payloadType = new int[MAX_BLOCKS];
  private final int[] timestampOffset = new int[MAX_BLOCKS];
  private final int[] offset = new int[MAX_BLOCKS];
  private final int[] length = new int[MAX_BLOCKS];
  private int blocks;

  /**
   * Parses the RED payload at {@code buf[off..off+len)}; returns false (and leaves the view with no
   * blocks) if it is malformed.
   */
  public boolean read(byte[] buf, int off, int len) {
    blocks = 0;
    if (buf == null || off < 0 || len < 0 || off > buf.length - len) {
      return false;
    }
    int end = off + len;
    int p = off;
    int n = 0;
    long redundantBytes = 0;
    while (true) {
      if (p >= end || n >= MAX_BLOCKS) {
        return false;
      }
      int b0 = buf[p] & 0xFF;
      if ((b0 & 0x80) == 0) {
        payloadType[n] = b0 & 0x7F;
        timestampOffset[n] = 0;
        p += PRIMARY_HEADER_BYTES;
        n++;
        break;
      }
      if (end - p < REDUNDANT_HEADER_BYTES) {
        return false;
      }
      int word = ((buf[p + 1] & 0xFF) << 16) | ((buf[p + 2] & 0xFF) << 8) | (buf[p + 3] & 0xFF);
      payloadType[n] = b0 & 0x7F;
      timestampOffset[n] = word >>> 10;
      length[n] = word & 0x3FF;
      redundantBytes += length[n];
      p += REDUNDANT_HEADER_BYTES;
      n++;
    }
    if (redundantBytes > end - p) {
      return false;
    }
    for (int i = 0; i < n - 1; i++) {
      offset[i] = p;
      p += length[i];
    }
    offset[n - 1] = p;
    length[n - 1] = end - p;
    blocks = n;
    return true;
  }

  /** Blocks in the payload read last (the primary one included); 0 if it was malformed. */
  public int blockCount() {
    return blocks;
  }

  /** Index of the primary block: the last one. */
  public int primaryIndex() {
    return blocks - 1;
  }

  /** Payload type of block {@code i}. */
  public int payloadType(int i) {
    return payloadType[check(i)];
  }

  /** Timestamp offset of block {@code i} (0 for the primary block). */
  public int timestampOffset(int i) {
    return timestampOffset[check(i)];
  }

  /** Where block {@code i}'s data starts in the buffer read. */
  public int offset(int i) {
    return offset[check(i)];
  }

  /** Length of block {@code i}'s data. */
  public int length(int i) {
    return length[check(i)];
  }

  private int check(int i) {
    if (i < 0 || i >= blocks) {
      throw new IndexOutOfBoundsException("block " + i + " of " + blocks);
    }
    return i;
  }

  /** Length of a payload with redundant blocks of {@code redundantBytes} in all and a primary block. */
  public static int encodedLength(int redundantBlocks, int redundantBytes, int primaryBytes) {
    return redundantBlocks * REDUNDANT_HEADER_BYTES + redundantBytes + PRIMARY_HEADER_BYTES + primaryBytes;
  }

  /**
   * Writes a RED payload at {@code out[outOff]}: {@code count} redundant blocks, oldest first, block
   * {@code i} being {@code data[i][0..lengths[i])} with payload type {@code payloadTypes[i]} and
   * timestamp offset {@code timestampOffsets[i]}, then the primary block; returns the bytes written.
   *
   * @throws IllegalArgumentException for a payload type, offset or length the format cannot carry (a
   *     sender's bug, not network input)
   */
  public static int write(byte[] out, int outOff, int count, int[] payloadTypes, int[] timestampOffsets,
      byte[][] data, int[] lengths, int primaryPayloadType, byte[] primary, int primaryOff, int primaryLen) {
    if (count < 0 || count >= MAX_BLOCKS) {
      throw new IllegalArgumentException("redundant blocks: " + count);
    }
    checkPayloadType(primaryPayloadType);
    int p = outOff;
    for (int i = 0; i < count; i++) {
      checkPayloadType(payloadTypes[i]);
      if (timestampOffsets[i] < 0 || timestampOffsets[i] > MAX_TIMESTAMP_OFFSET) {
        throw new IllegalArgumentException("timestamp offset out of 0.." + MAX_TIMESTAMP_OFFSET);
      }
      if (lengths[i] < 0 || lengths[i] > MAX_BLOCK_BYTES) {
        throw new IllegalArgumentException("redundant block longer than " + MAX_BLOCK_BYTES + " bytes");
      }
      int word = (timestampOffsets[i] << 10) | lengths[i];
      out[p] = (byte) (0x80 | payloadTypes[i]);
      out[p + 1] = (byte) (word >>> 16);
      out[p + 2] = (byte) (word >>> 8);
      out[p + 3] = (byte) word;
      p += REDUNDANT_HEADER_BYTES;
    }
    out[p++] = (byte) primaryPayloadType;
    for (int i = 0; i < count; i++) {
      System.arraycopy(data[i], 0, out, p, lengths[i]);
      p += lengths[i];
    }
    System.arraycopy(primary, primaryOff, out, p, primaryLen);
    return p + primaryLen - outOff;
  }

  private static void checkPayloadType(int pt) {
    if (pt < 0 || pt > PayloadTypes.MAX) {
      throw new IllegalArgumentException("payload type out of 0.." + PayloadTypes.MAX + ": " + pt);
    }
  }
}
