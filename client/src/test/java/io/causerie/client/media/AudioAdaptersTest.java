package io.causerie.client.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.causerie.media.audio.FrameSink;
import io.causerie.media.audio.FrameSource;
import io.causerie.media.audio.ToneGenerator;
import io.causerie.media.audio.WavReader;
import io.causerie.media.audio.WavWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sources and sinks at other rates, files played once, and the comparison measure itself. */
class AudioAdaptersTest {
  @TempDir Path dir;

  @Test
  void aWavFileAt22kHzPlaysOnceAt48kHzThenSilence() throws Exception {
    Path wav = dir.resolve("in.wav");
    try (WavWriter w = WavWriter.create(wav, 22_050)) {
      ToneGenerator tone = new ToneGenerator(440, 0.5, 22_050);
      short[] buf = new short[22_050];
      tone.generate(buf, 0, buf.length);
      w.write(buf, 0, buf.length); // one second
    }
    FrameSource s = AudioInput.wavFile(wav).open();
    assertThat(s.sampleRateHz()).isEqualTo(48_000);
    short[] frame = new short[960];
    int loud = 0;
    int frames = 0;
    for (; frames < 80; frames++) {
      assertThat(s.readFrame(frame, 0)).as("never runs out").isTrue();
      if (AudioComparison.energyDb(frame, 0, 960) > 60) {
        loud++;
        if (frames > 0 && frames < 49) { // whole frames of tone (not the one where it ends)
          assertThat(AudioComparison.toneRatio(frame, 0, 960, 440, 48_000)).isGreaterThan(0.95);
        }
      }
    }
    assertThat(loud).as("one second of tone, then silence").isBetween(49, 51);
    ((java.io.Closeable) s).close();
  }

  @Test
  void an8kHzSinkGetsEveryFrameResampled() throws Exception {
    List<short[]> got = new ArrayList<>();
    FrameSink eightK = new FrameSink() {
      @Override
      public int sampleRateHz() {
        return 8000;
      }

      @Override
      public void writeFrame(short[] pcm, int off) {
        got.add(java.util.Arrays.copyOfRange(pcm, off, off + 160));
      }
    };
    FrameSink s = PipelineSink.of(eightK);
    ToneGenerator tone = new ToneGenerator(1000, 0.5, 48_000);
    short[] frame = new short[960];
    for (int i = 0; i < 50; i++) {
      tone.readFrame(frame, 0);
      s.writeFrame(frame, 0);
    }
    assertThat(got).hasSize(50);
    assertThat(AudioComparison.toneRatio(got.get(40), 0, 160, 1000, 8000)).isGreaterThan(0.95);
  }

  @Test
  void aRecordingIsAValidWavAt48kHz() throws Exception {
    Path out = dir.resolve("out.wav");
    FrameSink sink = AudioOutput.wavFile(out).open();
    short[] frame = new short[960];
    new ToneGenerator(440, 0.3, 48_000).readFrame(frame, 0);
    sink.writeFrame(frame, 0);
    ((java.io.Closeable) sink).close();
    try (WavReader r = WavReader.open(out)) {
      assertThat(r.sampleRateHz()).isEqualTo(48_000);
      short[] back = new short[960];
      assertThat(r.read(back, 0, 960)).isEqualTo(960);
      assertThat(back).isEqualTo(frame);
    }
    assertThat(Files.size(out)).isEqualTo(44 + 1920);
  }

  @Test
  void theMeasureFindsTheDelayAndScoresACopyPerfectly() {
    short[] ref = TestSignals.padFront(TestSignals.speechLike(48_000, 3), 100);
    short[] delayed = TestSignals.padFront(ref, 37); // 37 ms later
    AudioComparison.Result r = AudioComparison.compare(ref, delayed, 10_000);
    assertThat(r.globalLagSamples()).isEqualTo(37 * 48);
    assertThat(r.lsdDb()).isCloseTo(0, within(1e-6));
    assertThat(r.dropoutShare()).isZero();
  }

  @Test
  void theMeasureSeesDropoutsAndADelayThatMoves() {
    short[] ref = TestSignals.speechLike(96_000, 5);
    short[] deg = new short[ref.length + 4800];
    // First half 20 ms late, second half 40 ms late (the jitter buffer grew), one frame in ten lost.
    for (int i = 0; i < ref.length; i++) {
      int lag = i < ref.length / 2 ? 960 : 1920;
      if (i + lag < deg.length && (i / 960) % 10 != 3) {
        deg[i + lag] = ref[i];
      }
    }
    AudioComparison.Result r = AudioComparison.compare(ref, deg, 4800);
    assertThat(r.dropoutShare()).isCloseTo(0.1, within(0.03));
    assertThat(r.meanLocalLagSamples()).isBetween(1200.0, 1700.0);
  }

  @Test
  void theMeasureFollowsADelayThatJumpsFarAfterAStall() {
    short[] ref = TestSignals.speechLike(144_000, 9);
    short[] deg = new short[ref.length + 48_000];
    for (int i = 0; i < ref.length; i++) {
      int lag = i < ref.length / 3 ? 960 : 960 + 24_000; // a 500 ms stall a third of the way in
      deg[i + lag] = ref[i];
    }
    AudioComparison.Result r = AudioComparison.compare(ref, deg, 48_000);
    assertThat(r.dropoutShare()).isLessThan(0.03);
    assertThat(r.lsdDb()).isLessThan(1.0);
  }
}
