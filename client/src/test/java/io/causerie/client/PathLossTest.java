package io.causerie.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.causerie.transport.RetransmitPolicy;
import org.junit.jupiter.api.Test;

class PathLossTest {

  @Test
  void aCleanPathKeepsTheFourSecondsOfSilence() {
    PathLoss loss = new PathLoss();
    assertThat(loss.silenceMillis(RetransmitPolicy.DEFAULT)).isEqualTo(4_000);
    for (int i = 0; i < 50; i++) {
      loss.answered(1);
    }
    assertThat(loss.roundTripLoss()).isZero();
    assertThat(loss.sendsNeeded()).isEqualTo(PathLoss.MIN_SENDS);
    assertThat(loss.silenceMillis(RetransmitPolicy.DEFAULT)).isEqualTo(4_000);
  }

  @Test
  void aPathLosingATHirdOfItsRoundTripsWaitsForSevenSends() {
    PathLoss loss = new PathLoss();
    // About 20 % loss each way: ten requests took 17 sends, 7 of them unanswered.
    int[] pattern = {1, 1, 2, 1, 3, 1, 2, 1, 1, 4};
    for (int i = 0; i < 100; i++) {
      loss.answered(pattern[i % pattern.length]);
    }
    assertThat(loss.roundTripLoss()).isBetween(0.3, 0.5);
    assertThat(loss.sendsNeeded()).isBetween(6, PathLoss.MAX_SENDS);
    assertThat(loss.silenceMillis(RetransmitPolicy.DEFAULT)).isBetween(11_200L, 15_200L);
  }

  @Test
  void sendTimesFollowTheRetransmissionSchedule() {
    assertThat(RetransmitPolicy.DEFAULT.sendTimeMillis(1)).isZero();
    assertThat(RetransmitPolicy.DEFAULT.sendTimeMillis(4)).isEqualTo(2_800);
    assertThat(RetransmitPolicy.DEFAULT.sendTimeMillis(7)).isEqualTo(14_000);
  }

  @Test
  void theEstimateForgetsAnOldBadPatch() {
    PathLoss loss = new PathLoss();
    for (int i = 0; i < 10; i++) {
      loss.answered(5);
    }
    assertThat(loss.sendsNeeded()).isEqualTo(PathLoss.MAX_SENDS);
    for (int i = 0; i < 60; i++) {
      loss.answered(1);
    }
    assertThat(loss.sendsNeeded()).isEqualTo(PathLoss.MIN_SENDS);
  }
}
