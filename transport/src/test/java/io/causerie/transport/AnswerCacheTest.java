package io.causerie.transport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AnswerCacheTest {
  private final FakeClock clock = new FakeClock();

  @Test
  void repeatsTheSameAnswerUntilItExpires() {
    AnswerCache cache = new AnswerCache(1_000, 10);
    assertThat(cache.lookup("a", 1, clock.nanoTime())).isNull();
    byte[] answer = {1, 2, 3};
    cache.put("a", 1, answer, clock.nanoTime());
    assertThat(cache.lookup("a", 1, clock.elapseMillis(999).nanoTime())).isSameAs(answer);
    assertThat(cache.lookup("b", 1, clock.nanoTime())).isNull();
    assertThat(cache.lookup("a", 1, clock.elapseMillis(1).nanoTime())).isNull();
    assertThat(cache.size()).isZero();
  }

  @Test
  void inProgressMarksAreReplacedAndTheBoundEvictsTheOldest() {
    AnswerCache cache = new AnswerCache(60_000, 2);
    cache.put("a", 1, AnswerCache.IN_PROGRESS, clock.nanoTime());
    assertThat(cache.lookup("a", 1, clock.nanoTime())).isSameAs(AnswerCache.IN_PROGRESS);
    cache.put("a", 1, new byte[] {9}, clock.nanoTime());
    cache.put("a", 2, new byte[] {8}, clock.nanoTime());
    cache.put("a", 3, new byte[] {7}, clock.nanoTime());
    assertThat(cache.size()).isEqualTo(2);
    assertThat(cache.lookup("a", 1, clock.nanoTime())).isNull();
    assertThat(cache.lookup("a", 3, clock.nanoTime())).containsExactly(7);
  }
}
