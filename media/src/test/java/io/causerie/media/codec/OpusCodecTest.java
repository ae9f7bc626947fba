package io.causerie.media.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.causerie.media.testing.Signals;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class OpusCodecTest {
  private static final int N = OpusCodec.FRAME_SAMPLES;

  private static byte[][] encodeAll(OpusCodec encoder, short[] pcm, int frames) {
    byte[][] packets = new byte[frames][];
    byte[] out = new byte[OpusCodec.MAX_PAYLOAD_BYTES];
    for (int f = 0; f < frames; f++) {
      int len = encoder.encode(pcm, f * N, out, 0);
      assertThat(len).isBetween(1, OpusCodec.MAX_PAYLOAD_BYTES);
      packets[f] = Arrays.copyOf(out, len);
    }
    return packets;
  }

  @Test
  void describesItself() {
    OpusCodec c = new OpusCodec();
    assertThat(c.name()).isEqualTo("opus");
    assertThat(c.payloadType()).isEqualTo(111);
    assertThat(c.sampleRateHz()).isEqualTo(48000);
    assertThat(c.frameSamples()).isEqualTo(960);
    assertThat(c.frameMillis()).isEqualTo(20);
    assertThat(c.supportsFec()).isTrue();
    assertThat(c.bitrateBps()).isEqualTo(24000);
    assertThat(c.fecEnabled()).isTrue();
  }

  @Test
  void oneKilohertzToneSurvivesTheRoundTrip() {
    int frames = 50;
    short[] tone = Signals.sine(1000, 12000, 48000, frames * N);
    OpusCodec codec = new OpusCodec();
    byte[][] packets = encodeAll(codec, tone, frames);
    short[] decoded = new short[frames * N];
    for (int f = 0; f < frames; f++) {
      assertThat(codec.decode(packets[f], 0, packets[f].length, decoded, f * N)).isEqualTo(N);
    }
    int from = 10 * N;
    int n = 30 * N;
    assertThat(Signals.zeroCrossingFrequencyHz(decoded, from, n, 48000)).isCloseTo(1000.0,
        org.assertj.core.data.Offset.offset(5.0));
    double gainDb = 20 * Math.log10(Signals.rms(decoded, from, n) / Signals.rms(tone, from, n));
    assertThat(gainDb).isBetween(-2.0, 2.0);
    // Almost all decoded energy sits at 1 kHz.
    double meanSquare = Math.pow(Signals.rms(decoded, from, n), 2);
    assertThat(Signals.tonePower(decoded, from, n, 1000, 48000) / meanSquare).isGreaterThan(0.95);
    // Waveform match once the codec delay is compensated.
    int delay = Signals.bestDelay(tone, decoded, from, n, 600);
    assertThat(Signals.snrDb(tone, from - delay, decoded, from, n)).isGreaterThan(10);
  }

  /** Decodes {@code packets} with frame {@code lost} missing; frames after it are not needed. */
  private static short[] decodeWithLoss(byte[][] packets, int lost, boolean useFec) {
    OpusCodec decoder = new OpusCodec();
    short[] out = new short[(lost + 1) * N];
    for (int f = 0; f < lost; f++) {
      decoder.decode(packets[f], 0, packets[f].length, out, f * N);
    }
    if (useFec) {
      byte[] next = packets[lost + 1];
      assertThat(decoder.recoverFromNext(next, 0, next.length, out, lost * N)).isEqualTo(N);
    } else {
      assertThat(decoder.conceal(out, lost * N)).isEqualTo(N);
    }
    return out;
  }

  @Test
  void inBandFecRebuildsALostFrameBetterThanConcealment() {
    int frames = 100;
    short[] speech = Signals.speechLike(48000, frames * N, 5);
    OpusCodec encoder = new OpusCodec(OpusCodec.Config.DEFAULTS.withExpectedLossPercent(20));
    byte[][] packets = encodeAll(encoder, speech, frames);

    short[] clean = new short[frames * N];
    OpusCodec reference = new OpusCodec();
    for (int f = 0; f < frames; f++) {
      reference.decode(packets[f], 0, packets[f].length, clean, f * N);
    }
    int delay = Signals.bestDelay(speech, clean, 20 * N, 60 * N, 1000);
    assertThat(Signals.snrDb(speech, 20 * N - delay, clean, 20 * N, 60 * N)).isGreaterThan(5);

    double fecSum = 0;
    double plcSum = 0;
    int trials = 0;
    int fecWins = 0;
    for (int lost = 20; lost < 90; lost += 3) {
      if (Signals.rms(speech, lost * N - delay, N) < 1000) {
        continue; // between syllables both are near silence
      }
      double fec = Signals.snrDb(speech, lost * N - delay, decodeWithLoss(packets, lost, true),
          lost * N, N);
      double plc = Signals.snrDb(speech, lost * N - delay, decodeWithLoss(packets, lost, false),
          lost * N, N);
      fecSum += fec;
      plcSum += plc;
      trials++;
      if (fec > plc) {
        fecWins++;
      }
    }
    assertThat(trials).isGreaterThanOrEqualTo(8);
    assertThat(fecSum / trials).as("mean SNR of FEC-rebuilt frames vs PLC %.2f", plcSum / trials)
        .isGreaterThan(plcSum / trials + 2.0);
    assertThat(fecWins).isGreaterThan(trials * 2 / 3);
  }

  @Test
  void withoutExpectedLossThereIsNoLbrrAndFecFallsBackToConcealment() {
    int frames = 30;
    short[] speech = Signals.speechLike(48000, frames * N, 9);
    byte[][] packets = encodeAll(new OpusCodec(), speech, frames); // 0 % expected loss
    short[] viaFec = decodeWithLoss(packets, 20, true);
    short[] viaPlc = decodeWithLoss(packets, 20, false);
    assertThat(Arrays.copyOfRange(viaFec, 20 * N, 21 * N))
        .isEqualTo(Arrays.copyOfRange(viaPlc, 20 * N, 21 * N));
  }

  @Test
  void dtxSendsTinyPayloadsDuringSilence() {
    OpusCodec codec = new OpusCodec(OpusCodec.Config.DEFAULTS.withDtx(true));
    assertThat(codec.dtxEnabled()).isTrue();
    short[] silence = new short[N];
    byte[] out = new byte[OpusCodec.MAX_PAYLOAD_BYTES];
    int tiny = 0;
    for (int f = 0; f < 50; f++) {
      int len = codec.encode(silence, 0, out, 0);
      if (len <= OpusCodec.DTX_MAX_BYTES) {
        tiny++;
        assertThat(codec.isQuiet(out, 0, len)).isTrue();
      }
    }
    assertThat(tiny).isGreaterThan(25);
  }

  @Test
  void settersValidateAndApply() {
    OpusCodec c = new OpusCodec();
    c.setBitrateBps(32000);
    c.setExpectedLossPercent(10);
    c.setComplexity(3);
    c.setFecEnabled(false);
    assertThat(c.bitrateBps()).isEqualTo(32000);
    assertThat(c.expectedLossPercent()).isEqualTo(10);
    assertThat(c.complexity()).isEqualTo(3);
    assertThat(c.fecEnabled()).isFalse();
    c.reset();
    assertThat(c.bitrateBps()).isEqualTo(24000);
    assertThatThrownBy(() -> c.setBitrateBps(1000)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> c.setExpectedLossPercent(101))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> c.setComplexity(11)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new OpusCodec.Config(111, 24000, true, 0, false, 5, 7000))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void emptyPayloadIsACodecException() {
    OpusCodec c = new OpusCodec();
    assertThatThrownBy(() -> c.decode(new byte[0], 0, 0, new short[N], 0))
        .isInstanceOf(CodecException.class);
  }

  @Property(tries = 300)
  void garbagePayloadsDecodeOrThrowCodecExceptionOnly(@ForAll @Size(min = 1, max = 300) byte[] junk) {
    OpusCodec c = new OpusCodec();
    short[] pcm = new short[N];
    try {
      int n = c.decode(junk, 0, junk.length, pcm, 0);
      assertThat(n).isBetween(0, N);
    } catch (CodecException expected) {
      // the only allowed failure
    }
    // Concealment still works afterwards.
    assertThat(c.conceal(pcm, 0)).isEqualTo(N);
  }
}
