package io.causerie.media.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.causerie.media.testing.Signals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class G711ConcealerTest {
  /** A voiced, strictly periodic signal with fundamental 8000 / period Hz. */
  private static short[] voiced(int period, int samples) {
    short[] s = new short[samples];
    for (int i = 0; i < samples; i++) {
      double p = 2 * Math.PI * i / period;
      s[i] = (short) Math.round(6000 * Math.sin(p) + 3000 * Math.sin(2 * p + 0.5)
          + 1500 * Math.sin(3 * p + 1.0));
    }
    return s;
  }

  @ParameterizedTest
  @ValueSource(ints = {40, 57, 80, 100, 120})
  void findsThePitchPeriod(int period) {
    short[] history = voiced(period, G711Concealer.HISTORY_SAMPLES);
    int found = G711Concealer.estimatePitch(history);
    // A multiple of the period is equally periodic; the estimate must be the period itself
    // whenever a multiple does not also fit the search range, and a multiple otherwise.
    assertThat(found % period).isZero();
  }

  @Test
  void concealedFrameContinuesAPeriodicSignal() {
    int period = 64; // 125 Hz
    short[] signal = voiced(period, 160 * 10);
    G711Concealer plc = new G711Concealer();
    for (int f = 0; f < 5; f++) {
      plc.onGoodSamples(signal.clone(), f * 160, 160);
    }
    short[] out = new short[160];
    plc.conceal(out, 0, 160);
    assertThat(plc.lastPitchSamples() % period).isZero();
    // Within the first 10 ms (no attenuation yet) the repetition is almost exact.
    assertThat(Signals.snrDb(signal, 5 * 160, out, 0, 80)).isGreaterThan(20);
    // Over the whole frame it is still far better than silence (0 dB).
    assertThat(Signals.snrDb(signal, 5 * 160, out, 0, 160)).isGreaterThan(6);
  }

  @Test
  void fadesToSilenceAfterSixtyMilliseconds() {
    short[] signal = voiced(80, 160 * 5);
    G711Concealer plc = new G711Concealer();
    plc.onGoodSamples(signal.clone(), 0, signal.length);
    double[] frameRms = new double[5];
    short[] out = new short[160];
    for (int f = 0; f < 5; f++) {
      plc.conceal(out, 0, 160);
      frameRms[f] = Signals.rms(out, 0, 160);
    }
    assertThat(frameRms[1]).isLessThan(frameRms[0]);
    assertThat(frameRms[2]).isLessThan(frameRms[1]);
    // 60 ms = 480 samples: frame 3 (samples 480..639) and later are silent.
    assertThat(frameRms[3]).isZero();
    assertThat(frameRms[4]).isZero();
    assertThat(plc.erasedSamples()).isEqualTo(800);
  }

  @Test
  void recoveryIsSmoothedByOverlapAdd() {
    int period = 80;
    short[] signal = voiced(period, 160 * 8);
    G711Concealer plc = new G711Concealer();
    for (int f = 0; f < 4; f++) {
      plc.onGoodSamples(signal.clone(), f * 160, 160);
    }
    short[] lost = new short[160];
    plc.conceal(lost, 0, 160);
    short[] good = java.util.Arrays.copyOfRange(signal, 5 * 160, 6 * 160);
    short[] raw = good.clone();
    plc.onGoodSamples(good, 0, 160);
    assertThat(plc.erasedSamples()).isZero();
    // The start was blended (changed), the rest is untouched.
    assertThat(good).isNotEqualTo(raw);
    assertThat(java.util.Arrays.copyOfRange(good, 60, 160))
        .isEqualTo(java.util.Arrays.copyOfRange(raw, 60, 160));
    // The blend keeps the junction continuous: no jump larger than the signal's own slope.
    int maxStep = 0;
    for (int i = 1; i < signal.length; i++) {
      maxStep = Math.max(maxStep, Math.abs(signal[i] - signal[i - 1]));
    }
    assertThat(Math.abs(good[0] - lost[159])).isLessThanOrEqualTo(2 * maxStep);
  }

  @Test
  void withoutHistoryConcealsSilence() {
    G711Concealer plc = new G711Concealer();
    short[] out = new short[160];
    java.util.Arrays.fill(out, (short) 99);
    plc.conceal(out, 0, 160);
    assertThat(Signals.rms(out, 0, 160)).isZero();
  }

  @Test
  void codecConcealmentContinuesVoicedSpeechBetterThanSilence() {
    short[] speech = Signals.speechLike(8000, 160 * 100, 3);
    PcmuCodec codec = new PcmuCodec();
    byte[] payload = new byte[160];
    short[] out = new short[160];
    double snrSum = 0;
    int lostFrames = 0;
    for (int f = 0; f < 100; f++) {
      boolean voicedContext = f > 0 && Signals.rms(speech, (f - 1) * 160, 160) > 1000;
      if (f % 5 == 4 && voicedContext) {
        assertThat(codec.conceal(out, 0)).isEqualTo(160);
        // The pitch-synchronous continuation matches the first 5 ms; later the gliding pitch
        // drifts out of phase (as in real speech), which SNR punishes harder than silence.
        snrSum += Signals.snrDb(speech, f * 160, out, 0, 40);
        lostFrames++;
      } else {
        codec.encode(speech, f * 160, payload, 0);
        codec.decode(payload, 0, 160, out, 0);
      }
    }
    assertThat(lostFrames).isGreaterThanOrEqualTo(5);
    // Silence substitution scores exactly 0 dB.
    assertThat(snrSum / lostFrames).isGreaterThan(3);
    assertThat(codec.recoverFromNext(payload, 0, 160, out, 0)).isEqualTo(-1);
  }
}
