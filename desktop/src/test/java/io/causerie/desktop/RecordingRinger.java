package io.causerie.desktop;

import java.util.concurrent.atomic.AtomicInteger;

/** A silent {@link Ringer} that remembers whether it rings. */
final class RecordingRinger implements Ringer {
  volatile boolean ringing;
  final AtomicInteger starts = new AtomicInteger();

  @Override
  public void start() {
    ringing = true;
    starts.incrementAndGet();
  }

  @Override
  public void stop() {
    ringing = false;
  }
}
