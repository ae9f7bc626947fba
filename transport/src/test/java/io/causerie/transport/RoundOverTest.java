package io.causerie.transport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RoundOverTest {
  private static final int ROUNDS = 3;
  private static final long START = 1_000_000_000L;

  @Test
  void aSilentServerWithNoHandshakeUnderWayMeansTheRequestIsGivenUp() {
    assertThat(RoundOver.decide(0, ROUNDS, START, START - 1, false, 0)).isEqualTo(RoundOver.GIVE_UP);
    assertThat(RoundOver.decide(0, ROUNDS, START, START, false, 0)).isEqualTo(RoundOver.GIVE_UP);
  }

  @Test
  void aServerHeardFromSinceTheRoundBeganGetsAnotherRound() {
    assertThat(RoundOver.decide(0, ROUNDS, START, START + 1, false, 0)).isEqualTo(RoundOver.NEXT_ROUND);
    assertThat(RoundOver.decide(1, ROUNDS, START, START + 1, true, START + 2)).isEqualTo(RoundOver.NEXT_ROUND);
  }

  @Test
  void aHandshakeBegunDuringTheRoundIsWaitedFor() {
    assertThat(RoundOver.decide(0, ROUNDS, START, START - 5, true, START + 16_000_000_000L))
        .isEqualTo(RoundOver.AWAIT_ASSOCIATION);
    assertThat(RoundOver.decide(0, ROUNDS, START, START - 5, true, START)).isEqualTo(RoundOver.AWAIT_ASSOCIATION);
  }

  @Test
  void aHandshakeBegunBeforeTheRoundSaysNothingNew() {
    // It was already under way when the request was (re)sent; a whole round went by without it succeeding.
    assertThat(RoundOver.decide(0, ROUNDS, START, START - 5, true, START - 1)).isEqualTo(RoundOver.GIVE_UP);
  }

  @Test
  void theLastRoundIsTheLastWhateverWasHeard() {
    assertThat(RoundOver.decide(ROUNDS - 1, ROUNDS, START, START + 1, true, START + 1)).isEqualTo(RoundOver.GIVE_UP);
    assertThat(RoundOver.decide(0, 1, START, START + 1, true, START + 1)).isEqualTo(RoundOver.GIVE_UP);
  }

  @Test
  void nanoTimeWrapsAreHandledByDifferences() {
    long start = Long.MAX_VALUE - 10;
    assertThat(RoundOver.decide(0, ROUNDS, start, start + 20, false, 0)).isEqualTo(RoundOver.NEXT_ROUND);
    assertThat(RoundOver.decide(0, ROUNDS, start, start - 20, true, start + 20)).isEqualTo(RoundOver.AWAIT_ASSOCIATION);
  }
}
