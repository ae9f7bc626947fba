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
import io.causerie.media.rtp.PayloadTypes;
import io.causerie.media.rtp.RedPayload;
import io.causerie.media.rtp.RtpFormatException;
import io.causerie.media.rtp.RtpPacket;
import io.causerie.media.rtp.SequenceNumbers;

/**
 * Receiving half of a voice stream: RTP packets into the {@link JitterBuffer} and {@link
 * ReceptionStats}; on every 20 ms playout tick, decode, FEC recovery or concealment, then
 * resampling to 48 kHz pipeline frames.
 *
 * <p>Packets of payload type {@link PayloadTypes#RED_DEFAULT} carry the codec's frame plus redundant
 * copies of earlier ones (RFC 2198, {@link RedPayload}): the primary frame is buffered as if it had come
 * alone, and each copy is offered to the jitter buffer ({@link JitterBuffer#insertRedundant}), which keeps
 * it only if that frame is missing. Copies of another payload type, or whose timestamp offset is not a
 * whole number of frames, are ignored. A receiver always accepts such packets; whether the peer sends
 * them is negotiated ("opus+red").
 *
 * <p>Malformed packets (a RED payload included) and packets of another payload type are counted and
 * dropped; a payload the codec cannot decode is concealed instead. No allocation per packet or frame. Not thread-safe:
 * the network and playout sides must be serialised by the caller.
 */
public final class VoiceReceiver {
  private final AudioCodec codec;
  private final JitterBuffer jitterBuffer;
  private final Resampler resampler;
  private final PlayoutFrame frame;
  private final RtpPacket view = new RtpPacket();
  private final RedPayload red = new RedPayload();
  private final short[] codecPcm;
  private ReceptionStats receptionStats;
  private boolean haveSsrc;
  private int ssrc;
  private long malformedPackets;
  private long wrongPayloadType;
  private long decodeErrors;
  private long redPackets;
  private long malformedRed;
  private long redundantCopiesUsed;

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
    int pt = view.payloadType();
    boolean isRed = pt == PayloadTypes.RED_DEFAULT && pt != codec.payloadType();
    int payloadOff = view.payloadOffset();
    int payloadLen = view.payloadLength();
    if (isRed) {
      if (!red.read(packet, payloadOff, payloadLen)) {
        malformedRed++;
        return InsertResult.DISCARDED;
      }
      int primary = red.primaryIndex();
      pt = red.payloadType(primary);
      payloadOff = red.offset(primary);
      payloadLen = red.length(primary);
      redPackets++;
    }
    if (pt != codec.payloadType()) {
      wrongPayloadType++;
      return InsertResult.DISCARDED;
    }
    if (!haveSsrc || view.ssrc() != ssrc) {
      haveSsrc = true;
      ssrc = view.ssrc();
      receptionStats = new ReceptionStats(codec.sampleRateHz());
    }
    receptionStats.onPacket(view.sequenceNumber(), view.timestamp(), arrivalNanos);
    InsertResult r = jitterBuffer.insert(view.ssrc(), view.sequenceNumber(), view.timestamp(), packet,
        payloadOff, payloadLen, arrivalNanos);
    if (isRed && r == InsertResult.ACCEPTED) {
      offerRedundantCopies();
    }
    return r;
  }

  private void offerRedundantCopies() {
    int frameSamples = codec.frameSamples();
    for (int i = 0; i < red.primaryIndex(); i++) {
      int tsOffset = red.timestampOffset(i);
      if (red.payloadType(i) != codec.payloadType() || tsOffset == 0 || tsOffset % frameSamples != 0) {
        continue;
      }
      int distance = tsOffset / frameSamples;
      if (jitterBuffer.insertRedundant(view.ssrc(), view.sequenceNumber() - distance,
          (view.timestamp() - tsOffset) & SequenceNumbers.TIMESTAMP_MASK, distance, view.buffer(), red.offset(i), red.length(i))) {
        redundantCopiesUsed++;
      }
    }
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

  /** RTP packets that carried a RED payload (RFC 2198). */
  public long redPackets() {
    return redPackets;
  }

  /** RED payloads that did not parse (dropped). */
  public long malformedRedPackets() {
    return malformedRed;
  }

  /** Redundant copies the jitter buffer kept because their frame's own packet was missing. */
  public long redundantCopiesStored() {
    return redundantCopiesUsed;
  }

  /** Payloads the codec could not decode (concealed instead). */
  public long decodeErrors() {
    return decodeErrors;
  }
}
