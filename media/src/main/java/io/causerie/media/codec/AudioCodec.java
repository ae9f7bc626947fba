package io.causerie.media.codec;

/**
 * A stateful mono voice codec doing pure encode/decode over caller buffers, one 20 ms frame at a
 * time.
 *
 * <p><b>Sample rates.</b> Each codec works on PCM at its own {@link #sampleRateHz()}, which is also
 * its RTP clock rate: Opus at 48 kHz (960-sample frames), G.711 at 8 kHz (160-sample frames). The
 * audio pipeline runs at 48 kHz mono; for G.711 the pipeline resamples 48 kHz ↔ 8 kHz around the
 * codec (see {@link io.causerie.media.audio.Resampler}). Keeping the codec at its native rate keeps
 * G.711 bit-exact and its concealment working on the real 8 kHz signal.
 *
 * <p>Encoder and decoder state are independent, so one instance may encode the outgoing stream and
 * decode the incoming one, but an instance is not thread-safe. Implementations do not allocate per
 * frame.
 */
public interface AudioCodec {
  /** Lower-case codec name as used in signalling: "opus", "pcmu" or "pcma". */
  String name();

  /** RTP payload type this codec is sent with. */
  int payloadType();

  /** PCM sample rate of {@link #encode}/{@link #decode}, equal to the RTP clock rate. */
  int sampleRateHz();

  /** Samples in one frame (20 ms) at {@link #sampleRateHz()}; also the RTP timestamp step. */
  int frameSamples();

  /** Frame duration in milliseconds. */
  default int frameMillis() {
    return frameSamples() * 1000 / sampleRateHz();
  }

  /** Largest payload {@link #encode} can produce, for sizing output buffers. */
  int maxPayloadBytes();

  /**
   * Encodes one frame of {@link #frameSamples()} samples from {@code pcm[off]} into {@code
   * out[outOff]}; returns the payload length in bytes.
   */
  int encode(short[] pcm, int off, byte[] out, int outOff);

  /**
   * Decodes the payload {@code in[off, off+len)}, which must hold exactly one frame, into {@code pcm[pcmOff]};
   * returns the number of samples written: always {@link #frameSamples()}.
   *
   * @throws CodecException when the payload is corrupt or is not one frame long (the caller then conceals)
   */
  int decode(byte[] in, int off, int len, short[] pcm, int pcmOff);

  /**
   * Synthesises one frame for a lost packet into {@code pcm[pcmOff]}; returns {@link
   * #frameSamples()}.
   */
  int conceal(short[] pcm, int pcmOff);

  /**
   * Rebuilds a lost frame from forward-error-correction data carried in the <em>next</em> packet
   * {@code next[off, off+len)}; returns the samples written, or -1 when this codec has no FEC
   * (the caller then uses {@link #conceal}). The next packet must still be decoded normally
   * afterwards.
   */
  int recoverFromNext(byte[] next, int off, int len, short[] pcm, int pcmOff);

  /** Whether {@link #recoverFromNext} can ever succeed. */
  default boolean supportsFec() {
    return false;
  }

  /**
   * Cheap guess, without decoding, whether a payload carries silence or very quiet audio; the
   * jitter buffer prefers to drop such frames when it must shrink.
   */
  boolean isQuiet(byte[] payload, int off, int len);

  /** Forgets all encoder and decoder state (new call or new source). */
  void reset();
}
