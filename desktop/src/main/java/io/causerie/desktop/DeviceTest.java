package io.causerie.desktop;

import io.causerie.client.media.AudioInput;
import io.causerie.client.media.AudioOutput;
import io.causerie.media.audio.FrameSink;
import io.causerie.media.audio.FrameSource;
import io.causerie.media.audio.ToneGenerator;
import io.causerie.media.device.NoSuchSoundDeviceException;
import io.causerie.media.device.SoundDevices;
import java.io.Closeable;
import java.io.IOException;
import java.util.Locale;

/**
 * The settings dialog's device tests: listen to a microphone for a few seconds, measuring it, or play a short tone
 * on a speaker. Both block for the length of the test, so they run on a thread of their own (never the event
 * thread), and stop early when that thread is interrupted. Devices are opened through {@link Devices}, which tests
 * replace with fakes.
 */
final class DeviceTest {
  /** How long the microphone is listened to. */
  static final long MICROPHONE_MILLIS = 4_000;
  /** The test tone: 1 s of 440 Hz. */
  static final long TONE_MILLIS = 1_000;
  static final double TONE_HZ = 440;
  /** The tone's level, a quarter of full scale (about −15 dBFS RMS). */
  static final double TONE_AMPLITUDE = 0.25;
  /** Below this the microphone is taken to hear nothing at all. */
  static final double SILENT_BELOW_DBFS = -55;
  /** Length of one frame. */
  static final long FRAME_MILLIS = 20;

  /** Opens devices by name (null: the system default). */
  interface Devices {
    FrameSource openCapture(String device) throws IOException;

    FrameSink openPlayback(String device) throws IOException;
  }

  /** The real sound devices (Java Sound, through the media module), resampled to 48 kHz. */
  static final Devices SOUND = new Devices() {
    @Override
    public FrameSource openCapture(String device) throws IOException {
      return AudioInput.device(orDefault(device)).open();
    }

    @Override
    public FrameSink openPlayback(String device) throws IOException {
      return AudioOutput.device(orDefault(device)).open();
    }
  };

  private final Devices devices;
  private final boolean paced;

  /**
   * @param devices where devices are opened
   * @param paced whether to run in real time (false: as fast as the fakes go, for tests)
   */
  DeviceTest(Devices devices, boolean paced) {
    this.devices = devices;
    this.paced = paced;
  }

  /** On the real devices, in real time. */
  static DeviceTest sound() {
    return new DeviceTest(SOUND, true);
  }

  private static String orDefault(String device) {
    return device == null || device.isBlank() ? SoundDevices.DEFAULT : device;
  }

  /**
   * Listens to {@code device} for {@link #MICROPHONE_MILLIS}, publishing each frame's level in {@code tap}.
   *
   * @return what to tell the user
   */
  String testMicrophone(String device, LevelTap tap) {
    FrameSource source;
    try {
      source = devices.openCapture(device);
    } catch (NoSuchSoundDeviceException e) {
      return "No audio device: there is no such microphone.";
    } catch (IOException | RuntimeException e) {
      return "Cannot open the microphone: " + reason(e);
    }
    double loudest = LevelMeter.FLOOR_DBFS;
    try {
      short[] frame = new short[Math.max(1, source.frameSamples())];
      long frames = MICROPHONE_MILLIS / FRAME_MILLIS;
      long start = System.nanoTime();
      for (long i = 0; i < frames && !Thread.currentThread().isInterrupted(); i++) {
        if (!source.readFrame(frame, 0)) {
          break;
        }
        double db = LevelMeter.rmsDbfs(frame, 0, frame.length);
        tap.set(db);
        loudest = Math.max(loudest, db);
        if (!pace(start, i + 1)) {
          break;
        }
      }
    } catch (IOException | RuntimeException e) {
      return "The microphone failed: " + reason(e);
    } finally {
      tap.reset();
      close(source);
    }
    return describeMicrophone(loudest);
  }

  /** What the microphone test says for the loudest frame heard. */
  static String describeMicrophone(double loudestDbfs) {
    if (loudestDbfs < SILENT_BELOW_DBFS) {
      return "The microphone hears nothing: check that it is plugged in and not muted.";
    }
    return String.format(Locale.ROOT, "The microphone works (loudest %.0f dBFS).", loudestDbfs);
  }

  /**
   * Plays {@link #TONE_MILLIS} of a {@link #TONE_HZ} tone on {@code device}.
   *
   * @return what to tell the user
   */
  String testSpeaker(String device) {
    FrameSink sink;
    try {
      sink = devices.openPlayback(device);
    } catch (NoSuchSoundDeviceException e) {
      return "No audio device: there is no such speaker.";
    } catch (IOException | RuntimeException e) {
      return "Cannot open the speaker: " + reason(e);
    }
    try {
      ToneGenerator tone = new ToneGenerator(TONE_HZ, TONE_AMPLITUDE, sink.sampleRateHz());
      short[] frame = new short[Math.max(1, sink.frameSamples())];
      long frames = TONE_MILLIS / FRAME_MILLIS;
      long start = System.nanoTime();
      for (long i = 0; i < frames && !Thread.currentThread().isInterrupted(); i++) {
        tone.readFrame(frame, 0);
        sink.writeFrame(frame, 0);
        if (!pace(start, i + 1)) {
          break;
        }
      }
    } catch (IOException | RuntimeException e) {
      return "The speaker failed: " + reason(e);
    } finally {
      close(sink);
    }
    return String.format(Locale.ROOT, "Played a %.0f Hz tone for %d s: you should have heard it.", TONE_HZ,
        TONE_MILLIS / 1000);
  }

  /** Sleeps until frame {@code done} is due; false when interrupted. */
  private boolean pace(long startNanos, long done) {
    if (!paced) {
      return true;
    }
    long due = startNanos + done * FRAME_MILLIS * 1_000_000;
    long wait = due - System.nanoTime();
    if (wait > 0) {
      try {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  private static String reason(Exception e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  private static void close(Object o) {
    if (o instanceof Closeable c) {
      try {
        c.close();
      } catch (IOException e) {
        // Nothing more to do with a device we are done with.
      }
    }
  }
}
