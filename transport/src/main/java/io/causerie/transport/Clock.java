package io.causerie.transport;

/** A monotonic clock, injected so that cores and their tests agree on time. */
public interface Clock {
  /** Monotonic nanoseconds, as {@link System#nanoTime()}. */
  long nanoTime();

  /** Wall-clock milliseconds since the epoch, for records and logs. */
  long currentTimeMillis();

  /** The real clock. */
  Clock SYSTEM = new Clock() {
    @Override
    public long nanoTime() {
      return System.nanoTime();
    }

    @Override
    public long currentTimeMillis() {
      return System.currentTimeMillis();
    }
  };
}
