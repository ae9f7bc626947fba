package io.causerie.media.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.causerie.media.quality.QualityReport;
import io.causerie.media.quality.QualityReportFormatException;

/**
 * Fuzz target for {@link QualityReport#decode}, the RTCP receiver report (one block) the client reads from the
 * media socket (via client's RtcpPackets).
 *
 * <p>Invariants: only {@link QualityReportFormatException} escapes; the format is canonical, so a decoded report
 * re-encodes to exactly the input bytes; the derived figures (loss percentage, round trip) are finite or -1.
 */
class QualityReportFuzzTest {
  @FuzzTest
  void decode(byte[] data) {
    QualityReport r;
    try {
      r = QualityReport.decode(data);
    } catch (QualityReportFormatException e) {
      return;
    } catch (RuntimeException e) {
      throw new AssertionError("QualityReport.decode threw " + e, e);
    }
    assertEquals(QualityReport.BYTES, data.length);
    assertArrayEquals(data, r.toBytes(), "receiver report does not re-encode to the same bytes");
    double pct = r.fractionLostPercent();
    assertEquals(true, pct >= 0 && pct < 100, "loss " + pct);
    long rtt = r.roundTripUnits(0x12345678L);
    assertEquals(true, rtt >= -1 && rtt <= 0x7FFF_FFFFL, "rtt " + rtt);
  }
}
