package io.causerie.bench.jmh;

import io.causerie.media.crypto.SrtpContext;
import io.causerie.media.crypto.SrtpKeys;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * SRTP (AEAD_AES_128_GCM, {@link SrtpContext}) per RTP packet: 172-byte RTP (a G.711 frame: 12-byte header and
 * 160 bytes) and 100-byte RTP (a generous Opus frame; 24 kbit/s speech averages about 72).
 *
 * <p>{@code protect} writes a fresh sequence number into the packet before each call (protecting a sequence number
 * twice is refused, since it would repeat a GCM nonce); the rollover counter advances every 65,536 packets as on a
 * real stream. {@code protect} returns a new array per packet: that allocation is the API's and is counted.
 *
 * <p>{@code unprotect} refuses replays, so it consumes a ring of {@value #RING} packets protected in setup with
 * sequence numbers 0..{@value #RING}−1, in order, into a reused output buffer, and when the ring is used up starts
 * again with a new receiving context (new replay state). That context creation (session-key derivation and four
 * {@code Cipher} instances) is inside the measured loop, amortised over {@value #RING} packets; {@link
 * SrtpContextBench} measures it alone: divided by {@value #RING} it is its share of each unprotect figure (a few
 * hundredths of a µs at most). A packet that does not authenticate fails the benchmark.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SrtpBench {
  /** Pre-protected packets consumed before the receiving context is re-created. */
  static final int RING = 16_384;

  @Param({"172", "100"})
  public int rtpBytes;

  private SrtpKeys keys;
  private SrtpContext sender;
  private byte[] plain;
  private long seq;
  private byte[][] ring;
  private SrtpContext receiver;
  private byte[] out;
  private int next;

  @Setup
  public void setUp() {
    byte[] key = new byte[SrtpKeys.MASTER_KEY_BYTES];
    byte[] salt = new byte[SrtpKeys.MASTER_SALT_BYTES];
    for (int i = 0; i < key.length; i++) {
      key[i] = (byte) (i * 29 + 3);
    }
    for (int i = 0; i < salt.length; i++) {
      salt[i] = (byte) (i * 53 + 7);
    }
    keys = new SrtpKeys(key, salt);
    plain = rtp(rtpBytes, 0);
    sender = new SrtpContext(keys);
    SrtpContext ringSender = new SrtpContext(keys);
    ring = new byte[RING][];
    for (int i = 0; i < RING; i++) {
      byte[] p = rtp(rtpBytes, i);
      ring[i] = ringSender.protectRtp(p, 0, p.length);
    }
    receiver = new SrtpContext(keys);
    out = new byte[rtpBytes];
    next = 0;
  }

  /** An RTP packet of {@code bytes}: version 2, PT 0, SSRC fixed, the payload a byte pattern. */
  static byte[] rtp(int bytes, int seq) {
    byte[] p = new byte[bytes];
    p[0] = (byte) 0x80;
    p[1] = 0;
    p[2] = (byte) (seq >>> 8);
    p[3] = (byte) seq;
    int ts = seq * 160;
    p[4] = (byte) (ts >>> 24);
    p[5] = (byte) (ts >>> 16);
    p[6] = (byte) (ts >>> 8);
    p[7] = (byte) ts;
    p[8] = 0x5E;
    p[9] = 0x11;
    p[10] = 0x22;
    p[11] = 0x33;
    for (int i = 12; i < bytes; i++) {
      p[i] = (byte) (i * 101 + 17);
    }
    return p;
  }

  @Benchmark
  public byte[] protect() {
    long s = seq++;
    plain[2] = (byte) (s >>> 8);
    plain[3] = (byte) s;
    return sender.protectRtp(plain, 0, plain.length);
  }

  @Benchmark
  public int unprotect() {
    if (next == RING) {
      receiver = new SrtpContext(keys);
      next = 0;
    }
    byte[] p = ring[next++];
    int n = receiver.unprotectRtp(p, 0, p.length, out);
    if (n != rtpBytes) {
      throw new IllegalStateException("unprotect returned " + n + " (" + (n < 0 ? SrtpContext.Reason.of(n) : "")
          + ") for packet " + (next - 1));
    }
    return n;
  }
}
