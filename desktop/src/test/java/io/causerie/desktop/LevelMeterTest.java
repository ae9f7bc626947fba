package io.causerie.desktop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.causerie.client.media.AudioInput;
import io.causerie.client.media.AudioOutput;
import io.causerie.media.audio.FrameSink;
import io.causerie.media.audio.FrameSource;
import io.causerie.media.audio.ToneGenerator;
import java.io.Closeable;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LevelMeterTest {
  private static short[] tone(double amplitude, int samples) {
    short[] pcm = new short[samples];
    new ToneGenerator(440, amplitude, 48_000).generate(pcm, 0, samples);
    return pcm;
  }

  @Test
  void rmsOfSilenceIsTheFloor() {
    assertThat(LevelMeter.rmsDbfs(new short[960], 0, 960)).isEqualTo(LevelMeter.FLOOR_DBFS);
    assertThat(LevelMeter.rmsDbfs(new short[0], 0, 0)).isEqualTo(LevelMeter.FLOOR_DBFS);
  }

  @Test
  void rmsOfASineIsThreeDbBelowItsPeak() {
    // A sine's RMS is its amplitude / sqrt(2): a quarter of full scale reads about -15 dBFS.
    assertThat(LevelMeter.rmsDbfs(tone(0.25, 960), 0, 960)).isCloseTo(-15.05, within(0.2));
    assertThat(LevelMeter.rmsDbfs(tone(1.0, 960), 0, 960)).isCloseTo(-3.01, within(0.2));
  }

  @Test
  void fullScaleIsZeroAndNothingGoesAbove() {
    short[] pcm = new short[960];
    for (int i = 0; i < pcm.length; i++) {
      pcm[i] = Short.MIN_VALUE; // -1.0 throughout: the loudest 16-bit PCM can be
    }
    assertThat(LevelMeter.rmsDbfs(pcm, 0, pcm.length)).isEqualTo(0);
    assertThat(LevelMeter.clamp(6)).isEqualTo(0);
    assertThat(LevelMeter.clamp(Double.NaN)).isEqualTo(LevelMeter.FLOOR_DBFS);
    assertThat(LevelMeter.clamp(-200)).isEqualTo(LevelMeter.FLOOR_DBFS);
  }

  @Test
  void rmsUsesOnlyTheGivenRange() {
    short[] pcm = new short[1920];
    System.arraycopy(tone(0.5, 960), 0, pcm, 960, 960);
    assertThat(LevelMeter.rmsDbfs(pcm, 0, 960)).isEqualTo(LevelMeter.FLOOR_DBFS);
    assertThat(LevelMeter.rmsDbfs(pcm, 960, 960)).isCloseTo(-9.03, within(0.2));
  }

  @Test
  void fractionMapsFloorToZeroAndFullScaleToOne() {
    assertThat(LevelMeter.fraction(LevelMeter.FLOOR_DBFS)).isEqualTo(0);
    assertThat(LevelMeter.fraction(-100)).isEqualTo(0);
    assertThat(LevelMeter.fraction(0)).isEqualTo(1);
    assertThat(LevelMeter.fraction(-30)).isCloseTo(0.5, within(1e-9));
  }

  @Test
  void levelRisesAtOnceAndFallsAtTheDecayRate() {
    LevelMeter m = new LevelMeter();
    assertThat(m.level()).isEqualTo(LevelMeter.FLOOR_DBFS);
    m.update(-10, 1_000);
    assertThat(m.level()).isEqualTo(-10);
    m.update(LevelMeter.FLOOR_DBFS, 1_500); // half a second later: fallen by half the rate
    assertThat(m.level()).isCloseTo(-10 - LevelMeter.DECAY_DB_PER_SECOND / 2, within(1e-9));
    m.update(LevelMeter.FLOOR_DBFS, 10_000);
    assertThat(m.level()).isEqualTo(LevelMeter.FLOOR_DBFS);
    m.update(-20, 10_100);
    assertThat(m.level()).isEqualTo(-20);
  }

  @Test
  void peakIsHeldThenDecays() {
    LevelMeter m = new LevelMeter();
    m.update(-6, 0);
    m.update(-40, 100);
    assertThat(m.peak()).isEqualTo(-6);
    m.update(-40, LevelMeter.PEAK_HOLD_MILLIS);
    assertThat(m.peak()).isEqualTo(-6); // still held
    m.update(-40, LevelMeter.PEAK_HOLD_MILLIS + 500);
    assertThat(m.peak()).isCloseTo(-6 - LevelMeter.DECAY_DB_PER_SECOND / 2, within(1e-9));
    m.update(-40, LevelMeter.PEAK_HOLD_MILLIS + 60_000);
    assertThat(m.peak()).isEqualTo(-40); // never below the level
    assertThat(m.level()).isEqualTo(-40);
  }

  @Test
  void aLouderFrameResetsTheHold() {
    LevelMeter m = new LevelMeter();
    m.update(-20, 0);
    m.update(-10, 1_000);
    m.update(-50, 2_000);
    assertThat(m.peak()).isEqualTo(-10); // held from t = 1000, not from t = 0
    m.reset();
    assertThat(m.peak()).isEqualTo(LevelMeter.FLOOR_DBFS);
    assertThat(m.level()).isEqualTo(LevelMeter.FLOOR_DBFS);
  }

  @Test
  void tapMeasuresEachFrameAndClosesWhatItWraps() throws Exception {
    LevelTap tap = new LevelTap();
    assertThat(tap.dbfs()).isEqualTo(LevelMeter.FLOOR_DBFS);
    FrameSource source = tap.wrap(AudioInput.tone(440)).open();
    short[] frame = new short[source.frameSamples()];
    assertThat(source.readFrame(frame, 0)).isTrue();
    assertThat(tap.dbfs()).isCloseTo(-15.05, within(0.2));
    ((Closeable) source).close();
    assertThat(tap.dbfs()).isEqualTo(LevelMeter.FLOOR_DBFS);

    List<String> events = new ArrayList<>();
    class Fake implements FrameSink, Closeable {
      @Override
      public int sampleRateHz() {
        return 48_000;
      }

      @Override
      public void writeFrame(short[] pcm, int off) {
        events.add("write");
      }

      @Override
      public void close() {
        events.add("close");
      }
    }
    AudioOutput fake = Fake::new;
    LevelTap out = new LevelTap();
    FrameSink sink = out.wrap(fake).open();
    sink.writeFrame(tone(1.0, 960), 0);
    assertThat(out.dbfs()).isCloseTo(-3.01, within(0.2));
    ((Closeable) sink).close();
    assertThat(events).containsExactly("write", "close");
    assertThat(out.dbfs()).isEqualTo(LevelMeter.FLOOR_DBFS);
  }
}
