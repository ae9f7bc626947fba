package io.causerie.transport;

import java.util.concurrent.TimeUnit;

/** A clock that moves only when a test says so. */
public final class FakeClock implements Clock {
  private long nanos = 1_000_000_000L;
  private long epochMillis = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

  @Override
  public long nanoTime() {
    return nanos;
  }

  @Override
  public long currentTimeMillis() {
    return epochMillis;
  }

  public FakeClock elapseMillis(long millis) {
    nanos += TimeUnit.MILLISECONDS.toNanos(millis);
    epochMillis += millis;
    return this;
  }
}
