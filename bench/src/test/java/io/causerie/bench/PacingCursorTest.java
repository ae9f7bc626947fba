package io.causerie.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacingCursorTest {
  private static final long PERIOD = PacingSchedule.DEFAULT_PERIOD_NANOS;
  private static final long SLOT = 500_000;

  @Test
  void walksEveryPacketOnceInDueOrder() {
    int n = 7;
    PacingSchedule schedule = new PacingSchedule(n, PERIOD, 1_000);
    PacingCursor c = new PacingCursor(schedule, SLOT);
    long[] count = new long[n];
    long last = Long.MIN_VALUE;
    for (int i = 0; i < 10 * n; i++) {
      assertThat(c.dueNanos()).isGreaterThanOrEqualTo(last).isEqualTo(schedule.dueNanos(c.packet(), c.stream()));
      assertThat(c.packet()).isEqualTo(count[c.stream()]);
      last = c.dueNanos();
      count[c.stream()]++;
      c.advance();
    }
    assertThat(count).containsOnly(10L);
  }

  /**
   * A generator that wakes at {@link PacingCursor#wakeNanos} and sends while {@link PacingCursor#sendable}: one
   * batch per slot of about streams * slot / period packets, none more than a slot early, none late, and each
   * stream's sends exactly one period apart.
   */
  @Test
  void slotsSendEvenBatchesAtMostOneSlotEarly() {
    int n = 4_000; // 2,000 calls, both directions
    long start = 5_000;
    PacingSchedule schedule = new PacingSchedule(n, PERIOD, start);
    PacingCursor c = new PacingCursor(schedule, SLOT);
    long end = start + 10 * PERIOD;
    long[] lastSend = new long[n];
    List<Integer> batches = new ArrayList<>();
    long now = start - SLOT - 1;
    int wakeUps = 0;
    while (c.dueNanos() < end) {
      now = Math.max(now, c.wakeNanos()); // the timer fires on time (the real one fires up to its jitter later)
      wakeUps++;
      int batch = 0;
      while (c.dueNanos() < end && c.sendable(now)) {
        long early = c.dueNanos() - now;
        assertThat(early).isBetween(0L, SLOT);
        if (c.packet() > 0) {
          assertThat(c.dueNanos() - schedule.dueNanos(c.packet() - 1, c.stream())).isEqualTo(PERIOD);
        }
        lastSend[c.stream()] = now;
        batch++;
        c.advance();
      }
      batches.add(batch);
    }
    // A wake-up sends the packet due now and those due in the slot after it: 1 + 100 at 2,000 calls.
    long perWake = 1 + n * SLOT / PERIOD;
    assertThat(batches.subList(0, batches.size() - 1)).allSatisfy(b -> assertThat((long) b)
        .isBetween(perWake - 1, perWake + 1));
    assertThat((long) wakeUps).isBetween(10L * n / (perWake + 1), 10L * n / (perWake - 1) + 1); // ~396 in 200 ms
    assertThat(batches.stream().mapToInt(Integer::intValue).sum()).isEqualTo(10 * n);
  }

  @Test
  void aLateGeneratorSendsWhatIsOverdueAtOnce() {
    PacingSchedule schedule = new PacingSchedule(100, PERIOD, 0);
    PacingCursor c = new PacingCursor(schedule, SLOT);
    long now = PERIOD; // a whole period late: all 100 first packets are overdue, plus those due in the next slot
    int sent = 0;
    while (c.sendable(now)) {
      sent++;
      c.advance();
    }
    assertThat(sent).isEqualTo(100 + (int) (100 * SLOT / PERIOD) + 1);
  }

  @Test
  void rejectsANegativeSlot() {
    assertThatThrownBy(() -> new PacingCursor(new PacingSchedule(1, PERIOD, 0), -1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
