package io.causerie.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacingScheduleTest {
  private static final long PERIOD = PacingSchedule.DEFAULT_PERIOD_NANOS;

  @Test
  void fiftyPacketsPerSecondPerStream() {
    PacingSchedule s = new PacingSchedule(4_000, PERIOD, 0);
    assertThat(s.packetsPerSecondPerStream()).isEqualTo(50.0);
    assertThat(s.packetsPerSecond()).isEqualTo(200_000.0);
    for (int stream : new int[] {0, 1, 1_999, 3_999}) {
      assertThat(s.packetsDueBefore(stream, 1_000_000_000L)).as("stream %d", stream).isEqualTo(50);
      assertThat(s.dueNanos(1, stream) - s.dueNanos(0, stream)).isEqualTo(PERIOD);
    }
  }

  @Test
  void startsAreSpreadEvenlyAcrossThePeriod() {
    int n = 7;
    PacingSchedule s = new PacingSchedule(n, PERIOD, 1_000);
    List<Long> gaps = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      assertThat(s.offsetNanos(i)).isBetween(0L, PERIOD - 1);
      long next = i + 1 < n ? s.dueNanos(0, i + 1) : s.dueNanos(1, 0);
      gaps.add(next - s.dueNanos(0, i));
    }
    // Even: every gap is period / n, give or take the 1 ns of integer division.
    assertThat(Collections.max(gaps) - Collections.min(gaps)).isLessThanOrEqualTo(1);
    assertThat(gaps.stream().mapToLong(Long::longValue).sum()).isEqualTo(PERIOD);
    assertThat(s.dueNanos(0, 0)).isEqualTo(1_000);
  }

  @Test
  void aWholeSecondOfAllStreamsIsEvenlyDense() {
    int n = 100;
    PacingSchedule s = new PacingSchedule(n, PERIOD, 0);
    // Every millisecond of the second has the same number of packets due (n / 20 per ms).
    int[] perMs = new int[1_000];
    for (int k = 0; k < 50; k++) {
      for (int i = 0; i < n; i++) {
        perMs[(int) (s.dueNanos(k, i) / 1_000_000)]++;
      }
    }
    for (int c : perMs) {
      assertThat(c).isEqualTo(n / 20);
    }
  }

  @Test
  void oneStreamSendsAtTheStartOfEachPeriod() {
    PacingSchedule s = new PacingSchedule(1, PERIOD, 5);
    assertThat(s.dueNanos(0, 0)).isEqualTo(5);
    assertThat(s.dueNanos(3, 0)).isEqualTo(5 + 3 * PERIOD);
    assertThat(s.packetsDueBefore(0, 5)).isZero();
    assertThat(s.packetsDueBefore(0, 6)).isEqualTo(1);
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> new PacingSchedule(0, PERIOD, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PacingSchedule(1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aRampAddsStreamsEvenlyUntilAllSendAtFullRate() {
    int n = 1_000;
    long ramp = 2_000_000_000L;
    PacingSchedule s = new PacingSchedule(n, PERIOD, 0, ramp);
    assertThat(s.joinNanos(0)).isZero();
    assertThat(s.joinNanos(n / 2)).isEqualTo(ramp / 2);
    assertThat(s.joinNanos(n - 1)).isLessThan(ramp);
    // Packets sent per 200 ms bucket: growing by the same step while streams join, then flat at the full rate.
    int[] perBucket = new int[15];
    for (int k = 0; k < 150; k++) {
      for (int i = 0; i < n; i++) {
        if (s.joined(k, i)) {
          perBucket[(int) (s.dueNanos(k, i) / 200_000_000L)]++;
        }
      }
    }
    int full = n * 10; // 10 packets per stream in 200 ms
    for (int b = 0; b < 10; b++) {
      // Bucket b has streams (b * 100 .. b * 100 + 99) joining: on average 100 * b + 50 streams sending.
      assertThat(perBucket[b]).as("bucket %d", b).isBetween((100 * b + 50) * 10 - 100, (100 * b + 50) * 10 + 100);
    }
    for (int b = 10; b < 15; b++) {
      assertThat(perBucket[b]).as("bucket %d", b).isEqualTo(full);
    }
  }

  @Test
  void aJoinedStreamSendsEveryPacketFromItsJoinOnAndNoneBefore() {
    PacingSchedule s = new PacingSchedule(4, PERIOD, 100, 4 * PERIOD);
    for (int i = 0; i < 4; i++) {
      long join = s.joinNanos(i);
      for (long k = 0; k < 10; k++) {
        assertThat(s.joined(k, i)).as("stream %d packet %d", i, k).isEqualTo(s.dueNanos(k, i) >= join);
      }
      assertThat(s.joined(9, i)).isTrue();
    }
    assertThat(new PacingSchedule(4, PERIOD, 100).joined(0, 3)).as("no ramp: every packet").isTrue();
    assertThatThrownBy(() -> new PacingSchedule(4, PERIOD, 0, -1)).isInstanceOf(IllegalArgumentException.class);
  }
}
