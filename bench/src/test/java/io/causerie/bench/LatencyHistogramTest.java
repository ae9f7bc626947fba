package io.causerie.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

  @Test
  void emptyHistogramReportsZeros() {
    LatencyHistogram h = new LatencyHistogram();
    assertThat(h.count()).isZero();
    assertThat(h.quantile(0.5)).isZero();
    assertThat(h.quantile(0.99)).isZero();
    assertThat(h.max()).isZero();
    assertThat(h.min()).isZero();
  }

  @Test
  void smallValuesAreExact() {
    LatencyHistogram h = new LatencyHistogram();
    for (int v = 1; v <= 100; v++) {
      h.record(v);
    }
    assertThat(h.quantile(0.5)).isEqualTo(50);
    assertThat(h.quantile(0.99)).isEqualTo(99);
    assertThat(h.quantile(1.0)).isEqualTo(100);
    assertThat(h.min()).isEqualTo(1);
    assertThat(h.mean()).isCloseTo(50.5, within(1e-9));
  }

  @Test
  void quantilesOfAUniformSpreadAreWithinTheBucketPrecision() {
    LatencyHistogram h = new LatencyHistogram();
    for (long us = 1; us <= 10_000; us++) {
      h.record(us * 1_000); // 1 µs .. 10 ms in nanoseconds
    }
    assertThat(h.count()).isEqualTo(10_000);
    assertThat((double) h.quantile(0.50)).isCloseTo(5_000_000, within(5_000_000 / 100.0));
    assertThat((double) h.quantile(0.99)).isCloseTo(9_900_000, within(9_900_000 / 100.0));
    assertThat((double) h.quantile(0.999)).isCloseTo(9_990_000, within(9_990_000 / 100.0));
    assertThat(h.max()).isEqualTo(10_000_000);
    // Reported quantiles never understate: they are the top of their bucket, capped at the maximum.
    assertThat(h.quantile(0.50)).isGreaterThanOrEqualTo(5_000_000);
  }

  @Test
  void aRareOutlierShowsInTheTailOnly() {
    LatencyHistogram h = new LatencyHistogram();
    for (int i = 0; i < 9_990; i++) {
      h.record(20_000);
    }
    for (int i = 0; i < 10; i++) {
      h.record(5_000_000);
    }
    assertThat((double) h.quantile(0.99)).isCloseTo(20_000, within(20_000 / 100.0));
    assertThat((double) h.quantile(0.9995)).isCloseTo(5_000_000, within(5_000_000 / 100.0));
    assertThat(h.max()).isEqualTo(5_000_000);
  }

  @Test
  void everyBucketBoundaryRoundTrips() {
    for (int i = 0; i < LatencyHistogram.BUCKETS; i++) {
      long top = LatencyHistogram.highestInBucket(i);
      assertThat(LatencyHistogram.index(top)).as("bucket %d top %d", i, top).isEqualTo(i);
      assertThat(LatencyHistogram.index(top + 1)).isEqualTo(i + 1);
    }
  }

  @Test
  void negativeAndHugeValuesAreClamped() {
    LatencyHistogram h = new LatencyHistogram();
    h.record(-5);
    h.record(Long.MAX_VALUE);
    assertThat(h.count()).isEqualTo(2);
    assertThat(h.min()).isZero();
    assertThat(h.overflow()).isEqualTo(1);
    assertThat(h.quantile(0.25)).isZero();
  }

  @Test
  void addMergesCountsAndExtremes() {
    LatencyHistogram a = new LatencyHistogram();
    LatencyHistogram b = new LatencyHistogram();
    a.record(100);
    b.record(1_000_000);
    a.add(b);
    assertThat(a.count()).isEqualTo(2);
    assertThat(a.min()).isEqualTo(100);
    assertThat(a.max()).isEqualTo(1_000_000);
    a.reset();
    assertThat(a.count()).isZero();
    assertThat(a.quantile(0.5)).isZero();
  }
}
