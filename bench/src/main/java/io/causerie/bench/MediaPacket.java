package io.causerie.bench;

import java.nio.ByteBuffer;

/**
 * The load generator's media packet: an RTP header (RFC 3550 §5.1) so the relay sees what a client would
 * send, then the bench's own fields, then zero padding up to the payload size.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|X|  CC   |M|     PT=0    |       sequence number (16)    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 timestamp (8 kHz: 160 per packet)             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   SSRC: the media id the server assigned, or the stream number |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |            send time, System.nanoTime() of the sender (64)    |
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 full sequence number (32)                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   phase (8)   |          bench stream number (32) ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  ... stream   |  zero padding up to the payload size ...
 * +-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Absolute positions only, so encoding and decoding never move a buffer's position and allocate nothing.
 */
public final class MediaPacket {
  private MediaPacket() {}

  public static final int RTP_VERSION_BYTE = 0x80;
  public static final int PAYLOAD_TYPE_PCMU = 0;
  /** Fields the bench needs; a payload must be at least this long. */
  public static final int MIN_BYTES = 29;
  /** Largest payload accepted: stays under a 1500-byte MTU with IP and UDP headers. */
  public static final int MAX_BYTES = 1400;
  /** RTP timestamp units per 20 ms packet at 8 kHz. */
  public static final int TIMESTAMP_STEP = 160;

  /** Sent while the bench warms up: not counted. */
  public static final byte PHASE_WARMUP = 0;
  /** Sent inside the measured window. */
  public static final byte PHASE_MEASURED = 1;

  private static final int OFF_SEQ16 = 2;
  private static final int OFF_TIMESTAMP = 4;
  private static final int OFF_SSRC = 8;
  private static final int OFF_SENT = 12;
  private static final int OFF_SEQ = 20;
  private static final int OFF_PHASE = 24;
  private static final int OFF_STREAM = 25;

  /** Writes the constant header bytes; the buffer's first {@code size} bytes become one packet. */
  public static void init(ByteBuffer b, int size) {
    for (int i = 0; i < size; i++) {
      b.put(i, (byte) 0);
    }
    b.put(0, (byte) RTP_VERSION_BYTE);
    b.put(1, (byte) PAYLOAD_TYPE_PCMU);
  }

  /** Fills the per-packet fields; the SSRC is the stream number (a server with a port per client). */
  public static void write(ByteBuffer b, int stream, int seq, long sentNanos, byte phase) {
    write(b, stream, stream, seq, sentNanos, phase);
  }

  /** Fills the per-packet fields, with the SSRC the server assigned (single-port mode). */
  public static void write(ByteBuffer b, int ssrc, int stream, int seq, long sentNanos, byte phase) {
    b.putShort(OFF_SEQ16, (short) seq);
    b.putInt(OFF_TIMESTAMP, seq * TIMESTAMP_STEP);
    b.putInt(OFF_SSRC, ssrc);
    b.putLong(OFF_SENT, sentNanos);
    b.putInt(OFF_SEQ, seq);
    b.put(OFF_PHASE, phase);
    b.putInt(OFF_STREAM, stream);
  }

  /** The same for a Netty buffer, at its absolute indices {@code [0, size)}: header, fields, zero padding. */
  public static void write(io.netty.buffer.ByteBuf b, int size, int ssrc, int stream, int seq, long sentNanos,
      byte phase) {
    write(b, 0, size, ssrc, stream, seq, sentNanos, phase);
  }

  /**
   * The same at absolute indices {@code [at, at + size)}, for several packets back to back in one buffer (one
   * segmentation-offload send); the writer index moves to {@code at + size}.
   */
  public static void write(io.netty.buffer.ByteBuf b, int at, int size, int ssrc, int stream, int seq,
      long sentNanos, byte phase) {
    b.setZero(at, size);
    b.setByte(at, RTP_VERSION_BYTE);
    b.setByte(at + 1, PAYLOAD_TYPE_PCMU);
    b.setShort(at + OFF_SEQ16, seq);
    b.setInt(at + OFF_TIMESTAMP, seq * TIMESTAMP_STEP);
    b.setInt(at + OFF_SSRC, ssrc);
    b.setLong(at + OFF_SENT, sentNanos);
    b.setInt(at + OFF_SEQ, seq);
    b.setByte(at + OFF_PHASE, phase);
    b.setInt(at + OFF_STREAM, stream);
    b.writerIndex(at + size);
  }

  /** True if a Netty buffer's readable bytes look like a bench packet. */
  public static boolean valid(io.netty.buffer.ByteBuf b) {
    int r = b.readerIndex();
    return b.readableBytes() >= MIN_BYTES && (b.getByte(r) & 0xFF) == RTP_VERSION_BYTE
        && (b.getByte(r + 1) & 0x7F) == PAYLOAD_TYPE_PCMU
        && (b.getShort(r + OFF_SEQ16) & 0xFFFF) == (b.getInt(r + OFF_SEQ) & 0xFFFF);
  }

  public static int stream(io.netty.buffer.ByteBuf b) {
    return b.getInt(b.readerIndex() + OFF_STREAM);
  }

  public static int ssrc(io.netty.buffer.ByteBuf b) {
    return b.getInt(b.readerIndex() + OFF_SSRC);
  }

  public static int seq(io.netty.buffer.ByteBuf b) {
    return b.getInt(b.readerIndex() + OFF_SEQ);
  }

  public static long sentNanos(io.netty.buffer.ByteBuf b) {
    return b.getLong(b.readerIndex() + OFF_SENT);
  }

  public static byte phase(io.netty.buffer.ByteBuf b) {
    return b.getByte(b.readerIndex() + OFF_PHASE);
  }

  /** True if the first {@code len} bytes look like a bench packet. */
  public static boolean valid(ByteBuffer b, int len) {
    return len >= MIN_BYTES && (b.get(0) & 0xFF) == RTP_VERSION_BYTE && (b.get(1) & 0x7F) == PAYLOAD_TYPE_PCMU
        && (b.getShort(OFF_SEQ16) & 0xFFFF) == (b.getInt(OFF_SEQ) & 0xFFFF);
  }

  public static int stream(ByteBuffer b) {
    return b.getInt(OFF_STREAM);
  }

  public static int ssrc(ByteBuffer b) {
    return b.getInt(OFF_SSRC);
  }

  public static int seq(ByteBuffer b) {
    return b.getInt(OFF_SEQ);
  }

  public static long sentNanos(ByteBuffer b) {
    return b.getLong(OFF_SENT);
  }

  public static byte phase(ByteBuffer b) {
    return b.get(OFF_PHASE);
  }
}
