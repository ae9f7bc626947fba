package io.causerie.client.media;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The pacing and report-scheduling arithmetic, on a fake clock. */
class PacingTest {
  private static final long MS = 1_000_000L;

  @Test
  void framesAreDueEveryPeriodFromTheStart() {
    FramePacer p = new FramePacer(20 * MS, 5, 1_000 * MS);
    assertThat(p.due(1_000 * MS)).as("the first frame is due at once").isEqualTo(1);
    assertThat(p.nextDeadlineNanos()).isEqualTo(1_020 * MS);
    assertThat(p.due(1_019 * MS)).isZero();
    assertThat(p.due(1_020 * MS)).isEqualTo(1);
    assertThat(p.due(1_041 * MS)).as("a little late: still on the original grid").isEqualTo(1);
    assertThat(p.nextDeadlineNanos()).isEqualTo(1_060 * MS);
  }

  @Test
  void aLateLoopCatchesUpThenKeepsTheLongRunRate() {
    FramePacer p = new FramePacer(20 * MS, 5, 0);
    p.due(0);
    assertThat(p.due(75 * MS)).as("frames due at 20, 40 and 60 ms").isEqualTo(3);
    assertThat(p.nextDeadlineNanos()).isEqualTo(80 * MS);
    long now = 80 * MS;
    long last = now;
    int frames = 4;
    for (int i = 0; i < 1000; i++) {
      frames += p.due(now);
      last = now;
      now += 7 * MS; // an odd wake-up rhythm
    }
    assertThat(frames).as("every frame due by the last wake-up, no more").isEqualTo((int) (last / (20 * MS)) + 1);
    assertThat(p.skipped()).isZero();
  }

  @Test
  void aStallLongerThanTheBacklogSkipsTheOldestFramesAndStaysOnTheGrid() {
    FramePacer p = new FramePacer(20 * MS, 2, 0);
    p.due(0);
    assertThat(p.due(1_010 * MS)).as("only the newest two of the 50 missed frames").isEqualTo(2);
    assertThat(p.takeSkipped()).isEqualTo(48);
    assertThat(p.takeSkipped()).as("taken once").isZero();
    assertThat(p.nextDeadlineNanos()).as("still on the 20 ms grid").isEqualTo(1_020 * MS);
    assertThat(p.due(1_020 * MS)).isEqualTo(1);
    assertThat(p.stalls()).isEqualTo(1);
    assertThat(p.frames() + p.skipped()).as("every frame either done or skipped").isEqualTo(52);
  }

  @Test
  void reportsGoEarlyOnceThenEveryInterval() {
    ReportScheduler s = new ReportScheduler(0, 500 * MS, 2_000 * MS);
    assertThat(s.due(499 * MS)).isFalse();
    assertThat(s.due(500 * MS)).isTrue();
    assertThat(s.due(501 * MS)).isFalse();
    assertThat(s.nextDeadlineNanos()).isEqualTo(2_500 * MS);
    assertThat(s.due(2_510 * MS)).isTrue();
    assertThat(s.nextDeadlineNanos()).as("no drift from a late tick").isEqualTo(4_500 * MS);
    assertThat(s.due(20_000 * MS)).as("after a stall: one report, not a burst").isTrue();
    assertThat(s.due(20_001 * MS)).isFalse();
    assertThat(s.nextDeadlineNanos()).isEqualTo(22_000 * MS);
    assertThat(s.reports()).isEqualTo(3);
  }
}
