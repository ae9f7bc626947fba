package io.causerie.client.media;

import io.causerie.media.audio.PipelineFormat;
import io.causerie.media.audio.Resampler;
import io.causerie.media.codec.AudioCodec;
import io.causerie.media.codec.OpusCodec;
import io.causerie.media.quality.FecController;
import io.causerie.media.rtp.RtpPacket;
import io.causerie.media.rtp.SequenceNumbers;

/**
 * The sending half of a call's media: 48 kHz frames to RTP packets (RFC 3550 §5.1, RFC 3551 §4.1),
 * with the FEC setting (and Opus bitrate) the far end's reports ask for, and frames skipped when the
 * sender stalled.
 *
 * <p>Packets are built as {@link io.causerie.media.VoiceSender} builds them (resampled to the codec
 * rate, marker on the first packet of a talkspurt, Opus DTX frames not sent), plus {@link #skip}:
 * a frame the capture thread was too late to send advances the sequence number and timestamp
 * without a packet, so the receiver treats it as lost and conceals it in place instead of waiting
 * for it (a late burst would add its delay to every later frame).
 *
 * <p>Threading: {@link #packetize} and {@link #skip} are for the capture thread only; {@link
 * #requestFec}, the counters and {@link #senderReport} may be used from any thread (the decision is
 * handed over through a volatile field and applied to the encoder before the next frame, so the
 * encoder itself stays single-threaded). No allocation per frame.
 */
public final class SendPath {
  private final AudioCodec codec;
  private final Resampler resampler;
  private final short[] codecFrame;
  private final byte[] payload;
  private final int ssrc;
  private int sequenceNumber; // capture thread
  private long timestamp; // capture thread
  private boolean talkspurtStart = true; // capture thread
  private volatile FecController.Decision requested;
  private volatile FecController.Decision applied; // written by the capture thread only
  private volatile long packetsSent;
  private volatile long framesSkipped;
  private volatile long payloadOctetsSent;
  private volatile long lastRtpTimestamp;
  private volatile long lastPacketNanos;
  private volatile boolean sentAny;

  /**
   * A sender encoding with {@code codec} (an instance of its own: not shared with a decoder),
   * starting at the given (normally random, RFC 3550 §5.1) sequence number and timestamp.
   */
  public SendPath(AudioCodec codec, int ssrc, int initialSequenceNumber, long initialTimestamp) {
    this.codec = codec;
    this.ssrc = ssrc;
    this.resampler = new Resampler(PipelineFormat.SAMPLE_RATE_HZ, codec.sampleRateHz());
    this.codecFrame = new short[Math.max(codec.frameSamples(),
        resampler.maxOutput(PipelineFormat.FRAME_SAMPLES))];
    this.payload = new byte[codec.maxPayloadBytes()];
    this.sequenceNumber = initialSequenceNumber & SequenceNumbers.SEQ_MASK;
    this.timestamp = initialTimestamp & SequenceNumbers.TIMESTAMP_MASK;
  }

  /** Largest packet {@link #packetize} writes. */
  public int maxPacketBytes() {
    return RtpPacket.FIXED_HEADER_BYTES + codec.maxPayloadBytes();
  }

  /** Our SSRC. */
  public int ssrc() {
    return ssrc;
  }

  /** The codec. */
  public AudioCodec codec() {
    return codec;
  }

  /** Asks for an FEC setting; takes effect on the next frame. Any thread. */
  public void requestFec(FecController.Decision decision) {
    requested = decision;
  }

  /** The FEC setting in use (null until a report asked for one). */
  public FecController.Decision fecInUse() {
    return applied;
  }

  /**
   * Encodes one 960-sample 48 kHz frame at {@code pcm48[off]} into an RTP packet at {@code out[0]};
   * returns its length, 0 for an Opus DTX frame not worth sending. Capture thread only.
   */
  public int packetize(short[] pcm48, int off, byte[] out, long nowNanos) {
    FecController.Decision want = requested;
    if (want != null && want != applied && codec instanceof OpusCodec opus) {
      opus.setBitrateBps(want.bitrateBps());
      opus.setFecEnabled(want.fecEnabled());
      opus.setExpectedLossPercent(want.expectedLossPercent());
      applied = want;
    }
    int samples = resampler.process(pcm48, off, PipelineFormat.FRAME_SAMPLES, codecFrame, 0);
    if (samples != codec.frameSamples()) {
      throw new IllegalStateException("resampler produced " + samples + " samples, codec needs "
          + codec.frameSamples());
    }
    int len = codec.encode(codecFrame, 0, payload, 0);
    long frameTimestamp = timestamp;
    timestamp = (timestamp + codec.frameSamples()) & SequenceNumbers.TIMESTAMP_MASK;
    if (codec instanceof OpusCodec opus && opus.dtxEnabled() && len <= OpusCodec.DTX_MAX_BYTES) {
      talkspurtStart = true;
      return 0;
    }
    int header = RtpPacket.writeHeader(out, 0, talkspurtStart, codec.payloadType(), sequenceNumber,
        frameTimestamp, ssrc);
    System.arraycopy(payload, 0, out, header, len);
    talkspurtStart = false;
    sequenceNumber = SequenceNumbers.next(sequenceNumber);
    lastRtpTimestamp = frameTimestamp;
    lastPacketNanos = nowNanos;
    payloadOctetsSent += len;
    packetsSent++;
    sentAny = true;
    return header + len;
  }

  /**
   * Gives up one frame the capture thread was too late for: its sequence number and timestamp pass
   * unused, so the receiver conceals it in place. Capture thread only.
   */
  public void skip() {
    sequenceNumber = SequenceNumbers.next(sequenceNumber);
    timestamp = (timestamp + codec.frameSamples()) & SequenceNumbers.TIMESTAMP_MASK;
    framesSkipped++;
  }

  /** RTP packets sent. */
  public long packetsSent() {
    return packetsSent;
  }

  /** Frames given up because the capture thread was late. */
  public long framesSkipped() {
    return framesSkipped;
  }

  /**
   * A sender report stamped at {@code nowNanos}, its RTP timestamp extrapolated from the last
   * packet (RFC 3550 §6.4.1: the same instant as the NTP timestamp, in RTP units).
   */
  public SenderReport senderReport(long nowNanos) {
    long rtp = 0;
    if (sentAny) {
      long sinceNanos = Math.max(0, nowNanos - lastPacketNanos);
      rtp = lastRtpTimestamp + sinceNanos * codec.sampleRateHz() / 1_000_000_000L;
    }
    return SenderReport.at(ssrc, nowNanos, rtp, packetsSent, payloadOctetsSent);
  }
}
