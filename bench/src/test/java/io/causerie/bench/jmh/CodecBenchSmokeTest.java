package io.causerie.bench.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code bench codec --quick} on one benchmark, in process: JMH finds it and reports a positive, finite figure. */
class CodecBenchSmokeTest {
  @Test
  @Timeout(60)
  void quickRunOfOneBenchmarkGivesAPositiveFiniteScore() {
    ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

    CodecBench.Report r = CodecBench.run(new CodecBench.Options(true, "G711Bench\\.encode$"), log);

    String jmhLog = logBytes.toString(StandardCharsets.UTF_8);
    assertThat(r.error()).as(jmhLog).isNull();
    assertThat(r.rows()).as(jmhLog).hasSize(1);
    CodecBench.Row row = r.rows().get(0);
    assertThat(row.benchmark()).isEqualTo("G711.encode");
    assertThat(row.unit()).isEqualTo("us/op");
    assertThat(row.score()).isFinite().isPositive();
    assertThat(r.toText()).contains("G711.encode");
    assertThat(r.toJson().toString()).startsWith("{\"bench\":\"codec\"").contains("\"benchmark\":\"G711.encode\"");
  }

  @Test
  void callBudgetAddsTheOpusCallParts() {
    java.util.List<CodecBench.Row> rows = java.util.List.of(
        new CodecBench.Row("Opus.encode", "complexity=5 fec=false", 300, 1, "us/op", 5, "3 x 1 s", "5 x 1 s"),
        new CodecBench.Row("Opus.decode", "complexity=5 fec=false", 100, 1, "us/op", 5, "3 x 1 s", "5 x 1 s"),
        new CodecBench.Row("Srtp.protect", "rtpBytes=100", 1, 0.1, "us/op", 5, "3 x 1 s", "5 x 1 s"),
        new CodecBench.Row("Srtp.unprotect", "rtpBytes=100", 1.5, 0.1, "us/op", 5, "3 x 1 s", "5 x 1 s"),
        new CodecBench.Row("JitterBuffer.insertAndPoll", "order=in-order", 0.5, 0.1, "us/op", 5, "3 x 1 s", "5 x 1 s"));

    java.util.List<CodecBench.CallBudget> b = CodecBench.budgets(rows);

    assertThat(b).hasSize(1);
    assertThat(b.get(0).complexity()).isEqualTo(5);
    assertThat(b.get(0).microsPerFrame()).isEqualTo(403.0);
    assertThat(b.get(0).percentOfCore()).isEqualTo(2.015);
  }
}
