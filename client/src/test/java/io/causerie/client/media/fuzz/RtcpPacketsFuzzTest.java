package io.causerie.client.media.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.causerie.client.media.RtcpFormatException;
import io.causerie.client.media.RtcpPackets;
import io.causerie.client.media.SenderReport;
import io.causerie.media.quality.QualityReport;
import java.util.Arrays;

/**
 * Fuzz target for {@link RtcpPackets#decode}, the compound RTCP parser the client runs on every report datagram
 * from the media socket (ReceivePath).
 *
 * <p>Invariants: only {@link RtcpFormatException} escapes; an accepted datagram is an exact sequence of version-2
 * RTCP packets starting with an SR or RR; the decoded SR re-encodes to the sender info of the first SR in the
 * datagram and the decoded RR re-encodes to exactly the bytes of the first one-block RR; an accepted datagram is
 * never classified as RTP; decoding at an offset inside a larger array gives the same result.
 */
class RtcpPacketsFuzzTest {
  @FuzzTest
  void decode(byte[] data) {
    RtcpPackets.Compound c;
    try {
      c = RtcpPackets.decode(data, 0, data.length);
    } catch (RtcpFormatException e) {
      byte[] padded = new byte[data.length + 6];
      System.arraycopy(data, 0, padded, 2, data.length);
      try {
        RtcpPackets.decode(padded, 2, data.length);
        fail("decoding at an offset accepted what the slice rejects");
      } catch (RtcpFormatException expected) {
        // consistent
      }
      return;
    } catch (RuntimeException e) {
      throw new AssertionError("RtcpPackets.decode threw " + e, e);
    }
    assertNotEquals(RtcpPackets.Kind.RTP, RtcpPackets.classify(data, 0, data.length), "RTCP classified as RTP");

    int firstSr = -1;
    int firstRr = -1;
    int pos = 0;
    boolean first = true;
    while (pos < data.length) {
      assertTrue(data.length - pos >= 4, "accepted trailing bytes");
      assertEquals(2, (data[pos] & 0xFF) >>> 6, "accepted a packet of another version");
      int type = data[pos + 1] & 0xFF;
      int bytes = ((((data[pos + 2] & 0xFF) << 8) | (data[pos + 3] & 0xFF)) + 1) * 4;
      assertTrue(bytes <= data.length - pos, "accepted a packet running past the datagram");
      if (first) {
        assertTrue(type == SenderReport.PACKET_TYPE_SR || type == QualityReport.PACKET_TYPE_RR, "first type " + type);
        first = false;
      }
      if (type == SenderReport.PACKET_TYPE_SR && firstSr < 0) {
        firstSr = pos;
      }
      if (type == QualityReport.PACKET_TYPE_RR && firstRr < 0 && (data[pos] & 0x1F) == 1
          && bytes == QualityReport.BYTES) {
        firstRr = pos;
      }
      pos += bytes;
    }
    assertEquals(data.length, pos);

    if (firstSr < 0) {
      assertEquals(null, c.senderReport());
    } else {
      byte[] sr = new byte[SenderReport.BYTES];
      c.senderReport().encode(sr, 0);
      assertArrayEquals(Arrays.copyOfRange(data, firstSr + 4, firstSr + SenderReport.BYTES),
          Arrays.copyOfRange(sr, 4, SenderReport.BYTES), "sender info does not re-encode to the same bytes");
    }
    if (firstRr < 0) {
      assertEquals(null, c.receiverReport());
    } else {
      assertArrayEquals(Arrays.copyOfRange(data, firstRr, firstRr + QualityReport.BYTES),
          c.receiverReport().toBytes(), "receiver report does not re-encode to the same bytes");
    }

    byte[] padded = new byte[data.length + 9];
    System.arraycopy(data, 0, padded, 5, data.length);
    try {
      assertEquals(c, RtcpPackets.decode(padded, 5, data.length));
    } catch (RtcpFormatException e) {
      throw new AssertionError("decoding at an offset rejected what the slice accepts", e);
    }
  }
}
