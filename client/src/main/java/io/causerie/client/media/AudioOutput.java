package io.causerie.client.media;

import io.causerie.media.audio.FrameSink;
import io.causerie.media.audio.PipelineFormat;
import io.causerie.media.audio.Silence;
import io.causerie.media.audio.WavWriter;
import io.causerie.media.device.SoundDevices;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Where a call's incoming voice goes: opened once per call into a 48 kHz {@link FrameSink} that the
 * playout thread writes every 20 ms.
 */
@FunctionalInterface
public interface AudioOutput {
  /** Opens the sink; it is closed when the call ends if it is {@link Closeable}. */
  FrameSink open() throws IOException;

  /** Nowhere (the headless default). */
  static AudioOutput none() {
    return () -> new Silence(PipelineFormat.SAMPLE_RATE_HZ);
  }

  /** A 48 kHz mono 16-bit WAV file, created (or overwritten) at the start of each call. */
  static AudioOutput wavFile(Path path) {
    return () -> WavWriter.create(path, PipelineFormat.SAMPLE_RATE_HZ);
  }

  /** A playback device by name ({@code causerie devices}); "default" is the first one. */
  static AudioOutput device(String name) {
    return () -> PipelineSink.of(SoundDevices.openPlayback(name));
  }

  /** Both outputs at once (listen and record). */
  static AudioOutput both(AudioOutput a, AudioOutput b) {
    return () -> {
      FrameSink first = a.open();
      FrameSink second;
      try {
        second = b.open();
      } catch (IOException | RuntimeException e) {
        if (first instanceof Closeable c) {
          c.close();
        }
        throw e;
      }
      return new TeeSink(first, second);
    };
  }

  /** Two 48 kHz sinks fed the same frames. */
  final class TeeSink implements FrameSink, Closeable {
    private final FrameSink first;
    private final FrameSink second;

    TeeSink(FrameSink first, FrameSink second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public int sampleRateHz() {
      return PipelineFormat.SAMPLE_RATE_HZ;
    }

    @Override
    public void writeFrame(short[] pcm, int off) throws IOException {
      first.writeFrame(pcm, off);
      second.writeFrame(pcm, off);
    }

    @Override
    public void close() throws IOException {
      try {
        if (first instanceof Closeable c) {
          c.close();
        }
      } finally {
        if (second instanceof Closeable c) {
          c.close();
        }
      }
    }
  }
}
