package io.causerie.media.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.causerie.media.testing.Signals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResamplerTest {
  /** Resamples {@code in} in 20 ms chunks, as the pipeline does. */
  private static short[] resample(Resampler r, short[] in, int chunk) {
    short[] out = new short[r.maxOutput(in.length) + 16];
    int written = 0;
    for (int off = 0; off < in.length; off += chunk) {
      int n = Math.min(chunk, in.length - off);
      int got = r.process(in, off, n, out, written);
      assertThat(got).isLessThanOrEqualTo(r.maxOutput(n));
      written += got;
    }
    return java.util.Arrays.copyOf(out, written);
  }

  @ParameterizedTest(name = "{0} Hz -> {1} Hz, {2} Hz tone")
  @CsvSource({
    "48000, 8000, 1000",
    "48000, 8000, 3000",
    "8000, 48000, 1000",
    "8000, 48000, 300",
    "44100, 48000, 1000",
    "48000, 44100, 5000",
    "16000, 48000, 440",
    "22050, 8000, 1000",
    "11025, 48000, 2000",
    "48000, 48000, 1000",
    "44101, 48000, 1000", // coprime rates: more phases than MAX_PHASES, interpolated kernel
  })
  void preservesAToneFrequencyAndLevel(int inRate, int outRate, int toneHz) {
    Resampler r = new Resampler(inRate, outRate);
    short[] in = Signals.sine(toneHz, 16000, inRate, inRate); // one second
    short[] out = resample(r, in, PipelineFormat.frameSamples(inRate));
    assertThat(out.length).isEqualTo(outRate);
    int skip = outRate / 10; // past the filter's start-up
    int n = out.length - 2 * skip;
    assertThat(Signals.zeroCrossingFrequencyHz(out, skip, n, outRate))
        .isCloseTo(toneHz, within(toneHz * 0.002));
    double gainDb = 20 * Math.log10(Signals.rms(out, skip, n) / Signals.rms(in, inRate / 10,
        inRate / 2));
    assertThat(gainDb).isBetween(-0.5, 0.5);
    // The output is a clean tone: nearly all power at the tone frequency.
    double meanSquare = Math.pow(Signals.rms(out, skip, n), 2);
    assertThat(Signals.tonePower(out, skip, n, toneHz, outRate) / meanSquare).isGreaterThan(0.99);
  }

  @Test
  void downsamplingTo8kHzRejectsWhatWouldAlias() {
    Resampler r = new Resampler(48000, 8000);
    for (int hz : new int[] {4500, 5000, 7000, 11000}) {
      r.reset();
      short[] in = Signals.sine(hz, 16000, 48000, 48000);
      short[] out = resample(r, in, 960);
      double attenuationDb = 20 * Math.log10(Signals.rms(out, 800, 6400) / Signals.rms(in, 0, 48000));
      assertThat(attenuationDb).as("%d Hz", hz).isLessThan(-60);
    }
  }

  @Test
  void telephoneBandPassesFlat() {
    Resampler r = new Resampler(48000, 8000);
    for (int hz : new int[] {300, 1000, 2000, 3000}) {
      r.reset();
      short[] in = Signals.sine(hz, 16000, 48000, 48000);
      short[] out = resample(r, in, 960);
      double gainDb = 20 * Math.log10(Signals.rms(out, 800, 6400) / Signals.rms(in, 0, 48000));
      assertThat(gainDb).as("%d Hz", hz).isBetween(-0.5, 0.5);
    }
  }

  @Test
  void everyPipelineFrameMapsToExactlyOneCodecFrame() {
    Resampler down = new Resampler(48000, 8000);
    Resampler up = new Resampler(8000, 48000);
    short[] frame48 = Signals.sine(800, 10000, 48000, 960);
    short[] frame8 = new short[down.maxOutput(960)];
    short[] back = new short[up.maxOutput(160)];
    for (int i = 0; i < 100; i++) {
      assertThat(down.process(frame48, 0, 960, frame8, 0)).isEqualTo(160);
      assertThat(up.process(frame8, 0, 160, back, 0)).isEqualTo(960);
    }
    assertThat(down.delayInputSamples()).isPositive();
    assertThat(new Resampler(48000, 48000).delayInputSamples()).isZero();
  }

  @Test
  void oddChunkSizesGiveTheSameOutput() {
    short[] in = Signals.sine(1234, 12000, 44100, 44100 / 2);
    short[] whole = resample(new Resampler(44100, 48000), in, in.length);
    short[] pieces = resample(new Resampler(44100, 48000), in, 37);
    assertThat(pieces).isEqualTo(whole);
  }
}
