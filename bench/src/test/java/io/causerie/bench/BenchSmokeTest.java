package io.causerie.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.causerie.server.MediaMode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Both load generators end to end against a real server process on 127.0.0.1, briefly, with loose bounds: they
 * ran, counted packets and set-ups, and nothing blew up. No timing targets here: those belong to the benches.
 */
class BenchSmokeTest {
  private final ByteArrayOutputStream progressBytes = new ByteArrayOutputStream();
  private final PrintStream progress = new PrintStream(progressBytes, true, StandardCharsets.UTF_8);

  @Test
  @Timeout(120)
  void relayFiveCallsForTwoSeconds() throws Exception {
    RelayBench.Options o = new RelayBench.Options(5, 2, RelayBench.DEFAULT_PAYLOAD_BYTES, false, 0.5, null,
        List.of(), null, "WARN", TestServerMain.launch(), 2, false, 0, false);
    RelayBench.Report r = RelayBench.run(o, progress);

    assertThat(r.error()).as(progressBytes.toString(StandardCharsets.UTF_8)).isNull();
    assertThat(r.steps()).hasSize(1);
    RelayBench.Step s = r.steps().get(0);
    assertThat(s.callsUp()).isEqualTo(5);
    MediaLoad.Result m = s.media();
    // 5 calls, 2 directions, 50/s, 2 s: 1,000 packets, give or take the window edges.
    assertThat(m.sent()).isBetween(900L, 1_100L);
    assertThat(m.received()).isPositive().isLessThanOrEqualTo(m.sent());
    assertThat(m.misrouted()).isZero();
    assertThat(m.invalid()).isZero();
    assertThat(m.latency().count()).isEqualTo(m.received());
    assertThat(r.baseline().received()).isPositive();
    assertThat(s.serverRssBytes()).isPositive();
    String json = r.toJson().toString();
    assertThat(json).startsWith("{\"bench\":\"relay\"").contains("\"steps\":[{\"calls\":5");
    assertThat(r.toText()).contains("largest passing").contains("188-byte packets");
    assertThat(r.signalling()).startsWith("DTLS 1.2, server fingerprint pinned SHA256:");
    assertThat(r.driver().associationsLost()).isZero();
  }

  @Test
  @Timeout(120)
  void relayFiveCallsFromASocketPerClientForTwoSeconds() throws Exception {
    RelayBench.Options o = new RelayBench.Options(5, 2, RelayBench.DEFAULT_PAYLOAD_BYTES, false, 0.5, null,
        List.of(), null, "WARN", TestServerMain.launch(), 2, false, 0, false, MediaMode.PORTS,
        RelayBench.PortsGenerator.PER_CLIENT, false);
    RelayBench.Report r = RelayBench.run(o, progress);

    assertThat(r.error()).as(progressBytes.toString(StandardCharsets.UTF_8)).isNull();
    assertThat(r.generator()).contains("one socket per client");
    MediaLoad.Result m = r.steps().get(0).media();
    assertThat(m.sent()).isBetween(900L, 1_100L);
    assertThat(m.received()).isPositive().isLessThanOrEqualTo(m.sent());
    assertThat(m.misrouted()).isZero();
    assertThat(r.toJson().toString()).contains("\"portsGenerator\":\"per-client\"");
  }

  @Test
  @Timeout(240)
  void everyBenchOnceQuicklyWithASummary(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    AllBenches.Result r = AllBenches.run(new AllBenches.Options(dir, true, null, TestServerMain.launch()), progress);

    assertThat(r.ok()).as(progressBytes.toString(StandardCharsets.UTF_8)).isTrue();
    assertThat(r.entries()).extracting(AllBenches.Entry::name)
        .containsExactly("relay-single-port", "relay-ports", "signalling", "codec", "latency");
    for (AllBenches.Entry e : r.entries()) {
      assertThat(java.nio.file.Files.readString(e.json())).startsWith("{\"bench\":");
      assertThat(java.nio.file.Files.size(e.text())).isPositive();
    }
    String summary = java.nio.file.Files.readString(dir.resolve("summary.md"));
    assertThat(summary).isEqualTo(r.summary()).contains("Quick run")
        .contains("| Relay, single-port: ≥ 2,000 calls on one core").contains("| Relay, ports:")
        .contains("| Signalling: ≥ 2,000 call set-ups/s, p95 < 10 ms | ").contains("of 50 offered")
        .contains("| Signalling: ≥ 1,000 sign-ins/s |").contains("| Mouth-to-ear in software");
  }

  @Test
  @Timeout(240)
  void aBenchThatCannotStartItsServerIsReportedAndTheOthersStillRun(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    ServerProcess.Launch missing = new ServerProcess.Launch("io.causerie.bench.NoSuchServerMain", List.of());
    AllBenches.Result r = AllBenches.run(new AllBenches.Options(dir, true, null, missing), progress);

    assertThat(r.ok()).isFalse();
    assertThat(r.entries()).extracting(AllBenches.Entry::name)
        .containsExactly("relay-single-port", "relay-ports", "signalling", "codec", "latency");
    // The codec needs no server: it ran and wrote its reports.
    AllBenches.Entry codec = r.entries().get(3);
    assertThat(codec.error()).isNull();
    assertThat(java.nio.file.Files.readString(codec.json())).startsWith("{\"bench\":\"codec\"");
    for (AllBenches.Entry e : List.of(r.entries().get(0), r.entries().get(2), r.entries().get(4))) {
      assertThat(e.error()).as(e.name()).isNotNull();
    }
    assertThat(java.nio.file.Files.readString(dir.resolve("summary.md"))).isEqualTo(r.summary())
        .contains("relay-single-port").contains("error");
  }

  @Test
  @Timeout(120)
  void relayFiveCallsOnASinglePortForTwoSeconds() throws Exception {
    RelayBench.Options o = new RelayBench.Options(5, 2, RelayBench.DEFAULT_PAYLOAD_BYTES, false, 0.5, null,
        List.of(), null, "WARN", TestServerMain.launch(), 2, false, 0, false, MediaMode.SINGLE_PORT);
    RelayBench.Report r = RelayBench.run(o, progress);

    assertThat(r.error()).as(progressBytes.toString(StandardCharsets.UTF_8)).isNull();
    assertThat(r.serverCommand()).containsSequence("--media-mode", "single-port");
    RelayBench.Step s = r.steps().get(0);
    assertThat(s.callsUp()).isEqualTo(5);
    MediaLoad.Result m = s.media();
    assertThat(m.sent()).isBetween(900L, 1_100L);
    // Every stream came back with its own SSRC and stream number: nothing misrouted or malformed.
    assertThat(m.received()).isGreaterThan(m.sent() / 2).isLessThanOrEqualTo(m.sent());
    assertThat(m.misrouted()).isZero();
    assertThat(m.invalid()).isZero();
    assertThat(m.latency().count()).isEqualTo(m.received());
    assertThat(r.toJson().toString()).contains("\"mediaMode\":\"single-port\"");
    assertThat(r.toText()).contains("media mode: single-port");
  }

  @Test
  @Timeout(120)
  void signallingAtTwentyPerSecondForTwoSeconds() throws Exception {
    SignallingBench.Report r = signalling(false, 10);

    assertThat(r.signalling()).startsWith("DTLS 1.2, server fingerprint pinned SHA256:");
    assertThat(r.driverHandshakeNanos()).hasSize(2).allMatch(n -> n > 0);
    assertThat(r.handshakes().result().completed()).isEqualTo(10);
    assertThat(r.handshakes().result().latency().count()).isEqualTo(10);
    assertThat(r.toText()).contains("fresh DTLS handshakes");
  }

  @Test
  @Timeout(120)
  void signallingPlaintextForComparison() throws Exception {
    SignallingBench.Report r = signalling(true, 10);

    assertThat(r.signalling()).startsWith("PLAINTEXT");
    assertThat(r.serverCommand()).contains(ServerProcess.PLAINTEXT_FLAG);
    assertThat(r.driverHandshakeNanos()).isEmpty();
    assertThat(r.handshakes()).isNull();
  }

  private SignallingBench.Report signalling(boolean plaintext, int handshakes) throws Exception {
    int rate = 20;
    SignallingBench.Options o = new SignallingBench.Options(rate, 2, SignallingBench.Options.defaultSignInRate(rate),
        SignallingBench.Options.defaultPairs(rate), SignallingBench.Options.defaultSignInUsers(rate / 2), null,
        List.of(), null, "WARN", TestServerMain.launch(), 2, false, false, 0, 0, plaintext, handshakes);
    SignallingBench.Report r = SignallingBench.run(o, progress);

    assertThat(r.error()).as(progressBytes.toString(StandardCharsets.UTF_8)).isNull();
    assertThat(r.calls().attempted()).isEqualTo(40);
    assertThat(r.calls().completed()).isPositive();
    assertThat(r.calls().completed() + r.calls().failed() + r.calls().shed() + r.calls().unfinished())
        .isEqualTo(40);
    assertThat(r.calls().latency().count()).isPositive();
    assertThat(r.signIns().attempted()).isEqualTo(20);
    assertThat(r.signIns().completed()).isPositive();
    assertThat(r.signIns().latency().count()).isPositive();
    assertThat(r.derivations()).isEqualTo(1);
    assertThat(r.toJson().toString()).startsWith("{\"bench\":\"signalling\"").contains("\"callSetups\":{");
    assertThat(r.toText()).contains("call set-ups");
    return r;
  }
}
