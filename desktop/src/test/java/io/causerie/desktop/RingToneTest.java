package io.causerie.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RingToneTest {
  private static short sample(byte[] pcm, int i) {
    return (short) ((pcm[2 * i] & 0xFF) | (pcm[2 * i + 1] << 8));
  }

  private static int peak(byte[] pcm, int fromMillis, int toMillis) {
    int rate = RingTone.SAMPLE_RATE_HZ;
    int peak = 0;
    for (int i = fromMillis * rate / 1000; i < toMillis * rate / 1000; i++) {
      peak = Math.max(peak, Math.abs(sample(pcm, i)));
    }
    return peak;
  }

  @Test
  void oneCadenceIsTwoBurstsThenAPause() {
    byte[] pcm = RingTone.cadence(RingTone.SAMPLE_RATE_HZ);
    assertThat(pcm).hasSize(RingTone.cadenceMillis() * RingTone.SAMPLE_RATE_HZ / 1000 * 2);
    int full = Short.MAX_VALUE;
    assertThat(peak(pcm, 20, 380)).isBetween((int) (full * RingTone.LEVEL * 0.8), (int) (full * RingTone.LEVEL) + 1);
    assertThat(peak(pcm, 400, 600)).isZero();
    assertThat(peak(pcm, 620, 980)).isGreaterThan((int) (full * RingTone.LEVEL * 0.8));
    assertThat(peak(pcm, 1000, RingTone.cadenceMillis())).isZero();
  }

  @Test
  void burstsFadeInAndOutSoTheyNeverClick() {
    byte[] pcm = RingTone.cadence(RingTone.SAMPLE_RATE_HZ);
    assertThat(Math.abs(sample(pcm, 0))).isZero();
    int bound = (int) (Short.MAX_VALUE * RingTone.LEVEL * 0.15); // within 1 ms of a 10 ms fade
    assertThat(peak(pcm, 0, 1)).isLessThan(bound);
    assertThat(peak(pcm, 399, 400)).isLessThan(bound);
  }
}
