package io.causerie.transport.impair;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class ImpairmentProperties {

  private static final long MAX_GAP_NANOS = 50_000_000L;
  private static final int MAX_DATAGRAMS = 300;
  private static final int MAX_PAYLOAD_BYTES = 64;

  @Property
  void noImpairmentDeliversEverythingInOrderAtSubmitTime(
      @ForAll("traffic") List<Tuple2<Long, byte[]>> traffic,
      @ForAll @LongRange(min = 0) long seed,
      @ForAll("pollPattern") List<Boolean> pollAfterSubmit) {
    Impairment<byte[]> impairment = new Impairment<>(ImpairmentSpec.NONE.withSeed(seed));
    List<Impairment.Delivery<byte[]>> output = new ArrayList<>();
    List<Long> submitTimes = new ArrayList<>();
    long nowNanos = 0;
    for (int i = 0; i < traffic.size(); i++) {
      nowNanos += traffic.get(i).get1();
      submitTimes.add(nowNanos);
      assertThat(impairment.submit(traffic.get(i).get2(), nowNanos)).isTrue();
      if (pollAfterSubmit.get(i % pollAfterSubmit.size())) {
        output.addAll(impairment.pollDue(nowNanos));
      }
    }
    output.addAll(impairment.pollDue(nowNanos));

    assertThat(output).hasSameSizeAs(traffic);
    for (int i = 0; i < traffic.size(); i++) {
      Impairment.Delivery<byte[]> delivery = output.get(i);
      assertThat(delivery.datagram()).isSameAs(traffic.get(i).get2());
      assertThat(delivery.sequence()).isEqualTo(i);
      assertThat(delivery.dueNanos()).isEqualTo(submitTimes.get(i));
      assertThat(delivery.duplicate()).isFalse();
    }
    assertThat(impairment.nextDeliveryNanos()).isEqualTo(Long.MAX_VALUE);
    assertThat(impairment.counters())
        .isEqualTo(new ImpairmentCounters(traffic.size(), 0, 0, 0, 0, traffic.size()));
  }

  @Property
  void everyDatagramIsAccountedForAndDeliveredInDueOrder(
      @ForAll("specs") ImpairmentSpec spec,
      @ForAll("traffic") List<Tuple2<Long, byte[]>> traffic,
      @ForAll @IntRange(min = 1, max = 50) int maxPending) {
    Impairment<byte[]> impairment = new Impairment<>(spec, 0, maxPending);
    List<Impairment.Delivery<byte[]>> output = new ArrayList<>();
    long nowNanos = 0;
    for (Tuple2<Long, byte[]> item : traffic) {
      nowNanos += item.get1();
      impairment.submit(item.get2(), nowNanos);
      assertThat(impairment.pendingCount()).isLessThanOrEqualTo(maxPending);
      output.addAll(impairment.pollDue(nowNanos));
    }
    output.addAll(impairment.pollDue(Long.MAX_VALUE));

    ImpairmentCounters counters = impairment.counters();
    assertThat(counters.submitted()).isEqualTo(traffic.size());
    assertThat(counters.submitted() + counters.duplicated())
        .isEqualTo(counters.dropped() + counters.overflowed() + counters.delivered());
    assertThat(counters.delivered()).isEqualTo(output.size());
    assertThat(output).extracting(Impairment.Delivery::dueNanos).isSorted();
    assertThat(output.stream().filter(Impairment.Delivery::duplicate).count())
        .isLessThanOrEqualTo(counters.duplicated());
  }

  @Property
  void specToStringRoundTrips(@ForAll("specs") ImpairmentSpec spec) {
    assertThat(ImpairmentSpec.parse(spec.toString())).isEqualTo(spec);
  }

  @Provide
  Arbitrary<List<Tuple2<Long, byte[]>>> traffic() {
    Arbitrary<Long> gaps = Arbitraries.longs().between(0, MAX_GAP_NANOS);
    Arbitrary<byte[]> payloads =
        Arbitraries.bytes().array(byte[].class).ofMaxSize(MAX_PAYLOAD_BYTES);
    return Combinators.combine(gaps, payloads).as(Tuple::of).list().ofMaxSize(MAX_DATAGRAMS);
  }

  @Provide
  Arbitrary<List<Boolean>> pollPattern() {
    return Arbitraries.of(true, false).list().ofMinSize(1).ofMaxSize(10);
  }

  @Provide
  Arbitrary<ImpairmentSpec> specs() {
    Arbitrary<Double> percents =
        Arbitraries.frequencyOf(
            Tuple.of(1, Arbitraries.just(0.0)),
            Tuple.of(1, Arbitraries.just(100.0)),
            Tuple.of(4, Arbitraries.integers().between(0, 10_000).map(h -> h / 100.0)));
    Arbitrary<Double> bursts =
        Arbitraries.oneOf(
            Arbitraries.just(0.0), Arbitraries.integers().between(10, 500).map(t -> t / 10.0));
    Arbitrary<Double> millis = Arbitraries.integers().between(0, 2_000).map(t -> t / 10.0);
    Arbitrary<Long> seeds = Arbitraries.longs().greaterOrEqual(0);
    return Combinators.combine(percents, bursts, millis, millis, percents, percents, seeds)
        .as(ImpairmentProperties::specOrNull)
        .filter(spec -> spec != null);
  }

  private static ImpairmentSpec specOrNull(
      double loss, double burst, double delay, double jitter, double reorder, double dup,
      long seed) {
    boolean feasible =
        burst == 0 || loss == 0 || loss == 100 || burst >= loss / (100 - loss);
    return feasible ? new ImpairmentSpec(loss, burst, delay, jitter, reorder, dup, seed) : null;
  }
}
