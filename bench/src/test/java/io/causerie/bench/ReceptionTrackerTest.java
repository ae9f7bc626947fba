package io.causerie.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.causerie.bench.ReceptionTracker.Arrival;
import org.junit.jupiter.api.Test;

class ReceptionTrackerTest {

  @Test
  void inOrderWithoutLoss() {
    ReceptionTracker t = new ReceptionTracker();
    for (int s = 0; s < 5_000; s++) {
      assertThat(t.onPacket(s)).isEqualTo(Arrival.NEW);
    }
    assertThat(t.unique()).isEqualTo(5_000);
    assertThat(t.lost(5_000)).isZero();
  }

  @Test
  void gapsAreLoss() {
    ReceptionTracker t = new ReceptionTracker();
    for (int s = 0; s < 100; s++) {
      if (s % 10 != 3) {
        t.onPacket(s);
      }
    }
    assertThat(t.unique()).isEqualTo(90);
    assertThat(t.lost(100)).isEqualTo(10);
    assertThat(t.reordered()).isZero();
  }

  @Test
  void duplicatesAreNotCountedTwice() {
    ReceptionTracker t = new ReceptionTracker();
    t.onPacket(0);
    t.onPacket(1);
    assertThat(t.onPacket(1)).isEqualTo(Arrival.DUPLICATE);
    t.onPacket(2);
    assertThat(t.onPacket(0)).isEqualTo(Arrival.DUPLICATE);
    assertThat(t.unique()).isEqualTo(3);
    assertThat(t.duplicates()).isEqualTo(2);
    assertThat(t.lost(3)).isZero();
  }

  @Test
  void lateArrivalsFillTheirGapAndCountAsReordered() {
    ReceptionTracker t = new ReceptionTracker();
    for (int s : new int[] {0, 2, 1, 5, 4, 3, 6}) {
      t.onPacket(s);
    }
    assertThat(t.unique()).isEqualTo(7);
    assertThat(t.reordered()).isEqualTo(3); // 1, 4 and 3 came after a higher number
    assertThat(t.duplicates()).isZero();
    assertThat(t.lost(7)).isZero();
  }

  @Test
  void reorderedThenDuplicatedIsOneDuplicate() {
    ReceptionTracker t = new ReceptionTracker();
    t.onPacket(10);
    t.onPacket(12);
    assertThat(t.onPacket(11)).isEqualTo(Arrival.REORDERED);
    assertThat(t.onPacket(11)).isEqualTo(Arrival.DUPLICATE);
    assertThat(t.onPacket(12)).isEqualTo(Arrival.DUPLICATE);
    assertThat(t.unique()).isEqualTo(3);
  }

  @Test
  void bigJumpsForgetTheOldWindow() {
    ReceptionTracker t = new ReceptionTracker();
    t.onPacket(0);
    t.onPacket(5_000);
    assertThat(t.onPacket(5_000 - ReceptionTracker.WINDOW + 1)).isEqualTo(Arrival.REORDERED);
    assertThat(t.onPacket(0)).isEqualTo(Arrival.TOO_OLD);
    // A number last seen a full window ago is new again after the window slid past it.
    assertThat(t.onPacket(5_000 + ReceptionTracker.WINDOW)).isEqualTo(Arrival.NEW);
    assertThat(t.onPacket(5_000)).isEqualTo(Arrival.TOO_OLD);
    assertThat(t.unique()).isEqualTo(4);
    assertThat(t.tooOld()).isEqualTo(2);
  }

  @Test
  void slidingReusesBitsWithoutFalseDuplicates() {
    ReceptionTracker t = new ReceptionTracker();
    for (int s = 0; s < 10 * ReceptionTracker.WINDOW; s += 2) {
      t.onPacket(s);
    }
    for (int s = 10 * ReceptionTracker.WINDOW - 3; s > 9 * ReceptionTracker.WINDOW; s -= 2) {
      assertThat(t.onPacket(s)).isEqualTo(Arrival.REORDERED);
    }
    assertThat(t.duplicates()).isZero();
  }

  @Test
  void lossNeverNegative() {
    ReceptionTracker t = new ReceptionTracker();
    t.onPacket(1);
    t.onPacket(2);
    assertThat(t.lost(1)).isZero();
  }
}
