package io.causerie.media.fuzz;

import io.causerie.media.codec.G711Codec;
import io.causerie.media.codec.OpusCodec;
import io.causerie.media.codec.PcmaCodec;
import io.causerie.media.codec.PcmuCodec;
import io.causerie.media.crypto.SrtpContext;
import io.causerie.media.crypto.SrtpKeys;
import io.causerie.media.quality.QualityReport;
import io.causerie.media.rtp.PayloadTypes;
import io.causerie.media.rtp.RtpPacket;
import io.causerie.media.testing.Signals;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the seed corpora of this module's fuzz tests into src/test/resources. Not part of the normal test run
 * (the class name matches no surefire include); run once after changing the seeds:
 *
 * <pre>mvn -B -o -pl media test -Dtest=SeedCorpusWriter -Dcauserie.fuzz.writeSeeds=true</pre>
 */
@EnabledIfSystemProperty(named = "causerie.fuzz.writeSeeds", matches = "true")
class SeedCorpusWriter {
  private static final Path RESOURCES = Path.of("src/test/resources/io/causerie/media/fuzz");

  private static void write(String test, String method, String name, byte[] bytes) throws IOException {
    Path dir = RESOURCES.resolve(test + "Inputs").resolve(method);
    Files.createDirectories(dir);
    Files.write(dir.resolve("seed-" + name), bytes);
  }

  private static byte[] rtp(int pt, boolean marker, int seq, long ts, int ssrc, int[] csrcs, byte[] ext,
      byte[] payload, int padding) {
    int cc = csrcs == null ? 0 : csrcs.length;
    int extBytes = ext == null ? 0 : RtpPacket.EXTENSION_HEADER_BYTES + ext.length;
    byte[] out = new byte[RtpPacket.headerLength(cc) + extBytes + payload.length + padding];
    int pos = RtpPacket.writeHeader(out, 0, marker, pt, seq, ts, ssrc, csrcs, cc);
    if (ext != null) {
      out[0] |= 0x10;
      out[pos] = (byte) 0xBE;
      out[pos + 1] = (byte) 0xDE;
      out[pos + 2] = (byte) (ext.length / 4 >>> 8);
      out[pos + 3] = (byte) (ext.length / 4);
      System.arraycopy(ext, 0, out, pos + 4, ext.length);
      pos += extBytes;
    }
    System.arraycopy(payload, 0, out, pos, payload.length);
    if (padding > 0) {
      out[0] |= 0x20;
      out[out.length - 1] = (byte) padding;
    }
    return out;
  }

  private static byte[][] opusPackets(int count, int lossPercent, boolean dtx) {
    OpusCodec c = new OpusCodec(OpusCodec.Config.DEFAULTS.withExpectedLossPercent(lossPercent).withDtx(dtx));
    short[] pcm = Signals.speechLike(OpusCodec.SAMPLE_RATE_HZ, OpusCodec.FRAME_SAMPLES * count, 7);
    byte[][] out = new byte[count][];
    byte[] buf = new byte[OpusCodec.MAX_PAYLOAD_BYTES];
    for (int i = 0; i < count; i++) {
      int n = c.encode(pcm, i * OpusCodec.FRAME_SAMPLES, buf, 0);
      out[i] = Arrays.copyOf(buf, n);
    }
    return out;
  }

  private static byte[] g711Frame(G711Codec codec) {
    short[] pcm = Signals.speechLike(G711Codec.SAMPLE_RATE_HZ, G711Codec.FRAME_SAMPLES, 3);
    byte[] out = new byte[G711Codec.FRAME_SAMPLES];
    codec.encode(pcm, 0, out, 0);
    return out;
  }

  private static byte[] prefixed(int first, byte[] rest) {
    byte[] out = new byte[rest.length + 1];
    out[0] = (byte) first;
    System.arraycopy(rest, 0, out, 1, rest.length);
    return out;
  }

  @Test
  void rtp() throws IOException {
    byte[] pcmu = g711Frame(new PcmuCodec());
    byte[] opus = opusPackets(3, 0, false)[2];
    String t = "RtpPacketFuzzTest";
    write(t, "parse", "pcmu", rtp(PayloadTypes.PCMU, true, 1, 160, 0x11223344, null, null, pcmu, 0));
    write(t, "parse", "opus", rtp(PayloadTypes.OPUS_DEFAULT, false, 65535, 0xFFFFFC40L, -1, null, null, opus, 0));
    write(t, "parse", "csrcs", rtp(PayloadTypes.PCMA, false, 7, 1120, 5, new int[] {1, 2, 3}, null,
        new byte[] {1, 2, 3, 4}, 0));
    write(t, "parse", "extension", rtp(PayloadTypes.OPUS_DEFAULT, false, 8, 7680, 5, null,
        new byte[] {0x10, 0x22, 0, 0, 0x21, 1, 2, 0}, opus, 0));
    write(t, "parse", "padding", rtp(PayloadTypes.PCMU, false, 9, 1440, 5, null, null, new byte[] {9, 9}, 4));
    write(t, "parse", "all", rtp(PayloadTypes.PCMU, true, 10, 1600, 5, new int[] {42},
        new byte[] {1, 2, 3, 4}, new byte[] {7}, 3));
    write(t, "parse", "header-only", rtp(0, false, 0, 0, 0, null, null, new byte[0], 0));
    write(t, "parse", "max-csrcs", rtp(96, false, 1, 1, 1, new int[15], null, new byte[0], 0));
  }

  @Test
  void qualityReport() throws IOException {
    String t = "QualityReportFuzzTest";
    write(t, "decode", "typical", new QualityReport(1, 2, 13, 120, 70_000, 48, 0x12345678L, 6553).toBytes());
    write(t, "decode", "negative-lost", new QualityReport(-1, -2, 0, -5, 0, 0, 0, 0).toBytes());
    write(t, "decode", "extremes", new QualityReport(Integer.MAX_VALUE, Integer.MIN_VALUE, 255,
        QualityReport.MAX_CUMULATIVE_LOST, 0xFFFF_FFFFL, 0xFFFF_FFFFL, 0xFFFF_FFFFL, 0xFFFF_FFFFL).toBytes());
  }

  @Test
  void codecs() throws IOException {
    String t = "CodecFuzzTest";
    byte[][] plain = opusPackets(6, 0, false);
    byte[][] fec = opusPackets(6, 20, false);
    byte[][] dtx = opusPackets(6, 0, true);
    for (int i = 2; i < 6; i++) {
      write(t, "opus", "plain-" + i, plain[i]);
      write(t, "opus", "fec-" + i, fec[i]);
    }
    write(t, "opus", "dtx", dtx[5]);
    write(t, "opus", "toc-only", new byte[] {(byte) 0x78});
    write(t, "opus", "code3-two-frames", new byte[] {(byte) 0x7B, 0x02, 0x01, 0x02, 0x03, 0x04});
    byte[] mu = g711Frame(new PcmuCodec());
    byte[] a = g711Frame(new PcmaCodec());
    write(t, "g711", "pcmu", prefixed(0, mu));
    write(t, "g711", "pcma", prefixed(1, a));
    write(t, "g711", "pcmu-silence", prefixed(0, filled(160, 0xFF)));
    write(t, "g711", "pcma-10ms", prefixed(1, Arrays.copyOf(a, 80)));
    write(t, "g711", "empty-payload", new byte[] {0});
    // Reproducers of the G.711 frame-size bug (see CodecFuzzTest#g711FrameSize).
    write(t, "g711FrameSize", "pcmu-161-bytes", prefixed(0, filled(161, 0x80)));
    write(t, "g711FrameSize", "pcma-320-bytes", prefixed(1, filled(320, 0x2A)));
    write(t, "g711FrameSize", "pcmu-80-bytes", prefixed(0, Arrays.copyOf(mu, 80)));
    write(t, "g711FrameSize", "pcmu-160-bytes", prefixed(0, mu));
  }


  @Test
  void srtp() throws IOException {
    String t = "SrtpContextFuzzTest";
    // Well-formed SRTP/SRTCP, but under another key than the fuzz target's receiver: must be refused.
    byte[] key = new byte[SrtpKeys.MASTER_KEY_BYTES];
    byte[] salt = new byte[SrtpKeys.MASTER_SALT_BYTES];
    Arrays.fill(key, (byte) 0x42);
    Arrays.fill(salt, (byte) 0x17);
    SrtpContext other = new SrtpContext(new SrtpKeys(key, salt));
    byte[] pcmu = g711Frame(new PcmuCodec());
    byte[] p1 = rtp(PayloadTypes.PCMU, true, 1, 160, 0x11223344, null, null, pcmu, 0);
    byte[] p2 = rtp(PayloadTypes.OPUS_DEFAULT, false, 2, 960, 0x11223344, new int[] {5}, new byte[] {1, 2, 3, 4},
        opusPackets(3, 0, false)[2], 0);
    write(t, "unprotectGarbage", "srtp-other-key", other.protectRtp(p1, 0, p1.length));
    write(t, "unprotectGarbage", "srtp-ext-other-key", other.protectRtp(p2, 0, p2.length));
    byte[] sr = new byte[28];
    sr[0] = (byte) 0x80;
    sr[1] = (byte) 200;
    sr[3] = 6;
    sr[7] = 1;
    byte[] srtcp = other.protectRtcp(sr, 0, sr.length);
    write(t, "unprotectGarbage", "srtcp-other-key", srtcp);
    byte[] noE = srtcp.clone();
    noE[noE.length - 4] &= 0x7F;
    write(t, "unprotectGarbage", "srtcp-e-flag-clear", noE);
    write(t, "unprotectGarbage", "rtp-plain", p1);
    write(t, "unprotectGarbage", "short", new byte[] {(byte) 0x80, 0, 0, 1});
    Random r = new Random(7714);
    for (int i = 0; i < 10; i++) {
      byte[] b = new byte[32 + r.nextInt(400)];
      r.nextBytes(b);
      write(t, "mutateProtected", "random-" + i, b);
    }
    write(t, "mutateProtected", "zeros", new byte[64]);
  }
  private static byte[] filled(int n, int v) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) v);
    return b;
  }

  @Test
  void jitterBuffer() throws IOException {
    Random r = new Random(20261124);
    for (int i = 0; i < 10; i++) {
      byte[] b = new byte[128 + r.nextInt(512)];
      r.nextBytes(b);
      write("JitterBufferFuzzTest", "insertAndPoll", "random-" + i, b);
    }
  }
}
