package io.causerie.media.audio;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes 16-bit mono PCM as a canonical 44-byte-header RIFF/WAVE file; the RIFF and data sizes are
 * written as placeholders and fixed up on {@link #close()}.
 *
 * <pre>
 * 0  "RIFF"  4 u32 36+dataBytes  8 "WAVE"
 * 12 "fmt "  16 u32 16  20 u16 1 (PCM)  22 u16 1 (mono)  24 u32 rate  28 u32 rate*2
 *            32 u16 2 (block align)  34 u16 16 (bits)
 * 36 "data"  40 u32 dataBytes  44 samples (s16 little-endian)
 * </pre>
 */
public final class WavWriter implements FrameSink, Closeable {
  /** Size of the canonical header. */
  public static final int HEADER_BYTES = 44;

  /** Largest data size the 32-bit RIFF size field allows. */
  public static final long MAX_DATA_BYTES = 0xFFFF_FFFFL - 36;

  private static final int BUFFER_BYTES = 8192;

  private final SeekableByteChannel channel;
  private final long start;
  private final int sampleRateHz;
  private final ByteBuffer buffer =
      ByteBuffer.allocate(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
  private long dataBytes;
  private boolean closed;

  /** Creates (or truncates) {@code path} and writes the placeholder header. */
  public static WavWriter create(Path path, int sampleRateHz) throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING);
    try {
      return new WavWriter(ch, sampleRateHz);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** Writes a placeholder header at the channel's current position; the channel is owned. */
  public WavWriter(SeekableByteChannel channel, int sampleRateHz) throws IOException {
    if (sampleRateHz <= 0) {
      throw new IllegalArgumentException("sample rate must be positive: " + sampleRateHz);
    }
    this.channel = channel;
    this.start = channel.position();
    this.sampleRateHz = sampleRateHz;
    writeHeader(0);
  }

  private void writeHeader(long data) throws IOException {
    ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    h.put((byte) 'R').put((byte) 'I').put((byte) 'F').put((byte) 'F');
    h.putInt((int) (36 + data));
    h.put((byte) 'W').put((byte) 'A').put((byte) 'V').put((byte) 'E');
    h.put((byte) 'f').put((byte) 'm').put((byte) 't').put((byte) ' ');
    h.putInt(16);
    h.putShort((short) 1);
    h.putShort((short) 1);
    h.putInt(sampleRateHz);
    h.putInt(sampleRateHz * 2);
    h.putShort((short) 2);
    h.putShort((short) 16);
    h.put((byte) 'd').put((byte) 'a').put((byte) 't').put((byte) 'a');
    h.putInt((int) data);
    h.flip();
    channel.position(start);
    while (h.hasRemaining()) {
      channel.write(h);
    }
  }

  @Override
  public int sampleRateHz() {
    return sampleRateHz;
  }

  /** Samples written so far. */
  public long samplesWritten() {
    return dataBytes / 2;
  }

  /** Appends {@code len} samples from {@code pcm[off]}. */
  public void write(short[] pcm, int off, int len) throws IOException {
    if (closed) {
      throw new IOException("WavWriter is closed");
    }
    if (dataBytes + 2L * len > MAX_DATA_BYTES) {
      throw new IOException("WAV data would exceed the 4 GiB RIFF limit");
    }
    for (int i = 0; i < len; i++) {
      if (buffer.remaining() < 2) {
        flush();
      }
      buffer.putShort(pcm[off + i]);
    }
    dataBytes += 2L * len;
  }

  private void flush() throws IOException {
    buffer.flip();
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
    buffer.clear();
  }

  @Override
  public void writeFrame(short[] pcm, int off) throws IOException {
    write(pcm, off, frameSamples());
  }

  /** Flushes, fixes up the header sizes and closes the channel. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      flush();
      long end = channel.position();
      writeHeader(dataBytes);
      channel.position(end);
    } finally {
      channel.close();
    }
  }
}
