package io.causerie.media.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.causerie.media.rtp.RtpFormatException;
import io.causerie.media.rtp.RtpPacket;
import java.util.Arrays;

/**
 * Fuzz target for {@link RtpPacket#read}: any datagram.
 *
 * <p>Invariants: only {@link RtpFormatException} escapes; a parsed packet has version 2 and header + payload +
 * padding covering exactly the datagram, every offset inside it, and the padding count equal to the last byte;
 * {@link RtpPacket#writeHeader} with the parsed fields reproduces the fixed header and CSRC list byte for byte
 * (P and X bits aside, which writeHeader never sets); parsing at an offset inside a larger array gives the same
 * view; a reused view that fails is left empty.
 */
class RtpPacketFuzzTest {
  private final RtpPacket reused = new RtpPacket();

  @FuzzTest
  void parse(byte[] data) {
    RtpPacket p;
    try {
      p = RtpPacket.parse(data);
    } catch (RtpFormatException e) {
      byte[] padded = new byte[data.length + 5];
      System.arraycopy(data, 0, padded, 3, data.length);
      try {
        reused.read(padded, 3, data.length);
        fail("parsing at an offset accepted what the slice rejects");
      } catch (RtpFormatException expected) {
        assertEquals(0, reused.length(), "a failed read leaves the view empty");
      }
      return;
    } catch (RuntimeException e) {
      throw new AssertionError("RtpPacket.parse threw " + e, e);
    }
    int len = data.length;
    assertEquals(RtpPacket.VERSION, p.version());
    assertEquals(len, p.length());
    assertTrue(len >= RtpPacket.FIXED_HEADER_BYTES);
    int cc = p.csrcCount();
    int header = RtpPacket.headerLength(cc)
        + (p.extension() ? RtpPacket.EXTENSION_HEADER_BYTES + p.extensionLength() : 0);
    assertEquals(header, p.headerLength());
    assertEquals(len, p.headerLength() + p.payloadLength() + p.paddingLength());
    assertTrue(p.payloadLength() >= 0 && p.payloadOffset() >= 0 && p.payloadOffset() + p.payloadLength() <= len);
    if (p.padding()) {
      assertEquals(data[len - 1] & 0xFF, p.paddingLength());
      assertTrue(p.paddingLength() >= 1);
    } else {
      assertEquals(0, p.paddingLength());
    }
    if (p.extension()) {
      assertEquals(RtpPacket.headerLength(cc) + RtpPacket.EXTENSION_HEADER_BYTES, p.extensionOffset());
      assertEquals(0, p.extensionLength() % 4);
    } else {
      assertEquals(-1, p.extensionOffset());
      assertEquals(-1, p.extensionProfile());
    }

    int[] csrcs = new int[cc];
    for (int i = 0; i < cc; i++) {
      csrcs[i] = p.csrc(i);
    }
    byte[] rebuilt = new byte[RtpPacket.headerLength(cc)];
    int n = RtpPacket.writeHeader(rebuilt, 0, p.marker(), p.payloadType(), p.sequenceNumber(), p.timestamp(),
        p.ssrc(), csrcs, cc);
    assertEquals(rebuilt.length, n);
    rebuilt[0] |= (byte) (data[0] & 0x30);
    assertArrayEquals(Arrays.copyOf(data, n), rebuilt, "header does not re-encode to the same bytes");

    byte[] padded = new byte[len + 9];
    System.arraycopy(data, 0, padded, 4, len);
    try {
      reused.read(padded, 4, len);
    } catch (RtpFormatException e) {
      throw new AssertionError("parsing at an offset rejected what the slice accepts", e);
    }
    assertEquals(p.toString(), reused.toString());
    assertEquals(p.payloadOffset() + 4, reused.payloadOffset());
    assertEquals(p.headerLength(), reused.headerLength());
    assertEquals(p.paddingLength(), reused.paddingLength());
    assertEquals(p.extensionProfile(), reused.extensionProfile());
  }
}
