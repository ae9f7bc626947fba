package io.causerie.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PortsTest {

  @Test
  void aRandomRangeIsInsideTheSearchRangeAndCanBeBound() throws Exception {
    int[] range = Ports.randomFreeRange(8);
    assertThat(range[1] - range[0]).isEqualTo(7);
    assertThat(range[0]).isGreaterThanOrEqualTo(Ports.MEDIA_SEARCH_FROM);
    assertThat(range[1]).isLessThanOrEqualTo(Ports.MEDIA_SEARCH_TO);
    for (int p = range[0]; p <= range[1]; p++) {
      try (DatagramChannel ch = DatagramChannel.open()) {
        ch.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), p));
      }
    }
  }

  @Test
  void twoProgramsAskingAtOnceRarelyGetTheSameRange() throws Exception {
    Set<Integer> starts = new HashSet<>();
    for (int i = 0; i < 10; i++) {
      starts.add(Ports.randomFreeRange(50)[0]);
    }
    assertThat(starts).hasSizeGreaterThan(5); // first-fit gave the same start ten times
  }
}
