package io.causerie.transport.impair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImpairmentTest {

  private static final long FRAME_INTERVAL_NANOS = 20_000_000L;
  private static final long MILLIS = 1_000_000L;
  private static final int LONG_RUN_DATAGRAMS = 100_000;

  /** Submits {@code count} datagrams (their index) every {@code intervalNanos} and drains all. */
  private static List<Impairment.Delivery<Integer>> run(
      Impairment<Integer> impairment, int count, long intervalNanos) {
    List<Impairment.Delivery<Integer>> output = new ArrayList<>();
    long nowNanos = 0;
    for (int i = 0; i < count; i++) {
      impairment.submit(i, nowNanos);
      output.addAll(impairment.pollDue(nowNanos));
      nowNanos += intervalNanos;
    }
    output.addAll(impairment.pollDue(Long.MAX_VALUE));
    return output;
  }

  private static List<Impairment.Delivery<Integer>> run(String spec, int count) {
    return run(new Impairment<>(ImpairmentSpec.parse(spec)), count, FRAME_INTERVAL_NANOS);
  }

  private static boolean[] lostFlags(List<Impairment.Delivery<Integer>> output, int count) {
    boolean[] lost = new boolean[count];
    Arrays.fill(lost, true);
    for (Impairment.Delivery<Integer> delivery : output) {
      lost[delivery.datagram()] = false;
    }
    return lost;
  }

  private static double meanLossRunLength(boolean[] lost) {
    long runs = 0;
    long lostTotal = 0;
    for (int i = 0; i < lost.length; i++) {
      if (lost[i]) {
        lostTotal++;
        if (i == 0 || !lost[i - 1]) {
          runs++;
        }
      }
    }
    return (double) lostTotal / runs;
  }

  @Test
  void sameSeedSameInputGivesIdenticalOutput() {
    String spec = "loss=10,burst=3,jitter=20,delay=5,reorder=5,dup=5,seed=42";
    Impairment<Integer> first = new Impairment<>(ImpairmentSpec.parse(spec));
    Impairment<Integer> second = new Impairment<>(ImpairmentSpec.parse(spec));

    List<Impairment.Delivery<Integer>> firstOutput = runIrregular(first);
    List<Impairment.Delivery<Integer>> secondOutput = runIrregular(second);

    assertThat(firstOutput).isNotEmpty().isEqualTo(secondOutput);
    assertThat(first.counters()).isEqualTo(second.counters());
  }

  @Test
  void anotherSeedOrStreamGivesAnotherOutput() {
    String spec = "loss=10,burst=3,jitter=20,delay=5,reorder=5,dup=5";
    List<Impairment.Delivery<Integer>> seed1 =
        runIrregular(new Impairment<>(ImpairmentSpec.parse(spec + ",seed=1")));
    List<Impairment.Delivery<Integer>> seed2 =
        runIrregular(new Impairment<>(ImpairmentSpec.parse(spec + ",seed=2")));
    List<Impairment.Delivery<Integer>> seed1Stream7 =
        runIrregular(
            new Impairment<>(
                ImpairmentSpec.parse(spec + ",seed=1"), 7, Impairment.MAX_PENDING_DATAGRAMS));

    assertThat(seed1).isNotEqualTo(seed2).isNotEqualTo(seed1Stream7);
  }

  /** Irregular but fixed submit times, polled at fixed but unrelated times. */
  private static List<Impairment.Delivery<Integer>> runIrregular(Impairment<Integer> impairment) {
    List<Impairment.Delivery<Integer>> output = new ArrayList<>();
    long nowNanos = 0;
    for (int i = 0; i < 5_000; i++) {
      nowNanos += (i * 7_919L % 40) * MILLIS + 13;
      impairment.submit(i, nowNanos);
      if (i % 3 == 0) {
        output.addAll(impairment.pollDue(nowNanos - 5 * MILLIS));
      }
    }
    output.addAll(impairment.pollDue(Long.MAX_VALUE));
    return output;
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void longRunLossRateMatchesTheSpec(long seed) {
    List<Impairment.Delivery<Integer>> output = run("loss=20,seed=" + seed, LONG_RUN_DATAGRAMS);

    double lossRate = 1 - (double) output.size() / LONG_RUN_DATAGRAMS;
    assertThat(lossRate).isCloseTo(0.20, within(0.01));
    // Independent losses: runs are geometric with mean 1 / (1 - loss).
    assertThat(meanLossRunLength(lostFlags(output, LONG_RUN_DATAGRAMS)))
        .isCloseTo(1.25, within(0.05));
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void burstyLossKeepsTheRateAndHasTheMeanBurstLength(long seed) {
    int count = 2 * LONG_RUN_DATAGRAMS;
    Impairment<Integer> impairment =
        new Impairment<>(ImpairmentSpec.parse("loss=20,burst=4,seed=" + seed));
    List<Impairment.Delivery<Integer>> output = run(impairment, count, FRAME_INTERVAL_NANOS);

    double lossRate = 1 - (double) output.size() / count;
    assertThat(lossRate).isCloseTo(0.20, within(0.01));
    assertThat(meanLossRunLength(lostFlags(output, count))).isCloseTo(4.0, within(0.25));
    assertThat(impairment.counters().dropped()).isEqualTo(count - output.size());
  }

  @Test
  void totalLossLosesEverythingAndNoLossNothing() {
    assertThat(run("loss=100,burst=3", 1_000)).isEmpty();
    assertThat(run("loss=0,burst=3", 1_000)).hasSize(1_000);
  }

  @Test
  void duplicationRateAndCopyTiming() {
    Impairment<Integer> impairment = new Impairment<>(ImpairmentSpec.parse("dup=10,seed=5"));
    List<Impairment.Delivery<Integer>> output =
        run(impairment, LONG_RUN_DATAGRAMS, FRAME_INTERVAL_NANOS);

    long copies = output.stream().filter(Impairment.Delivery::duplicate).count();
    assertThat(impairment.counters().duplicated()).isEqualTo(copies);
    assertThat((double) copies / LONG_RUN_DATAGRAMS).isCloseTo(0.10, within(0.01));
    assertThat(output).hasSize(LONG_RUN_DATAGRAMS + (int) copies);

    Map<Long, Long> originalDue = new HashMap<>();
    for (Impairment.Delivery<Integer> delivery : output) {
      if (delivery.duplicate()) {
        long original = originalDue.get(delivery.sequence());
        assertThat(delivery.dueNanos() - original)
            .isBetween(1L, Impairment.DUPLICATE_MAX_EXTRA_DELAY_NANOS);
        assertThat(delivery.datagram()).isEqualTo((int) delivery.sequence());
      } else {
        assertThat(originalDue.put(delivery.sequence(), delivery.dueNanos())).isNull();
      }
    }
  }

  @Test
  void reorderRateAndHeldBackDatagramsArriveAfterTheirSuccessor() {
    Impairment<Integer> impairment = new Impairment<>(ImpairmentSpec.parse("reorder=10,seed=5"));
    List<Impairment.Delivery<Integer>> output =
        run(impairment, LONG_RUN_DATAGRAMS, FRAME_INTERVAL_NANOS);

    assertThat(output).hasSize(LONG_RUN_DATAGRAMS);
    long reordered = impairment.counters().reordered();
    assertThat((double) reordered / LONG_RUN_DATAGRAMS).isCloseTo(0.10, within(0.01));

    int[] position = new int[LONG_RUN_DATAGRAMS];
    boolean[] heldBack = new boolean[LONG_RUN_DATAGRAMS];
    for (int i = 0; i < output.size(); i++) {
      Impairment.Delivery<Integer> delivery = output.get(i);
      int sequence = (int) delivery.sequence();
      position[sequence] = i;
      long holdNanos = delivery.dueNanos() - sequence * FRAME_INTERVAL_NANOS;
      if (holdNanos > 0) {
        heldBack[sequence] = true;
        assertThat(holdNanos)
            .isBetween(
                Impairment.REORDER_MIN_INTERVALS * FRAME_INTERVAL_NANOS + 1,
                Impairment.REORDER_MAX_INTERVALS * FRAME_INTERVAL_NANOS + 1);
      }
    }
    long heldBackCount = 0;
    long overtaken = 0;
    for (int s = 0; s < LONG_RUN_DATAGRAMS - 1; s++) {
      if (heldBack[s]) {
        heldBackCount++;
        if (!heldBack[s + 1]) {
          assertThat(position[s]).as("datagram %d after its successor", s)
              .isGreaterThan(position[s + 1]);
          overtaken++;
        }
      }
    }
    assertThat(heldBackCount).isBetween(reordered - 1, reordered);
    assertThat(overtaken).isGreaterThan(reordered * 8 / 10);
  }

  @Test
  void delayAndJitterStayWithinBounds() {
    Impairment<Integer> impairment =
        new Impairment<>(ImpairmentSpec.parse("delay=50,jitter=30,seed=3"));
    List<Impairment.Delivery<Integer>> output = run(impairment, 10_000, FRAME_INTERVAL_NANOS);

    assertThat(output).hasSize(10_000);
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    double sum = 0;
    for (Impairment.Delivery<Integer> delivery : output) {
      long extraNanos = delivery.dueNanos() - delivery.sequence() * FRAME_INTERVAL_NANOS;
      assertThat(extraNanos).isBetween(50 * MILLIS, 80 * MILLIS);
      min = Math.min(min, extraNanos);
      max = Math.max(max, extraNanos);
      sum += extraNanos;
    }
    assertThat(min).isLessThan(51 * MILLIS);
    assertThat(max).isGreaterThan(79 * MILLIS);
    assertThat(sum / output.size()).isCloseTo(65.0 * MILLIS, within(1.0 * MILLIS));
    assertThat(output).extracting(Impairment.Delivery::dueNanos).isSorted();
  }

  @Test
  void fixedDelayKeepsOrderAndNextDeliveryReportsIt() {
    Impairment<String> impairment = new Impairment<>(ImpairmentSpec.parse("delay=40"));

    assertThat(impairment.nextDeliveryNanos()).isEqualTo(Long.MAX_VALUE);
    impairment.submit("a", 1_000);
    impairment.submit("b", 2_000);

    assertThat(impairment.nextDeliveryNanos()).isEqualTo(1_000 + 40 * MILLIS);
    assertThat(impairment.pollDue(1_000 + 40 * MILLIS - 1)).isEmpty();
    assertThat(impairment.pollDue(1_000 + 40 * MILLIS))
        .containsExactly(new Impairment.Delivery<>("a", 0, 1_000 + 40 * MILLIS, false));
    assertThat(impairment.nextDeliveryNanos()).isEqualTo(2_000 + 40 * MILLIS);
    assertThat(impairment.pollDue(Long.MAX_VALUE))
        .extracting(Impairment.Delivery::datagram)
        .containsExactly("b");
  }

  @Test
  void scheduleIsBoundedAndOverflowIsCounted() {
    Impairment<Integer> impairment = new Impairment<>(ImpairmentSpec.parse("delay=1000"));
    int extra = 5;

    int accepted = 0;
    for (int i = 0; i < Impairment.MAX_PENDING_DATAGRAMS + extra; i++) {
      if (impairment.submit(i, 0)) {
        accepted++;
      }
    }

    assertThat(accepted).isEqualTo(Impairment.MAX_PENDING_DATAGRAMS);
    assertThat(impairment.pendingCount()).isEqualTo(Impairment.MAX_PENDING_DATAGRAMS);
    assertThat(impairment.counters().overflowed()).isEqualTo(extra);
    List<Impairment.Delivery<Integer>> output = impairment.pollDue(1_000 * MILLIS);
    assertThat(output).hasSize(Impairment.MAX_PENDING_DATAGRAMS);
    assertThat(output.get(output.size() - 1).datagram())
        .isEqualTo(Impairment.MAX_PENDING_DATAGRAMS - 1);
    assertThat(impairment.submit(-1, 1_000 * MILLIS)).isTrue();
  }

  @Test
  void copiesCountAgainstTheBoundToo() {
    Impairment<Integer> impairment =
        new Impairment<>(ImpairmentSpec.parse("dup=100,delay=10"), 0, 3);

    impairment.submit(0, 0);
    impairment.submit(1, 0);

    assertThat(impairment.pendingCount()).isEqualTo(3);
    assertThat(impairment.counters())
        .isEqualTo(new ImpairmentCounters(2, 0, 1, 2, 0, 0));
  }

  @Test
  void pollDueWithSinkReportsTheCount() {
    Impairment<Integer> impairment = new Impairment<>(ImpairmentSpec.NONE);
    impairment.submit(1, 5);
    impairment.submit(2, 6);
    List<Integer> sink = new ArrayList<>();

    assertThat(impairment.pollDue(6, delivery -> sink.add(delivery.datagram()))).isEqualTo(2);
    assertThat(sink).containsExactly(1, 2);
  }
}
