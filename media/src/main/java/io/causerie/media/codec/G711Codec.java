package io.causerie.media.codec;

import io.causerie.media.rtp.PayloadTypes;

/**
 * Common part of the two G.711 codecs: 8 kHz, 20 ms (160-sample) frames, one byte per sample, no
 * FEC, and {@link G711Concealer} for lost frames.
 */
public abstract class G711Codec implements AudioCodec {
  /** G.711 sample rate and RTP clock rate. */
  public static final int SAMPLE_RATE_HZ = PayloadTypes.G711_CLOCK_RATE_HZ;

  /** Frame length: 20 ms at 8 kHz. */
  public static final int FRAME_SAMPLES = 160;

  /**
   * Mean absolute linear level below which a payload counts as quiet (≈ -46 dBFS), for the jitter
   * buffer's choice of frames to drop.
   */
  public static final int QUIET_MEAN_ABS_LEVEL = 160;

  private final G711Concealer concealer = new G711Concealer();

  /** Constructor for the two subclasses. */
  protected G711Codec() {}

  /** Companding of one linear sample. */
  protected abstract int compress(int linear);

  /** Expansion of one code. */
  protected abstract short expand(int code);

  @Override
  public final int sampleRateHz() {
    return SAMPLE_RATE_HZ;
  }

  @Override
  public final int frameSamples() {
    return FRAME_SAMPLES;
  }

  @Override
  public final int maxPayloadBytes() {
    return FRAME_SAMPLES;
  }

  @Override
  public final int encode(short[] pcm, int off, byte[] out, int outOff) {
    for (int i = 0; i < FRAME_SAMPLES; i++) {
      out[outOff + i] = (byte) compress(pcm[off + i]);
    }
    return FRAME_SAMPLES;
  }

  /**
   * Decodes one 20 ms frame (one sample per byte), then lets the concealer smooth a recovery. A payload of
   * another length is refused: the pipeline plays 20 ms frames, and a longer one would overrun the frame.
   */
  @Override
  public final int decode(byte[] in, int off, int len, short[] pcm, int pcmOff) {
    if (len != FRAME_SAMPLES) {
      throw new CodecException(name() + " payload of " + len + " bytes is not one 20 ms frame (" + FRAME_SAMPLES
          + " bytes)");
    }
    for (int i = 0; i < len; i++) {
      pcm[pcmOff + i] = expand(in[off + i]);
    }
    concealer.onGoodSamples(pcm, pcmOff, len);
    return len;
  }

  @Override
  public final int conceal(short[] pcm, int pcmOff) {
    concealer.conceal(pcm, pcmOff, FRAME_SAMPLES);
    return FRAME_SAMPLES;
  }

  /** G.711 carries no FEC: always -1. */
  @Override
  public final int recoverFromNext(byte[] next, int off, int len, short[] pcm, int pcmOff) {
    return -1;
  }

  @Override
  public final boolean isQuiet(byte[] payload, int off, int len) {
    if (len <= 0) {
      return true;
    }
    long sum = 0;
    for (int i = 0; i < len; i++) {
      sum += Math.abs(expand(payload[off + i]));
    }
    return sum < (long) QUIET_MEAN_ABS_LEVEL * len;
  }

  @Override
  public final void reset() {
    concealer.reset();
  }
}
