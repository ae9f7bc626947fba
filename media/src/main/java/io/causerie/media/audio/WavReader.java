package io.causerie.media.audio;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads 16-bit PCM RIFF/WAVE audio of any sample rate, mono or stereo, as mono (stereo is averaged).
 *
 * <p>Layout (little-endian; Microsoft RIFF specification, WAVEFORMATEX / WAVEFORMATEXTENSIBLE):
 *
 * <pre>
 * "RIFF" u32 riffSize "WAVE"
 * then chunks, each: id[4] u32 size  data[size]  (pad byte if size is odd)
 *   "fmt " (16, 18 or 40+ bytes):
 *      u16 formatTag (1 = PCM, 0xFFFE = extensible)  u16 channels  u32 sampleRate
 *      u32 byteRate  u16 blockAlign  u16 bitsPerSample
 *      [u16 cbSize  u16 validBits  u32 channelMask  GUID subFormat (first u16 = 1 for PCM)]
 *   "data": interleaved little-endian s16 samples
 *   any other chunk ("LIST", "fact", "cue ", ...) is skipped
 * </pre>
 *
 * <p>The reader walks chunks until "data"; a data size of 0 or 0xFFFFFFFF (streaming writers) or
 * larger than the file means "until end of file", and a trailing partial sample is ignored.
 * Anything else unexpected is a {@link WavFormatException}.
 */
public final class WavReader implements FrameSource, Closeable {
  /** Format tag of integer PCM. */
  public static final int FORMAT_PCM = 1;

  /** Format tag of WAVE_FORMAT_EXTENSIBLE. */
  public static final int FORMAT_EXTENSIBLE = 0xFFFE;

  /** Only sample width supported. */
  public static final int BITS_PER_SAMPLE = 16;

  /** Most channels supported. */
  public static final int MAX_CHANNELS = 2;

  /** Highest sample rate accepted. */
  public static final int MAX_SAMPLE_RATE_HZ = 384_000;

  /** Most chunks skipped before "data" (guards against garbage that looks like chunks). */
  public static final int MAX_CHUNKS = 1024;

  private static final long UNKNOWN = -1;
  private static final int SCRATCH_BYTES = 4096;

  private final InputStream in;
  private final int sampleRateHz;
  private final int channels;
  private long dataBytesLeft;
  private final byte[] scratch = new byte[SCRATCH_BYTES];

  /** Opens and parses the header of a file. */
  public static WavReader open(Path path) throws IOException {
    InputStream in = Files.newInputStream(path);
    try {
      return new WavReader(in);
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  /** Parses the header from {@code input}, leaving it positioned at the first sample. */
  public WavReader(InputStream input) throws IOException {
    this.in = new BufferedInputStream(input);
    byte[] header = new byte[12];
    readHeaderBytes(header, 12, "RIFF header");
    if (!fourCc(header, 0, "RIFF") || !fourCc(header, 8, "WAVE")) {
      throw new WavFormatException("not a RIFF/WAVE file");
    }
    int rate = -1;
    int ch = -1;
    byte[] chunk = new byte[8];
    for (int chunks = 0; ; chunks++) {
      if (chunks >= MAX_CHUNKS) {
        throw new WavFormatException("no data chunk within " + MAX_CHUNKS + " chunks");
      }
      if (in.readNBytes(chunk, 0, 8) < 8) {
        throw new WavFormatException("no data chunk");
      }
      long size = u32(chunk, 4);
      if (fourCc(chunk, 0, "fmt ")) {
        if (size < 16 || size > 1024) {
          throw new WavFormatException("bad fmt chunk size " + size);
        }
        byte[] fmt = new byte[(int) size];
        readHeaderBytes(fmt, fmt.length, "fmt chunk");
        int tag = u16(fmt, 0);
        ch = u16(fmt, 2);
        rate = (int) Math.min(Integer.MAX_VALUE, u32(fmt, 4));
        int blockAlign = u16(fmt, 12);
        int bits = u16(fmt, 14);
        if (tag == FORMAT_EXTENSIBLE) {
          if (size < 40) {
            throw new WavFormatException("extensible fmt chunk too short: " + size);
          }
          tag = u16(fmt, 24);
        }
        if (tag != FORMAT_PCM) {
          throw new WavFormatException("unsupported format tag 0x" + Integer.toHexString(tag)
              + " (only integer PCM)");
        }
        if (bits != BITS_PER_SAMPLE) {
          throw new WavFormatException("unsupported sample width " + bits + " bits (only 16)");
        }
        if (ch < 1 || ch > MAX_CHANNELS) {
          throw new WavFormatException("unsupported channel count " + ch + " (mono or stereo)");
        }
        if (rate < 1 || rate > MAX_SAMPLE_RATE_HZ) {
          throw new WavFormatException("unsupported sample rate " + rate);
        }
        if (blockAlign != ch * 2) {
          throw new WavFormatException("block align " + blockAlign + " != " + (ch * 2));
        }
        skipFully(size & 1);
      } else if (fourCc(chunk, 0, "data")) {
        if (ch < 0) {
          throw new WavFormatException("data chunk before fmt chunk");
        }
        dataBytesLeft = (size == 0 || size == 0xFFFF_FFFFL) ? UNKNOWN : size;
        break;
      } else {
        skipFully(size + (size & 1));
      }
    }
    this.sampleRateHz = rate;
    this.channels = ch;
  }

  private void readHeaderBytes(byte[] b, int n, String what) throws IOException {
    if (in.readNBytes(b, 0, n) < n) {
      throw new WavFormatException("truncated " + what);
    }
  }

  private void skipFully(long n) throws IOException {
    long left = n;
    while (left > 0) {
      long skipped = in.skip(left);
      if (skipped <= 0) {
        if (in.read() < 0) {
          throw new WavFormatException("truncated chunk");
        }
        skipped = 1;
      }
      left -= skipped;
    }
  }

  private static boolean fourCc(byte[] b, int off, String id) {
    for (int i = 0; i < 4; i++) {
      if (b[off + i] != id.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static int u16(byte[] b, int off) {
    return (b[off] & 0xFF) | ((b[off + 1] & 0xFF) << 8);
  }

  private static long u32(byte[] b, int off) {
    return (u16(b, off) | ((long) u16(b, off + 2) << 16));
  }

  @Override
  public int sampleRateHz() {
    return sampleRateHz;
  }

  /** Channels in the file (output is always mono). */
  public int channels() {
    return channels;
  }

  /**
   * Reads up to {@code len} mono samples into {@code pcm[off]}; returns the number read, or -1 at
   * the end of the data.
   */
  public int read(short[] pcm, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    int bytesPerFrame = 2 * channels;
    int total = 0;
    while (total < len) {
      long want = (long) (len - total) * bytesPerFrame;
      want = Math.min(want, SCRATCH_BYTES - SCRATCH_BYTES % bytesPerFrame);
      if (dataBytesLeft != UNKNOWN) {
        want = Math.min(want, dataBytesLeft - dataBytesLeft % bytesPerFrame);
      }
      if (want <= 0) {
        break;
      }
      int got = in.readNBytes(scratch, 0, (int) want);
      int whole = got - got % bytesPerFrame;
      for (int i = 0; i < whole; i += bytesPerFrame) {
        int s = (short) u16(scratch, i);
        if (channels == 2) {
          s = (s + (short) u16(scratch, i + 2)) >> 1;
        }
        pcm[off + total++] = (short) s;
      }
      if (dataBytesLeft != UNKNOWN) {
        dataBytesLeft -= got;
      }
      if (got < want) {
        dataBytesLeft = 0; // file shorter than declared: stop at end of file
        break;
      }
    }
    return total == 0 ? -1 : total;
  }

  /** Reads one 20 ms frame, zero-padding a last partial frame. */
  @Override
  public boolean readFrame(short[] pcm, int off) throws IOException {
    int n = frameSamples();
    int got = read(pcm, off, n);
    if (got < 0) {
      return false;
    }
    int total = got;
    while (total < n) {
      int more = read(pcm, off + total, n - total);
      if (more < 0) {
        Silence.fill(pcm, off + total, n - total);
        break;
      }
      total += more;
    }
    return true;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
