package io.causerie.media.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.causerie.media.crypto.SrtpContext;
import io.causerie.media.crypto.SrtpKeys;
import io.causerie.media.rtp.RtpPacket;
import java.util.Arrays;

/**
 * Fuzz targets for {@link SrtpContext}'s unprotect side (SRTP/SRTCP with AEAD_AES_128_GCM), which sees every
 * datagram an attacker can send to the media socket.
 *
 * <ul>
 *   <li>{@code unprotectGarbage}: arbitrary bytes to {@link SrtpContext#unprotectRtp} and {@link
 *       SrtpContext#unprotectRtcp} (at offset 0, at an offset, in place, and with an output one byte too small):
 *       never throws, always returns a valid drop {@link SrtpContext.Reason}, and never accepts (a forged GCM tag),
 *       so garbage creates no receive state ({@link SrtpContext#accepted()} stays 0 over the whole run).
 *   <li>{@code mutateProtected}: a packet built from the input is protected, then mutated by the input (bit
 *       flips, byte sets, truncation, extension); the receiver accepts it if and only if the bytes are exactly the
 *       protected ones, and then returns the original plaintext; the genuine packet is then refused as a replay.
 * </ul>
 */
class SrtpContextFuzzTest {
  private static final byte[] MASTER_KEY = {
      (byte) 0xE1, (byte) 0xF9, 0x7A, 0x0D, 0x3E, 0x01, (byte) 0x8B, (byte) 0xE0,
      (byte) 0xD6, 0x4F, (byte) 0xA3, 0x2C, 0x06, (byte) 0xDE, 0x41, 0x39};
  private static final byte[] MASTER_SALT = {
      0x0E, (byte) 0xC6, 0x75, (byte) 0xAD, 0x49, (byte) 0x8A, (byte) 0xFE, (byte) 0xEB, (byte) 0xB6, (byte) 0x96,
      0x0B, 0x3A};

  private static final SrtpContext GARBAGE_RECEIVER = new SrtpContext(keys());

  private static SrtpKeys keys() {
    return new SrtpKeys(MASTER_KEY.clone(), MASTER_SALT.clone());
  }

  private static void assertDrop(int r, String what) {
    assertTrue(r < 0, what + " accepted garbage (returned " + r + ")");
    SrtpContext.Reason.of(r); // throws for an unknown code
  }

  @FuzzTest
  void unprotectGarbage(byte[] data) {
    SrtpContext c = GARBAGE_RECEIVER;
    int len = data.length;
    try {
      assertDrop(c.unprotectRtp(data, 0, len, new byte[len]), "unprotectRtp");
      assertDrop(c.unprotectRtcp(data, 0, len, new byte[len]), "unprotectRtcp");
      byte[] shifted = new byte[len + 6];
      System.arraycopy(data, 0, shifted, 3, len);
      assertDrop(c.unprotectRtp(shifted, 3, len, new byte[len]), "unprotectRtp at an offset");
      assertDrop(c.unprotectRtcp(shifted, 3, len, new byte[len]), "unprotectRtcp at an offset");
      assertDrop(c.unprotectRtp(data.clone(), 0, len, new byte[Math.max(0, len - SrtpContext.SRTP_OVERHEAD - 1)]),
          "unprotectRtp with a short output");
      assertDrop(c.unprotectRtcp(data.clone(), 0, len,
          new byte[Math.max(0, len - SrtpContext.SRTCP_OVERHEAD - 1)]), "unprotectRtcp with a short output");
      byte[] inPlace = data.clone();
      assertDrop(c.unprotectRtp(inPlace, 0, len, inPlace), "unprotectRtp in place");
      inPlace = data.clone();
      assertDrop(c.unprotectRtcp(inPlace, 0, len, inPlace), "unprotectRtcp in place");
    } catch (RuntimeException e) {
      throw new AssertionError("unprotect threw " + e, e);
    }
    assertEquals(0, c.accepted(), "garbage created receive state");
  }

  @FuzzTest
  void mutateProtected(FuzzedDataProvider in) {
    SrtpContext sender = new SrtpContext(keys());
    SrtpContext receiver = new SrtpContext(keys());
    boolean rtcp = in.consumeBoolean();
    byte[] plain = rtcp ? rtcpPacket(in) : rtpPacket(in);
    byte[] prot = rtcp ? sender.protectRtcp(plain, 0, plain.length) : sender.protectRtp(plain, 0, plain.length);
    assertEquals(plain.length + (rtcp ? SrtpContext.SRTCP_OVERHEAD : SrtpContext.SRTP_OVERHEAD), prot.length);

    byte[] mutated = prot.clone();
    int edits = in.consumeInt(0, 4);
    for (int i = 0; i < edits && mutated.length > 0; i++) {
      switch (in.consumeInt(0, 3)) {
        case 0 -> mutated[in.consumeInt(0, mutated.length - 1)] ^= (byte) (1 << in.consumeInt(0, 7));
        case 1 -> mutated[in.consumeInt(0, mutated.length - 1)] = in.consumeByte();
        case 2 -> mutated = Arrays.copyOf(mutated, in.consumeInt(0, mutated.length));
        default -> {
          byte[] tail = in.consumeBytes(8);
          byte[] longer = Arrays.copyOf(mutated, mutated.length + tail.length);
          System.arraycopy(tail, 0, longer, mutated.length, tail.length);
          mutated = longer;
        }
      }
    }
    boolean genuine = Arrays.equals(prot, mutated);
    byte[] out = new byte[Math.max(mutated.length, prot.length)];
    int r;
    try {
      r = rtcp ? receiver.unprotectRtcp(mutated, 0, mutated.length, out)
          : receiver.unprotectRtp(mutated, 0, mutated.length, out);
    } catch (RuntimeException e) {
      throw new AssertionError("unprotect threw " + e, e);
    }
    if (!genuine) {
      assertDrop(r, rtcp ? "unprotectRtcp (mutated)" : "unprotectRtp (mutated)");
      assertEquals(0, receiver.accepted());
      r = rtcp ? receiver.unprotectRtcp(prot, 0, prot.length, out) : receiver.unprotectRtp(prot, 0, prot.length, out);
      assertEquals(plain.length, r, "the genuine packet was refused after a forgery attempt");
    } else {
      assertEquals(plain.length, r, "the genuine packet was refused");
    }
    assertArrayEquals(plain, Arrays.copyOf(out, r), "decrypted to other bytes");
    int again = rtcp ? receiver.unprotectRtcp(prot, 0, prot.length, out)
        : receiver.unprotectRtp(prot, 0, prot.length, out);
    assertEquals(SrtpContext.REPLAYED, again, "a replay was not refused");
  }

  private static byte[] rtpPacket(FuzzedDataProvider in) {
    int cc = in.consumeInt(0, 2);
    int[] csrcs = new int[cc];
    for (int i = 0; i < cc; i++) {
      csrcs[i] = in.consumeInt();
    }
    int extWords = in.consumeBoolean() ? in.consumeInt(0, 2) : -1;
    byte[] payload = in.consumeBytes(in.consumeInt(0, 200));
    int header = RtpPacket.headerLength(cc) + (extWords < 0 ? 0 : 4 + 4 * extWords);
    byte[] p = new byte[header + payload.length];
    RtpPacket.writeHeader(p, 0, in.consumeBoolean(), in.consumeInt(0, 127), in.consumeInt(0, 0x7FFF),
        in.consumeLong() & 0xFFFF_FFFFL, in.consumeInt(), csrcs, cc);
    if (extWords >= 0) {
      p[0] |= 0x10;
      int at = RtpPacket.headerLength(cc);
      p[at] = (byte) 0xBE;
      p[at + 1] = (byte) 0xDE;
      p[at + 3] = (byte) extWords;
    }
    System.arraycopy(payload, 0, p, header, payload.length);
    return p;
  }

  private static byte[] rtcpPacket(FuzzedDataProvider in) {
    int words = in.consumeInt(1, 16);
    byte[] p = new byte[4 * (words + 1)];
    p[0] = (byte) 0x80;
    p[1] = (byte) (in.consumeBoolean() ? 200 : 201);
    p[3] = (byte) words;
    byte[] body = in.consumeBytes(p.length - 4);
    System.arraycopy(body, 0, p, 4, body.length);
    return p;
  }
}
