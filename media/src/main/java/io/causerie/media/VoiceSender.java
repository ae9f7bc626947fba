package io.causerie.media;

import io.causerie.media.audio.PipelineFormat;
import io.causerie.media.audio.Resampler;
import io.causerie.media.codec.AudioCodec;
import io.causerie.media.codec.OpusCodec;
import io.causerie.media.rtp.RtpPacket;
import io.causerie.media.rtp.SequenceNumbers;

/**
 * Sending half of a voice stream: takes 48 kHz pipeline frames, resamples them to the codec rate
 * if needed, encodes them and writes complete RTP packets (RFC 3550 §5.1, RFC 3551 §4.1) into a
 * caller buffer.
 *
 * <p>The marker bit is set on the first packet of each talkspurt. When the codec is Opus with DTX
 * on, frames that encode to at most {@link OpusCodec#DTX_MAX_BYTES} bytes are not sent ({@link
 * #packetize} returns 0): the timestamp keeps advancing, the sequence number does not. No
 * allocation per frame. Not thread-safe.
 */
public final class VoiceSender {
  private final AudioCodec codec;
  private final Resampler resampler;
  private final int ssrc;
  private final short[] codecFrame;
  private final byte[] payload;
  private int sequenceNumber;
  private long timestamp;
  private boolean talkspurtStart = true;
  private long framesSent;
  private long framesSuppressed;
  private long framesSkipped;
  private long lastPacketTimestamp;

  /**
   * A sender for {@code codec}, starting at the given (normally random, RFC 3550 §5.1) sequence
   * number and timestamp.
   */
  public VoiceSender(AudioCodec codec, int ssrc, int initialSequenceNumber, long initialTimestamp) {
    this.codec = codec;
    this.resampler = new Resampler(PipelineFormat.SAMPLE_RATE_HZ, codec.sampleRateHz());
    this.ssrc = ssrc;
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

  /**
   * Encodes one 960-sample 48 kHz frame from {@code pcm48[off]} and writes the RTP packet at
   * {@code out[outOff]}; returns the packet length, or 0 when the frame is a DTX frame not worth
   * sending.
   */
  public int packetize(short[] pcm48, int off, byte[] out, int outOff) {
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
      framesSuppressed++;
      return 0;
    }
    int header = RtpPacket.writeHeader(out, outOff, talkspurtStart, codec.payloadType(),
        sequenceNumber, frameTimestamp, ssrc);
    System.arraycopy(payload, 0, out, outOff + header, len);
    talkspurtStart = false;
    sequenceNumber = SequenceNumbers.next(sequenceNumber);
    lastPacketTimestamp = frameTimestamp;
    framesSent++;
    return header + len;
  }

  /**
   * Gives up one frame the caller was too late to send: its sequence number and timestamp pass
   * unused, so the receiver conceals it in place instead of waiting for it.
   */
  public void skip() {
    sequenceNumber = SequenceNumbers.next(sequenceNumber);
    timestamp = (timestamp + codec.frameSamples()) & SequenceNumbers.TIMESTAMP_MASK;
    framesSkipped++;
  }

  /** RTP timestamp of the last packet written (valid once {@link #framesSent()} is positive). */
  public long lastPacketTimestamp() {
    return lastPacketTimestamp;
  }

  /** Frames given up with {@link #skip}. */
  public long framesSkipped() {
    return framesSkipped;
  }

  /** The codec (to adjust bitrate or FEC at run time). */
  public AudioCodec codec() {
    return codec;
  }

  /** The SSRC written into every packet. */
  public int ssrc() {
    return ssrc;
  }

  /** Packets written so far. */
  public long framesSent() {
    return framesSent;
  }

  /** DTX frames not sent. */
  public long framesSuppressed() {
    return framesSuppressed;
  }
}
