package io.causerie.client.media;

import io.causerie.media.audio.FrameSource;
import io.causerie.media.audio.PipelineFormat;
import io.causerie.media.audio.Silence;
import io.causerie.media.audio.ToneGenerator;
import io.causerie.media.audio.WavReader;
import io.causerie.media.device.SoundDevices;
import java.io.IOException;
import java.nio.file.Path;

/**
 * What a call sends: opened once per call, on the signalling thread, into a 48 kHz {@link
 * FrameSource} that the capture thread then reads every 20 ms.
 */
@FunctionalInterface
public interface AudioInput {
  /** Opens the source; it is closed when the call ends if it is {@link java.io.Closeable}. */
  FrameSource open() throws IOException;

  /** Level of {@link #tone}: a quarter of full scale (−12 dBFS), loud but far from clipping. */
  double TONE_AMPLITUDE = 0.25;

  /** Silence (the headless default). */
  static AudioInput silence() {
    return () -> new Silence(PipelineFormat.SAMPLE_RATE_HZ);
  }

  /** An endless sine of {@code frequencyHz}. */
  static AudioInput tone(double frequencyHz) {
    return () -> new ToneGenerator(frequencyHz, TONE_AMPLITUDE, PipelineFormat.SAMPLE_RATE_HZ);
  }

  /**
   * A WAV file (16-bit PCM, any rate, mono or stereo) played once in real time from the start of
   * each call, then silence.
   */
  static AudioInput wavFile(Path path) {
    return () -> PipelineSource.of(new PlayOnceSource(WavReader.open(path)));
  }

  /** A capture device by name ({@code causerie devices}); "default" is the first one. */
  static AudioInput device(String name) {
    return () -> PipelineSource.of(SoundDevices.openCapture(name));
  }
}
