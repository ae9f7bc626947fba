package io.causerie.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ToneRingerTest {
  private static boolean ringerThreadAlive() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals("causerie-ringer") && t.isAlive());
  }

  @Test
  void startsAndStopsWithOrWithoutASoundDevice() throws Exception {
    ToneRinger r = new ToneRinger(() -> "no such device");
    r.start();
    r.start(); // a second start while ringing does nothing
    r.stop();
    r.stop();
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (ringerThreadAlive() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(ringerThreadAlive()).as("the ringer thread ends after stop()").isFalse();
  }
}
