package io.causerie.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SequenceTrackerTest {
  @Test
  void newSourceNeedsTwoInSequenceBeforeItCounts() {
    SequenceTracker t = new SequenceTracker();
    assertThat(t.update(1000)).isFalse();
    assertThat(t.isValid()).isFalse();
    assertThat(t.update(1001)).isTrue();
    assertThat(t.isValid()).isTrue();
    assertThat(t.received()).isEqualTo(1);
    assertThat(t.expected()).isEqualTo(1);
  }

  @Test
  void countsCyclesAcrossTheWrap() {
    SequenceTracker t = new SequenceTracker(1);
    int seq = 65530;
    for (int i = 0; i < 20; i++) {
      assertThat(t.update(seq)).isTrue();
      seq = SequenceNumbers.next(seq);
    }
    assertThat(t.extendedHighest()).isEqualTo(65536 + 13);
    assertThat(t.extendedHighest32()).isEqualTo(65536 + 13);
    assertThat(t.cumulativeLost()).isZero();
  }

  @Test
  void lossAndIntervalFraction() {
    SequenceTracker t = new SequenceTracker(1);
    for (int s = 0; s < 100; s++) {
      if (s % 4 != 3) {
        t.update(s);
      }
    }
    // 0..98 expected up to the highest received (98): 99 expected, lost 3,7,...,95 = 24
    assertThat(t.expected()).isEqualTo(99);
    assertThat(t.cumulativeLost()).isEqualTo(24);
    assertThat(t.takeIntervalFractionLost()).isEqualTo((24 << 8) / 99);
    for (int s = 100; s < 200; s++) {
      t.update(s);
    }
    // seq 99 was lost too, which only shows once 100 arrives: 1 lost of 101 expected
    assertThat(t.takeIntervalFractionLost()).isEqualTo(256 / 101);
    for (int s = 200; s < 300; s++) {
      t.update(s);
    }
    assertThat(t.takeIntervalFractionLost()).isZero();
  }

  @Test
  void duplicatesMakeLossNegative() {
    SequenceTracker t = new SequenceTracker(1);
    t.update(1);
    t.update(2);
    t.update(2);
    assertThat(t.cumulativeLost()).isEqualTo(-1);
    assertThat(t.takeIntervalFractionLost()).isZero();
  }

  @Test
  void bigJumpIsAcceptedOnlyWhenConfirmed() {
    SequenceTracker t = new SequenceTracker(1);
    for (int s = 0; s < 10; s++) {
      t.update(s);
    }
    assertThat(t.update(30000)).isFalse();
    assertThat(t.update(10)).isTrue();
    assertThat(t.update(40000)).isFalse();
    assertThat(t.update(40001)).isTrue();
    assertThat(t.extendedHighest()).isEqualTo(40001);
    assertThat(t.baseSeq()).isEqualTo(40001);
  }

  @Test
  void reorderedPacketsDoNotMoveTheHighest() {
    SequenceTracker t = new SequenceTracker(1);
    t.update(10);
    t.update(12);
    t.update(11);
    assertThat(t.extendedHighest()).isEqualTo(12);
    assertThat(t.cumulativeLost()).isZero();
  }
}
