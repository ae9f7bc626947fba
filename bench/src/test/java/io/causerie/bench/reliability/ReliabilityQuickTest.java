package io.causerie.bench.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The quick reliability suite (docs/RELIABILITY.md) in the normal test run: every row against its own real server
 * process, with fewer calls and shorter durations than the full run but the same targets; one test per row.
 * {@code -Dreliability.only=a,b} runs only the named rows.
 */
class ReliabilityQuickTest {
  @TestFactory
  Stream<DynamicTest> everyRowMeetsItsTarget() {
    String only = System.getProperty("reliability.only", "");
    List<String> names = only.isBlank() ? ReliabilitySuite.names() : List.of(only.split(","));
    PrintStream progress = new PrintStream(System.err, true, StandardCharsets.UTF_8);
    return names.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
      ReliabilitySuite.Report r = Assertions.assertTimeoutPreemptively(Duration.ofMinutes(4),
          () -> ReliabilitySuite.run(true, List.of(name), progress, false));
      assertThat(r.rows()).hasSize(1);
      Row row = r.rows().get(0);
      assertThat(row.pass()).as(row.name() + ": " + row.measured() + "\n" + row.toJson()).isTrue();
    }));
  }
}
