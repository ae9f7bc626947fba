package io.causerie.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransactionTableTest {
  private final FakeClock clock = new FakeClock();
  private final InetSocketAddress peer = new InetSocketAddress("127.0.0.1", 6100);
  private final List<Long> resentAtMillis = new ArrayList<>();
  private final List<Long> givenUp = new ArrayList<>();
  private final long t0 = clock.nanoTime();

  private final TransactionTable.Sink<String> sink = new TransactionTable.Sink<>() {
    @Override
    public void resend(TransactionTable.Pending<String> p) {
      resentAtMillis.add((clock.nanoTime() - t0) / 1_000_000);
    }

    @Override
    public void giveUp(TransactionTable.Pending<String> p) {
      givenUp.add(p.txid());
    }
  };

  private void runFor(TransactionTable<String> table, long millis) {
    for (long t = 0; t < millis; t += 10) {
      clock.elapseMillis(10);
      table.poll(clock.nanoTime(), sink);
    }
  }

  @Test
  void resendsWithDoublingBackoffCappedAndGivesUpAtThirtySeconds() {
    TransactionTable<String> table = new TransactionTable<>(RetransmitPolicy.DEFAULT);
    assertThat(table.start(1, new byte[] {1}, peer, "a", clock.nanoTime())).isTrue();
    runFor(table, 31_000);
    assertThat(resentAtMillis).containsExactly(400L, 1_200L, 2_800L, 6_000L, 10_000L, 14_000L, 18_000L, 22_000L,
        26_000L);
    assertThat(givenUp).containsExactly(1L);
    assertThat(table.size()).isZero();
    // The policy's own statement of the schedule (used to size silences) is the one the table follows.
    for (int k = 2; k <= resentAtMillis.size() + 1; k++) {
      assertThat(RetransmitPolicy.DEFAULT.sendTimeMillis(k)).isEqualTo(resentAtMillis.get(k - 2));
    }
  }

  @Test
  void anAnsweredRequestIsNeverResent() {
    TransactionTable<String> table = new TransactionTable<>(RetransmitPolicy.DEFAULT);
    table.start(1, new byte[] {1}, peer, "a", clock.nanoTime());
    runFor(table, 500);
    assertThat(table.complete(1).attachment()).isEqualTo("a");
    assertThat(table.complete(1)).isNull();
    runFor(table, 40_000);
    assertThat(resentAtMillis).containsExactly(400L);
    assertThat(givenUp).isEmpty();
  }

  @Test
  void refusesDuplicatesAndBeyondItsBound() {
    TransactionTable<String> table = new TransactionTable<>(RetransmitPolicy.DEFAULT, 2);
    assertThat(table.start(1, new byte[0], peer, "a", 0)).isTrue();
    assertThat(table.start(1, new byte[0], peer, "a", 0)).isFalse();
    assertThat(table.start(2, new byte[0], peer, "b", 0)).isTrue();
    assertThat(table.start(3, new byte[0], peer, "c", 0)).isFalse();
    assertThat(table.complete(1)).isNotNull();
    assertThat(table.size()).isEqualTo(1);
  }

  @Test
  void nextDeadlineFollowsTheEarliestResend() {
    TransactionTable<String> table = new TransactionTable<>(RetransmitPolicy.DEFAULT);
    assertThat(table.nextDeadlineNanos()).isEqualTo(Long.MAX_VALUE);
    table.start(1, new byte[0], peer, "a", clock.nanoTime());
    assertThat(table.nextDeadlineNanos()).isEqualTo(clock.nanoTime() + 400_000_000L);
  }

  @Test
  void removingAnOwnersRequestsLeavesOthersAndForgetsAnswered() {
    TransactionTable<String> table =
        new TransactionTable<>(RetransmitPolicy.DEFAULT, 100, a -> a.substring(0, 1));
    table.start(1, new byte[0], peer, "a1", 0);
    table.start(2, new byte[0], peer, "a2", 0);
    table.start(3, new byte[0], peer, "b1", 0);
    table.complete(2);
    assertThat(table.removeOwnedBy("a")).extracting(TransactionTable.Pending::txid).containsExactly(1L);
    assertThat(table.removeOwnedBy("a")).isEmpty();
    assertThat(table.size()).isEqualTo(1);
    assertThat(table.get(3)).isNotNull();
    runFor(table, 31_000); // given up: the index forgets it too
    assertThat(table.removeOwnedBy("b")).isEmpty();
  }
}
