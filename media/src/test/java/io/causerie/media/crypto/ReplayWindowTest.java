package io.causerie.media.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ReplayWindowTest {
  @Test
  void anEmptyWindowAcceptsEveryNonNegativeIndex() {
    ReplayWindow w = new ReplayWindow();
    assertThat(w.highest()).isEqualTo(ReplayWindow.NONE);
    assertThat(w.check(0)).isTrue();
    assertThat(w.check(1L << 47)).isTrue();
    assertThat(w.check(-1)).isFalse();
    assertThat(w.isTooOld(-1)).isTrue();
  }

  @Test
  void acceptsOnceAndRejectsRepeats() {
    ReplayWindow w = new ReplayWindow();
    w.update(10);
    assertThat(w.check(10)).isFalse();
    assertThat(w.isTooOld(10)).isFalse();
    assertThat(w.check(9)).isTrue();
    assertThat(w.check(11)).isTrue();
    w.update(9);
    assertThat(w.check(9)).isFalse();
  }

  @Test
  void theWindowHoldsExactly128Indices() {
    ReplayWindow w = new ReplayWindow();
    w.update(1000);
    assertThat(w.check(1000 - 127)).isTrue();
    assertThat(w.isTooOld(1000 - 127)).isFalse();
    assertThat(w.check(1000 - 128)).isFalse();
    assertThat(w.isTooOld(1000 - 128)).isTrue();
    w.update(1000 - 127);
    assertThat(w.check(1000 - 127)).isFalse();
    w.update(1001);
    assertThat(w.isTooOld(1000 - 127)).isTrue();
  }

  @Test
  void remembersAcrossShiftsOfEveryWidth() {
    for (int shift = 1; shift <= 130; shift++) {
      ReplayWindow w = new ReplayWindow();
      w.update(500);
      w.update(450);
      w.update(500 + shift);
      long top = 500 + shift;
      assertThat(w.check(500)).as("shift %d", shift).isFalse();
      assertThat(w.isTooOld(500)).as("shift %d", shift).isEqualTo(top - 500 >= 128);
      assertThat(w.check(450)).as("shift %d", shift).isFalse();
      assertThat(w.check(499)).as("shift %d", shift).isEqualTo(top - 499 < 128);
    }
  }

  /** Matches a set-based model of RFC 3711 §3.3.2 on arbitrary index sequences. */
  @Property(tries = 300)
  void agreesWithAReferenceModel(
      @ForAll @Size(max = 400) List<@IntRange(min = 0, max = 600) Integer> indices) {
    ReplayWindow w = new ReplayWindow();
    Set<Long> seen = new HashSet<>();
    long max = -1;
    for (int i : indices) {
      long index = i;
      boolean fresh = !seen.contains(index) && (index > max || max - index < ReplayWindow.SIZE);
      assertThat(w.check(index)).as("index %d after max %d", index, max).isEqualTo(fresh);
      assertThat(w.isTooOld(index)).isEqualTo(index <= max && max - index >= ReplayWindow.SIZE);
      if (fresh) {
        w.update(index);
        seen.add(index);
        max = Math.max(max, index);
      }
    }
    assertThat(w.highest()).isEqualTo(max);
  }
}
