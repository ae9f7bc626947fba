package io.causerie.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.causerie.server.MediaMode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The relay bench's options as the command line gives them: generator choices and the combinations refused. */
class RelayBenchOptionsTest {
  private static RelayBench.Options options(MediaMode mode, RelayBench.PortsGenerator generator, boolean busyPoll) {
    return new RelayBench.Options(10, 2, RelayBench.DEFAULT_PAYLOAD_BYTES, false, 1, null, List.of(), null, "WARN",
        TestServerMain.launch(), 2, false, 0, false, mode, generator, busyPoll);
  }

  @Test
  void portsGeneratorNamesParseAndAnythingElseIsRefused() {
    assertThat(RelayBench.PortsGenerator.parse("shared")).isEqualTo(RelayBench.PortsGenerator.SHARED);
    assertThat(RelayBench.PortsGenerator.parse("per-client")).isEqualTo(RelayBench.PortsGenerator.PER_CLIENT);
    assertThatThrownBy(() -> RelayBench.PortsGenerator.parse("PER_CLIENT"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shared or per-client");
  }

  @Test
  void busyPollingNeedsTheSharedSocketGenerator() {
    assertThatThrownBy(() -> options(MediaMode.PORTS, RelayBench.PortsGenerator.PER_CLIENT, true))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--generator-busy-poll");
    assertThat(options(MediaMode.PORTS, RelayBench.PortsGenerator.SHARED, true).generatorBusyPoll()).isTrue();
    assertThat(options(MediaMode.SINGLE_PORT, RelayBench.PortsGenerator.PER_CLIENT, true).generatorBusyPoll())
        .as("the ports generator does not matter in single-port mode").isTrue();
    assertThat(options(MediaMode.PORTS, RelayBench.PortsGenerator.PER_CLIENT, false).portsGenerator())
        .isEqualTo(RelayBench.PortsGenerator.PER_CLIENT);
  }

  @Test
  void theShorterConstructorsKeepTheSharedGeneratorWithoutBusyPolling() {
    RelayBench.Options o = new RelayBench.Options(10, 2, RelayBench.DEFAULT_PAYLOAD_BYTES, false, 1, null, List.of(),
        null, "WARN", TestServerMain.launch(), 2, false, 0, false, MediaMode.PORTS);
    assertThat(o.portsGenerator()).isEqualTo(RelayBench.PortsGenerator.SHARED);
    assertThat(o.generatorBusyPoll()).isFalse();
  }
}
