package io.causerie.desktop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.causerie.media.audio.FrameSink;
import io.causerie.media.audio.FrameSource;
import io.causerie.media.audio.Silence;
import io.causerie.media.audio.ToneGenerator;
import io.causerie.media.device.NoSuchSoundDeviceException;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The settings dialog's microphone and speaker tests, on fake devices. */
class DeviceTestTest {
  private final List<String> log = new CopyOnWriteArrayList<>();
  private final List<Double> played = new CopyOnWriteArrayList<>();
  private final List<Double> published = new CopyOnWriteArrayList<>();

  /** Fake devices: the capture side gives what {@code capture} makes, the playback side records frame levels. */
  private DeviceTest fakes(Supplier<FrameSource> capture, boolean playbackFails) {
    return new DeviceTest(new DeviceTest.Devices() {
      @Override
      public FrameSource openCapture(String device) throws IOException {
        log.add("open capture " + device);
        if (capture == null) {
          throw new IOException("busy");
        }
        return capture.get();
      }

      @Override
      public FrameSink openPlayback(String device) throws IOException {
        log.add("open playback " + device);
        if (playbackFails) {
          throw new NoSuchSoundDeviceException("no audio playback device 'default' (there are: )");
        }
        return new RecordingSink();
      }
    }, false);
  }

  private final class RecordingSink implements FrameSink, Closeable {
    @Override
    public int sampleRateHz() {
      return 8_000;
    }

    @Override
    public void writeFrame(short[] pcm, int off) {
      played.add(LevelMeter.rmsDbfs(pcm, off, frameSamples()));
    }

    @Override
    public void close() {
      log.add("close playback");
    }
  }

  private final class ClosingTone implements FrameSource, Closeable {
    private final ToneGenerator tone = new ToneGenerator(300, 0.5, 16_000);

    @Override
    public int sampleRateHz() {
      return 16_000;
    }

    @Override
    public boolean readFrame(short[] pcm, int off) {
      return tone.readFrame(pcm, off);
    }

    @Override
    public void close() {
      log.add("close capture");
    }
  }

  /** A tap that also remembers every level published. */
  private LevelTap recordingTap() {
    return new LevelTap() {
      @Override
      void set(double dbfs) {
        published.add(dbfs);
        super.set(dbfs);
      }
    };
  }

  @Test
  void microphoneIsListenedToForTheWholeTestAndItsLevelPublished() {
    LevelTap tap = recordingTap();
    String result = fakes(ClosingTone::new, false).testMicrophone("USB mic", tap);
    assertThat(result).isEqualTo("The microphone works (loudest -9 dBFS).");
    assertThat(published).hasSize((int) (DeviceTest.MICROPHONE_MILLIS / DeviceTest.FRAME_MILLIS));
    assertThat(published.get(0)).isCloseTo(-9.03, within(0.3));
    assertThat(log).containsExactly("open capture USB mic", "close capture");
    assertThat(tap.dbfs()).isEqualTo(LevelMeter.FLOOR_DBFS); // back to silence afterwards
  }

  @Test
  void aSilentMicrophoneIsReported() {
    String result = fakes(() -> new Silence(48_000), false).testMicrophone(null, new LevelTap());
    assertThat(result).startsWith("The microphone hears nothing");
    assertThat(log).containsExactly("open capture null");
  }

  @Test
  void aMicrophoneThatCannotBeOpenedIsReported() {
    assertThat(fakes(null, false).testMicrophone("USB mic", new LevelTap()))
        .isEqualTo("Cannot open the microphone: busy");
  }

  @Test
  void aMicrophoneThatEndsStopsTheTest() {
    String result = fakes(() -> new FrameSource() {
      private int left = 3;

      @Override
      public int sampleRateHz() {
        return 48_000;
      }

      @Override
      public boolean readFrame(short[] pcm, int off) {
        new ToneGenerator(440, 0.25, 48_000).generate(pcm, off, frameSamples());
        return left-- > 0;
      }
    }, false).testMicrophone(null, recordingTap());
    assertThat(published).hasSize(3);
    assertThat(result).isEqualTo("The microphone works (loudest -15 dBFS).");
  }

  @Test
  void speakerPlaysOneSecondOf440HzThenCloses() {
    String result = fakes(null, false).testSpeaker("Headset");
    assertThat(result).isEqualTo("Played a 440 Hz tone for 1 s: you should have heard it.");
    assertThat(played).hasSize((int) (DeviceTest.TONE_MILLIS / DeviceTest.FRAME_MILLIS));
    assertThat(played).allSatisfy(db -> assertThat(db).isCloseTo(-15.05, within(0.3)));
    assertThat(log).containsExactly("open playback Headset", "close playback");
  }

  @Test
  void noSpeakerIsReported() {
    assertThat(fakes(null, true).testSpeaker(null)).isEqualTo("No audio device: there is no such speaker.");
  }

  @Test
  void anInterruptedTestStopsAtOnce() throws Exception {
    DeviceTest paced = new DeviceTest(new DeviceTest.Devices() {
      @Override
      public FrameSource openCapture(String device) {
        return new ClosingTone();
      }

      @Override
      public FrameSink openPlayback(String device) {
        return new RecordingSink();
      }
    }, true);
    String[] result = new String[1];
    Thread t = new Thread(() -> result[0] = paced.testSpeaker(null));
    t.start();
    Thread.sleep(100);
    t.interrupt();
    t.join(2_000);
    assertThat(t.isAlive()).isFalse();
    assertThat(played.size()).isLessThan((int) (DeviceTest.TONE_MILLIS / DeviceTest.FRAME_MILLIS));
    assertThat(log).contains("close playback");
  }

  @Test
  void describesTheMicrophone() {
    assertThat(DeviceTest.describeMicrophone(LevelMeter.FLOOR_DBFS)).startsWith("The microphone hears nothing");
    assertThat(DeviceTest.describeMicrophone(-20.4)).isEqualTo("The microphone works (loudest -20 dBFS).");
  }
}
