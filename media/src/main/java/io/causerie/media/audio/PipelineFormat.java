package io.causerie.media.audio;

/**
 * The audio pipeline's fixed format: 48 kHz, mono, 16-bit signed PCM in {@code short[]}, 20 ms
 * frames of 960 samples; codecs at other rates (G.711 at 8 kHz) are bridged by a {@link
 * Resampler}.
 */
public final class PipelineFormat {
  private PipelineFormat() {}

  /** Pipeline sample rate. */
  public static final int SAMPLE_RATE_HZ = 48_000;

  /** Frame duration. */
  public static final int FRAME_MILLIS = 20;

  /** Samples in one pipeline frame. */
  public static final int FRAME_SAMPLES = SAMPLE_RATE_HZ * FRAME_MILLIS / 1000;

  /** Channels: mono. */
  public static final int CHANNELS = 1;

  /** Samples in one 20 ms frame at {@code sampleRateHz} (rates that are not multiples of 50 Hz round down). */
  public static int frameSamples(int sampleRateHz) {
    return sampleRateHz * FRAME_MILLIS / 1000;
  }
}
