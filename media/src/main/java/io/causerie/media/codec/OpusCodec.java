package io.causerie.media.codec;

import io.causerie.media.rtp.PayloadTypes;
import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusBandwidth;
import io.github.jaredmdobson.concentus.OpusDecoder;
import io.github.jaredmdobson.concentus.OpusEncoder;
import io.github.jaredmdobson.concentus.OpusException;
import io.github.jaredmdobson.concentus.OpusPacketInfo;
import io.github.jaredmdobson.concentus.OpusSignal;

/**
 * Opus (RFC 6716) through Concentus, the pure-Java port of libopus: 48 kHz mono, 20 ms frames, VOIP
 * application, in-band FEC (LBRR) recovery and Opus's own packet-loss concealment.
 *
 * <p>The audio bandwidth is capped at wideband (8 kHz) by default: that keeps the encoder in SILK
 * mode, the mode that carries LBRR. Concentus (a libopus 1.1-era port) emits no LBRR in hybrid
 * (super-wideband/fullband) mode at 24 kbit/s, which was measured while writing the FEC tests, and
 * wideband is the voice band a VoIP call needs anyway.
 *
 * <p>In-band FEC only costs bits, and only exists in the stream, while {@code expectedLossPercent}
 * is above zero; the {@link io.causerie.media.quality.FecController} raises it when the far end
 * reports loss, and raises the bitrate with it (the LBRR copies are paid for out of the target
 * bitrate, so at a fixed 24 kbit/s the primary frames get coarser). With DTX on, the encoder
 * returns payloads of at most {@value #DTX_MAX_BYTES} bytes during silence; a sender may skip
 * transmitting those.
 */
public final class OpusCodec implements AudioCodec {
  /** Signalling name. */
  public static final String NAME = "opus";

  /** PCM and RTP clock rate (RFC 7587 §4.1). */
  public static final int SAMPLE_RATE_HZ = PayloadTypes.OPUS_CLOCK_RATE_HZ;

  /** Frame length: 20 ms at 48 kHz. */
  public static final int FRAME_SAMPLES = 960;

  /** Largest single-frame Opus packet (RFC 6716 §3.2.1). */
  public static final int MAX_PAYLOAD_BYTES = 1275;

  /** Payloads this short are DTX/silence frames that need not be sent (libopus convention). */
  public static final int DTX_MAX_BYTES = 2;

  /** Lowest encoder complexity. */
  public static final int MIN_COMPLEXITY = 0;

  /** Highest encoder complexity. */
  public static final int MAX_COMPLEXITY = 10;

  /** Lowest bitrate Opus accepts. */
  public static final int MIN_BITRATE_BPS = 6_000;

  /** Highest bitrate worth allowing for mono voice. */
  public static final int MAX_BITRATE_BPS = 128_000;

  /**
   * Payloads up to this size are taken as quiet (comfort noise or near-silence at the default
   * bitrate, where speech frames are 40–70 bytes).
   */
  public static final int QUIET_MAX_BYTES = 20;

  /**
   * Encoder settings an operator may want to change.
   *
   * @param payloadType dynamic RTP payload type
   * @param bitrateBps target bitrate
   * @param fecEnabled whether in-band FEC may be emitted
   * @param expectedLossPercent loss the encoder protects against, 0..100
   * @param dtxEnabled discontinuous transmission during silence
   * @param complexity 0 (cheapest) .. 10 (best)
   * @param maxAudioBandwidthHz highest coded audio frequency: 4000, 6000, 8000, 12000 or 20000
   */
  public record Config(
      int payloadType, int bitrateBps, boolean fecEnabled, int expectedLossPercent,
      boolean dtxEnabled, int complexity, int maxAudioBandwidthHz) {
    /** Default payload type. */
    public static final int DEFAULT_PAYLOAD_TYPE = PayloadTypes.OPUS_DEFAULT;

    /** Default bitrate: 24 kbit/s, wideband speech with room for LBRR. */
    public static final int DEFAULT_BITRATE_BPS = 24_000;

    /**
     * Default complexity: 5 balances quality against the &lt; 10 %-of-a-core budget of the
     * pure-Java encoder.
     */
    public static final int DEFAULT_COMPLEXITY = 5;

    /** Default audio bandwidth: wideband (SILK mode, where in-band FEC works). */
    public static final int DEFAULT_MAX_AUDIO_BANDWIDTH_HZ = 8000;

    /**
     * The defaults: PT 111, 24 kbit/s, FEC allowed, 0 % expected loss (no LBRR until loss is
     * measured), no DTX, complexity 5, wideband.
     */
    public static final Config DEFAULTS = new Config(
        DEFAULT_PAYLOAD_TYPE, DEFAULT_BITRATE_BPS, true, 0, false, DEFAULT_COMPLEXITY,
        DEFAULT_MAX_AUDIO_BANDWIDTH_HZ);

    public Config {
      if (payloadType < 0 || payloadType > PayloadTypes.MAX) {
        throw new IllegalArgumentException("payload type out of range: " + payloadType);
      }
      checkBitrate(bitrateBps);
      checkLoss(expectedLossPercent);
      checkComplexity(complexity);
      bandwidth(maxAudioBandwidthHz);
    }

    /** This config with another expected loss. */
    public Config withExpectedLossPercent(int percent) {
      return new Config(payloadType, bitrateBps, fecEnabled, percent, dtxEnabled, complexity,
          maxAudioBandwidthHz);
    }

    /** This config with DTX on or off. */
    public Config withDtx(boolean enabled) {
      return new Config(payloadType, bitrateBps, fecEnabled, expectedLossPercent, enabled,
          complexity, maxAudioBandwidthHz);
    }

    /** This config with another bitrate. */
    public Config withBitrateBps(int bps) {
      return new Config(payloadType, bps, fecEnabled, expectedLossPercent, dtxEnabled, complexity,
          maxAudioBandwidthHz);
    }
  }

  private final int payloadType;
  private final Config initial;
  private final OpusEncoder encoder;
  private final OpusDecoder decoder;

  /** An Opus codec with {@link Config#DEFAULTS}. */
  public OpusCodec() {
    this(Config.DEFAULTS);
  }

  /** An Opus codec with the given settings. */
  public OpusCodec(Config config) {
    this.payloadType = config.payloadType();
    this.initial = config;
    try {
      encoder = new OpusEncoder(SAMPLE_RATE_HZ, 1, OpusApplication.OPUS_APPLICATION_VOIP);
      decoder = new OpusDecoder(SAMPLE_RATE_HZ, 1);
    } catch (OpusException e) {
      throw new CodecException("cannot create Opus encoder/decoder", e);
    }
    applyConfig(config);
  }

  private void applyConfig(Config config) {
    encoder.setSignalType(OpusSignal.OPUS_SIGNAL_VOICE);
    encoder.setBitrate(config.bitrateBps());
    encoder.setUseInbandFEC(config.fecEnabled());
    encoder.setPacketLossPercent(config.expectedLossPercent());
    encoder.setUseDTX(config.dtxEnabled());
    encoder.setComplexity(config.complexity());
    encoder.setMaxBandwidth(bandwidth(config.maxAudioBandwidthHz()));
  }

  private static OpusBandwidth bandwidth(int hz) {
    switch (hz) {
      case 4000:
        return OpusBandwidth.OPUS_BANDWIDTH_NARROWBAND;
      case 6000:
        return OpusBandwidth.OPUS_BANDWIDTH_MEDIUMBAND;
      case 8000:
        return OpusBandwidth.OPUS_BANDWIDTH_WIDEBAND;
      case 12000:
        return OpusBandwidth.OPUS_BANDWIDTH_SUPERWIDEBAND;
      case 20000:
        return OpusBandwidth.OPUS_BANDWIDTH_FULLBAND;
      default:
        throw new IllegalArgumentException("unsupported Opus bandwidth: " + hz + " Hz");
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int payloadType() {
    return payloadType;
  }

  @Override
  public int sampleRateHz() {
    return SAMPLE_RATE_HZ;
  }

  @Override
  public int frameSamples() {
    return FRAME_SAMPLES;
  }

  @Override
  public int maxPayloadBytes() {
    return MAX_PAYLOAD_BYTES;
  }

  /** Sets the target bitrate. */
  public void setBitrateBps(int bitrateBps) {
    checkBitrate(bitrateBps);
    encoder.setBitrate(bitrateBps);
  }

  /** Current target bitrate. */
  public int bitrateBps() {
    return encoder.getBitrate();
  }

  /** Allows or forbids in-band FEC in the encoded stream. */
  public void setFecEnabled(boolean enabled) {
    encoder.setUseInbandFEC(enabled);
  }

  /** Whether in-band FEC is allowed. */
  public boolean fecEnabled() {
    return encoder.getUseInbandFEC();
  }

  /** Sets the packet loss the encoder should protect against (LBRR is only sent above 0 %). */
  public void setExpectedLossPercent(int percent) {
    checkLoss(percent);
    encoder.setPacketLossPercent(percent);
  }

  /** Packet loss the encoder currently protects against. */
  public int expectedLossPercent() {
    return encoder.getPacketLossPercent();
  }

  /** Switches discontinuous transmission on or off. */
  public void setDtxEnabled(boolean enabled) {
    encoder.setUseDTX(enabled);
  }

  /** Whether DTX is on. */
  public boolean dtxEnabled() {
    return encoder.getUseDTX();
  }

  /** Sets the encoder complexity 0..10. */
  public void setComplexity(int complexity) {
    checkComplexity(complexity);
    encoder.setComplexity(complexity);
  }

  /** Current encoder complexity. */
  public int complexity() {
    return encoder.getComplexity();
  }

  @Override
  public int encode(short[] pcm, int off, byte[] out, int outOff) {
    try {
      return encoder.encode(pcm, off, FRAME_SAMPLES, out, outOff,
          Math.min(MAX_PAYLOAD_BYTES, out.length - outOff));
    } catch (OpusException e) {
      throw new CodecException("Opus encode failed: " + e.getMessage(), e);
    }
  }

  @Override
  public int decode(byte[] in, int off, int len, short[] pcm, int pcmOff) {
    if (len <= 0) {
      throw new CodecException("empty Opus payload");
    }
    checkOneFrame(in, off, len);
    try {
      return decoder.decode(in, off, len, pcm, pcmOff, FRAME_SAMPLES, false);
    } catch (OpusException | RuntimeException | AssertionError e) {
      // Concentus may also fail with index errors, or its own assertions (thrown even without -ea), on hostile
      // input: one exception type for callers, and a decoder whose state the bad packet cannot have spoilt.
      decoder.resetState();
      throw new CodecException("corrupt Opus payload: " + e.getMessage(), e);
    }
  }

  /**
   * A valid Opus packet may hold 2.5 to 120 ms; the pipeline plays 20 ms frames, so anything else is refused
   * (and concealed) rather than played with a stale remainder or cut.
   */
  private static void checkOneFrame(byte[] in, int off, int len) {
    int samples = OpusPacketInfo.getNumSamples(in, off, len, SAMPLE_RATE_HZ);
    if (samples != FRAME_SAMPLES) {
      throw new CodecException(samples < 0 ? "corrupt Opus payload (bad table of contents)"
          : "Opus packet of " + samples + " samples is not one 20 ms frame");
    }
  }

  /** Opus packet-loss concealment (decoder run without input). */
  @Override
  public int conceal(short[] pcm, int pcmOff) {
    try {
      return decoder.decode(null, 0, 0, pcm, pcmOff, FRAME_SAMPLES, false);
    } catch (OpusException | RuntimeException | AssertionError e) {
      decoder.resetState();
      throw new CodecException("Opus PLC failed: " + e.getMessage(), e);
    }
  }

  /**
   * Decodes the LBRR (in-band FEC) copy of the previous frame carried in {@code next}; when that
   * packet carries no LBRR, libopus semantics apply and the result is plain PLC.
   */
  @Override
  public int recoverFromNext(byte[] next, int off, int len, short[] pcm, int pcmOff) {
    if (len <= 0) {
      return conceal(pcm, pcmOff);
    }
    checkOneFrame(next, off, len);
    try {
      return decoder.decode(next, off, len, pcm, pcmOff, FRAME_SAMPLES, true);
    } catch (OpusException | RuntimeException | AssertionError e) {
      decoder.resetState();
      throw new CodecException("corrupt Opus payload for FEC: " + e.getMessage(), e);
    }
  }

  @Override
  public boolean supportsFec() {
    return true;
  }

  @Override
  public boolean isQuiet(byte[] payload, int off, int len) {
    return len <= QUIET_MAX_BYTES;
  }

  /** Resets encoder and decoder state and restores the settings given at construction. */
  @Override
  public void reset() {
    encoder.resetState();
    decoder.resetState();
    applyConfig(initial);
  }

  private static void checkBitrate(int bitrateBps) {
    if (bitrateBps < MIN_BITRATE_BPS || bitrateBps > MAX_BITRATE_BPS) {
      throw new IllegalArgumentException("bitrate out of range: " + bitrateBps);
    }
  }

  private static void checkLoss(int percent) {
    if (percent < 0 || percent > 100) {
      throw new IllegalArgumentException("loss percent out of range: " + percent);
    }
  }

  private static void checkComplexity(int complexity) {
    if (complexity < MIN_COMPLEXITY || complexity > MAX_COMPLEXITY) {
      throw new IllegalArgumentException("complexity out of range: " + complexity);
    }
  }
}
