package io.causerie.client.media.fuzz;

import io.causerie.client.media.RtcpPackets;
import io.causerie.client.media.SenderReport;
import io.causerie.media.quality.QualityReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the seed corpus of {@link RtcpPacketsFuzzTest} into src/test/resources. Not part of the normal test run;
 * run once after changing the seeds:
 *
 * <pre>mvn -B -o -pl client test -Dtest=SeedCorpusWriter -Dcauserie.fuzz.writeSeeds=true</pre>
 */
@EnabledIfSystemProperty(named = "causerie.fuzz.writeSeeds", matches = "true")
class SeedCorpusWriter {
  private static final Path DIR =
      Path.of("src/test/resources/io/causerie/client/media/fuzz/RtcpPacketsFuzzTestInputs/decode");

  private static void write(String name, byte[] bytes) throws IOException {
    Files.createDirectories(DIR);
    Files.write(DIR.resolve("seed-" + name), bytes);
  }

  @Test
  void rtcp() throws IOException {
    SenderReport sr = SenderReport.at(0x11223344, 123_456_789_000L, 48_000, 50, 3_000);
    QualityReport rr = new QualityReport(0x11223344, 0x55667788, 25, 7, 65_600, 33, sr.compactNtp(), 1_000);
    byte[] buf = new byte[RtcpPackets.MAX_REPORT_BYTES + 64];
    write("sr", Arrays.copyOf(buf, RtcpPackets.writeReport(buf, 0, sr, null)));
    int n = RtcpPackets.writeReport(buf, 0, sr, rr);
    write("sr-rr", Arrays.copyOf(buf, n));
    write("rr", rr.toBytes());
    // SR, RR, then a BYE the receiver must skip by its length.
    byte[] bye = {(byte) 0x81, (byte) 203, 0, 1, 0x11, 0x22, 0x33, 0x44};
    byte[] withBye = Arrays.copyOf(buf, n + bye.length);
    System.arraycopy(bye, 0, withBye, n, bye.length);
    write("sr-rr-bye", withBye);
    // An empty RR (no blocks), then the one-block RR.
    byte[] emptyRr = {(byte) 0x80, (byte) 201, 0, 1, 1, 2, 3, 4};
    byte[] two = new byte[emptyRr.length + QualityReport.BYTES];
    System.arraycopy(emptyRr, 0, two, 0, emptyRr.length);
    System.arraycopy(rr.toBytes(), 0, two, emptyRr.length, QualityReport.BYTES);
    write("emptyrr-rr", two);
    // An SR with one report block (RC=1), 52 bytes: the block is ignored.
    byte[] srBlock = new byte[52];
    sr.encode(srBlock, 0);
    srBlock[0] = (byte) 0x81;
    srBlock[3] = 12;
    write("sr-with-block", srBlock);
  }
}
