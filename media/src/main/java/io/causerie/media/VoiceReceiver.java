package io.causerie.media;

import io.causerie.media.audio.PipelineFormat;
import io.causerie.media.audio.Resampler;
import io.causerie.media.audio.Silence;
import io.causerie.media.codec.AudioCodec;
import io.causerie.media.codec.CodecException;
import io.causerie.media.jitter.InsertResult;
import io.causerie.media.jitter.JitterBuffer;
import io.causerie.media.jitter.JitterBufferConfig;
import io.causerie.media.jitter.PlayoutAction;
import io.causerie.media.jitter.PlayoutFrame;
import io.causerie.media.quality.ReceptionStats;
import io.causerie.media.rtp.RtpFormatException;
import io.causerie.media.rtp.RtpPacket;

/**
 * Receiving half of a voice stream: RTP packets into the {@link JitterBuffer} and {@link
 * ReceptionStats}; on every 20 ms playout tick, decode, FEC recovery or concealment, then
 * resampling to 48 kHz pipeline frames.
 *
 * <p>Malformed packets and packets of another payload type are counted and dropped; a payload the
 * codec cannot decode is concealed instead. No allocation per packet or frame. Not thread-safe:
 * the network and playout sides must be serialised by the caller.
 */
public final class VoiceReceiver {
  private final AudioCodec codec;
  private final JitterBuffer jitterBuffer;
  private final Resampler resampler;
  private final PlayoutFrame frame;
  private final RtpPacket view = new RtpPacket();
  private final short[] codecPcm;
  private ReceptionStats receptionStats;
  private boolean haveSsrc;
  private int ssrc;
  private long malformedPackets;
  private long wrongPayloadType;
  private long decodeErrors;

  /** A receiver decoding with {@code codec} through a jitter buffer configured by {@code config}. */
  public VoiceReceiver(AudioCodec codec, JitterBufferConfig config) {
    this.codec = codec;
    this.jitterBuffer = new JitterBuffer(config, codec);
    this.resampler = new Resampler(codec.sampleRateHz(), PipelineFormat.SAMPLE_RATE_HZ);
    this.frame = new PlayoutFrame(config.maxPayloadBytes());
    this.codecPcm = new short[codec.frameSamples()];
    this.receptionStats = new ReceptionStats(codec.sampleRateHz());
  }

  /** Takes one datagram that arrived at {@code arrivalNanos}. */
  public InsertResult receive(byte[] packet, int off, int len, long arrivalNanos) {
    try {
      view.read(packet, off, len);
    } catch (RtpFormatException e) {
      malformedPackets++;
      return InsertResult.DISCARDED;
    }
    if (view.payloadType() != codec.payloadType()) {
      wrongPayloadType++;
      return InsertResult.DISCARDED;
    }
    if (!haveSsrc || view.ssrc() != ssrc) {
      haveSsrc = true;
      ssrc = view.ssrc();
      receptionStats = new ReceptionStats(codec.sampleRateHz());
    }
    receptionStats.onPacket(view.sequenceNumber(), view.timestamp(), arrivalNanos);
    return jitterBuffer.insert(view, arrivalNanos);
  }

  /**
   * Produces the next 960-sample 48 kHz frame into {@code pcm48[off]} for playout at {@code
   * nowNanos}; returns what the jitter buffer decided.
   */
  public PlayoutAction playout(long nowNanos, short[] pcm48, int off) {
    PlayoutAction action = jitterBuffer.poll(nowNanos, frame);
    switch (action) {
      case FRAME:
        if (frame.discontinuity()) {
          codec.reset();
        }
        try {
          codec.decode(frame.payload(), 0, frame.payloadLength(), codecPcm, 0);
        } catch (CodecException e) {
          decodeErrors++;
          codec.conceal(codecPcm, 0);
        }
        break;
      case CONCEAL:
        int recovered = -1;
        if (frame.fecAvailable() && codec.supportsFec()) {
          try {
            recovered = codec.recoverFromNext(frame.nextPayload(), 0, frame.nextPayloadLength(),
                codecPcm, 0);
          } catch (CodecException e) {
            decodeErrors++;
          }
        }
        if (recovered > 0) {
          jitterBuffer.recordFecRecovery();
        } else {
          codec.conceal(codecPcm, 0);
        }
        break;
      default:
        Silence.fill(codecPcm, 0, codecPcm.length);
    }
    int n = resampler.process(codecPcm, 0, codec.frameSamples(), pcm48, off);
    if (n != PipelineFormat.FRAME_SAMPLES) {
      throw new IllegalStateException("resampler produced " + n + " samples");
    }
    return action;
  }

  /** The jitter buffer (statistics, target and buffered delay). */
  public JitterBuffer jitterBuffer() {
    return jitterBuffer;
  }

  /** RFC 3550 statistics of the current source. */
  public ReceptionStats receptionStats() {
    return receptionStats;
  }

  /** The codec. */
  public AudioCodec codec() {
    return codec;
  }

  /** Datagrams that were not valid RTP. */
  public long malformedPackets() {
    return malformedPackets;
  }

  /** RTP packets of another payload type. */
  public long wrongPayloadTypePackets() {
    return wrongPayloadType;
  }

  /** Payloads the codec could not decode (concealed instead). */
  public long decodeErrors() {
    return decodeErrors;
  }
}
