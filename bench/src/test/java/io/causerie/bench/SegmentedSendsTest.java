package io.causerie.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SegmentedSendsTest {
  @Test
  void smallPacketsAreCappedBySegmentCount() {
    assertThat(SegmentedSends.segmentsPerSend(88)).isEqualTo(SegmentedSends.MAX_SEGMENTS);
    assertThat(SegmentedSends.segmentsPerSend(188)).isEqualTo(SegmentedSends.MAX_SEGMENTS);
  }

  @Test
  void largePacketsAreCappedByTheDatagramSize() {
    int per = SegmentedSends.segmentsPerSend(MediaPacket.MAX_BYTES);
    assertThat(per).isEqualTo(65_000 / 1_400).isLessThan(SegmentedSends.MAX_SEGMENTS);
    assertThat(per * MediaPacket.MAX_BYTES).isLessThanOrEqualTo(SegmentedSends.MAX_SEND_BYTES);
    assertThat((per + 1) * MediaPacket.MAX_BYTES).isGreaterThan(SegmentedSends.MAX_SEND_BYTES);
    for (int size = MediaPacket.MIN_BYTES; size <= MediaPacket.MAX_BYTES; size++) {
      int n = SegmentedSends.segmentsPerSend(size);
      assertThat(n).isBetween(1, SegmentedSends.MAX_SEGMENTS);
      assertThat((long) n * size).isLessThanOrEqualTo(SegmentedSends.MAX_SEND_BYTES);
    }
  }

  @Test
  void sendsCoverEveryPacket() {
    assertThat(SegmentedSends.sendsFor(0, 188)).isZero();
    assertThat(SegmentedSends.sendsFor(1, 188)).isEqualTo(1);
    assertThat(SegmentedSends.sendsFor(64, 188)).isEqualTo(1);
    assertThat(SegmentedSends.sendsFor(65, 188)).isEqualTo(2);
    assertThat(SegmentedSends.sendsFor(100, 1_400)).isEqualTo(3); // 46 per send
  }

  @Test
  void rejectsImpossibleLimits() {
    assertThatThrownBy(() -> SegmentedSends.segmentsPerSend(0, 64, 65_000))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SegmentedSends.segmentsPerSend(2_000, 64, 1_000))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SegmentedSends.segmentsPerSend(100, 0, 65_000))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
