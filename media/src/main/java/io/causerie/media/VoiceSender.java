package io.causerie.media;

import io.causerie.media.audio.PipelineFormat;
import io.causerie.media.audio.Resampler;
import io.causerie.media.codec.AudioCodec;
import io.causerie.media.codec.OpusCodec;
import io.causerie.media.rtp.PayloadTypes;
import io.causerie.media.rtp.RedPayload;
import io.causerie.media.rtp.RtpPacket;
import io.causerie.media.rtp.SequenceNumbers;

/**
 * Sending half of a voice stream: takes 48 kHz pipeline frames, resamples them to the codec rate
 * if needed, encodes them and writes complete RTP packets (RFC 3550 §5.1, RFC 3551 §4.1) into a
 * caller buffer.
 *
 * <p>The marker bit is set on the first packet of each talkspurt. When the codec is Opus with DTX
 * on, frames that encode to at most {@link OpusCodec#DTX_MAX_BYTES} bytes are not sent ({@link
 * #packetize} returns 0): the timestamp keeps advancing, the sequence number does not.
 *
 * <p><b>Redundancy</b> (RFC 2198): while {@link #setRedundancy} names distances, each packet has payload
 * type {@link PayloadTypes#RED_DEFAULT} and carries, ahead of its own frame, copies of the frames sent
 * that many packets earlier (oldest first), each only if it was sent as the packet just that many
 * sequence numbers and frames earlier (not across a skipped or DTX frame), and only while the packet
 * stays within {@link #MAX_RED_PACKET_BYTES}. The copies are the encoder's own output, at full quality.
 *
 * <p>No allocation per frame. Not thread-safe.
 */
public final class VoiceSender {
  /** Farthest back a redundant copy may reach, in frames (the history kept). */
  public static final int MAX_REDUNDANCY_DISTANCE = 4;

  /**
   * Largest RTP packet written with redundant copies: copies that would make it longer are left out, so a
   * packet stays well inside one datagram of a 1280-byte IPv6 path with SRTP's 16-byte tag.
   */
  public static final int MAX_RED_PACKET_BYTES = 1000;

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
  private int[] redundancyDistances = new int[0]; // descending: oldest copy first
  private final byte[][] history;
  private final int[] historyLength = new int[MAX_REDUNDANCY_DISTANCE];
  private final long[] historySeq = new long[MAX_REDUNDANCY_DISTANCE];
  private final long[] historyTimestamp = new long[MAX_REDUNDANCY_DISTANCE];
  private long packetsWritten; // index of the next packet in the history, sequence numbers unwrapped
  private final int[] redPt = new int[MAX_REDUNDANCY_DISTANCE];
  private final int[] redOffset = new int[MAX_REDUNDANCY_DISTANCE];
  private final byte[][] redData = new byte[MAX_REDUNDANCY_DISTANCE][];
  private final int[] redLength = new int[MAX_REDUNDANCY_DISTANCE];
  private long redundantBlocksSent;
  private long redundantBytesSent;

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
    this.history = new byte[MAX_REDUNDANCY_DISTANCE][Math.min(codec.maxPayloadBytes(),
        RedPayload.MAX_BLOCK_BYTES)];
    java.util.Arrays.fill(historySeq, -1);
  }

  /**
   * Sends copies of the frames {@code distances} packets back in every packet from now on (RFC 2198), or
   * none for an empty array; e.g. {@code {2}}: each packet n also carries frame n − 2.
   *
   * @throws IllegalArgumentException for a distance outside 1..{@value #MAX_REDUNDANCY_DISTANCE} or a repeat
   */
  public void setRedundancy(int[] distances) {
    int[] d = distances.clone();
    java.util.Arrays.sort(d);
    for (int i = 0; i < d.length; i++) {
      if (d[i] < 1 || d[i] > MAX_REDUNDANCY_DISTANCE || (i > 0 && d[i] == d[i - 1])) {
        throw new IllegalArgumentException("redundancy distances must be distinct, 1.."
            + MAX_REDUNDANCY_DISTANCE + ": " + java.util.Arrays.toString(distances));
      }
    }
    int[] descending = new int[d.length];
    for (int i = 0; i < d.length; i++) {
      descending[i] = d[d.length - 1 - i];
    }
    redundancyDistances = descending;
  }

  /** Whether packets currently carry redundant copies. */
  public boolean redundancyEnabled() {
    return redundancyDistances.length > 0;
  }

  /** Largest packet {@link #packetize} writes. */
  public int maxPacketBytes() {
    return RtpPacket.FIXED_HEADER_BYTES + Math.max(codec.maxPayloadBytes() + RedPayload.PRIMARY_HEADER_BYTES,
        MAX_RED_PACKET_BYTES);
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
    int body;
    int header;
    long index = packetsWritten++;
    if (redundancyDistances.length == 0) {
      header = RtpPacket.writeHeader(out, outOff, talkspurtStart, codec.payloadType(),
          sequenceNumber, frameTimestamp, ssrc);
      System.arraycopy(payload, 0, out, outOff + header, len);
      body = len;
    } else {
      header = RtpPacket.writeHeader(out, outOff, talkspurtStart, PayloadTypes.RED_DEFAULT,
          sequenceNumber, frameTimestamp, ssrc);
      int blocks = 0;
      int bytes = 0;
      for (int d : redundancyDistances) {
        int h = (int) ((index - d) % MAX_REDUNDANCY_DISTANCE);
        if (index - d < 0 || historySeq[h] != index - d || historyLength[h] <= 0) {
          continue;
        }
        long offset = (frameTimestamp - historyTimestamp[h]) & SequenceNumbers.TIMESTAMP_MASK;
        if (offset != (long) d * codec.frameSamples() || offset > RedPayload.MAX_TIMESTAMP_OFFSET
            || header + RedPayload.encodedLength(blocks + 1, bytes + historyLength[h], len)
                > MAX_RED_PACKET_BYTES) {
          continue;
        }
        redPt[blocks] = codec.payloadType();
        redOffset[blocks] = (int) offset;
        redData[blocks] = history[h];
        redLength[blocks] = historyLength[h];
        bytes += historyLength[h];
        blocks++;
      }
      body = RedPayload.write(out, outOff + header, blocks, redPt, redOffset, redData, redLength,
          codec.payloadType(), payload, 0, len);
      redundantBlocksSent += blocks;
      redundantBytesSent += body - len;
    }
    int h = (int) (index % MAX_REDUNDANCY_DISTANCE);
    historySeq[h] = index;
    historyTimestamp[h] = frameTimestamp;
    historyLength[h] = len <= history[h].length ? len : -1;
    if (len <= history[h].length) {
      System.arraycopy(payload, 0, history[h], 0, len);
    }
    talkspurtStart = false;
    sequenceNumber = SequenceNumbers.next(sequenceNumber);
    lastPacketTimestamp = frameTimestamp;
    framesSent++;
    return header + body;
  }

  /**
   * Gives up one frame the caller was too late to send: its sequence number and timestamp pass
   * unused, so the receiver conceals it in place instead of waiting for it.
   */
  public void skip() {
    packetsWritten++; // its history slot stays stale: no copy of a frame never sent
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

  /** Redundant blocks sent (RFC 2198). */
  public long redundantBlocksSent() {
    return redundantBlocksSent;
  }

  /** Bytes of RTP payload spent on redundancy: the copies and all the RED headers. */
  public long redundantBytesSent() {
    return redundantBytesSent;
  }

  /** DTX frames not sent. */
  public long framesSuppressed() {
    return framesSuppressed;
  }
}
