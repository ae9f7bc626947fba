package io.causerie.client.media;

import io.causerie.media.VoiceSender;
import io.causerie.media.codec.AudioCodec;
import io.causerie.media.codec.OpusCodec;
import io.causerie.media.quality.FecController;
import io.causerie.media.rtp.RtpPacket;

/**
 * The sending half of a call's media: 48 kHz frames to RTP packets (RFC 3550 §5.1, RFC 3551 §4.1),
 * with the FEC setting (and Opus bitrate) the far end's reports ask for, and frames skipped when the
 * sender stalled.
 *
 * <p>Packets are built by a {@link VoiceSender} (resampled to the codec rate, marker on the first
 * packet of a talkspurt, Opus DTX frames not sent), plus {@link #skip}:
 * a frame the capture thread was too late to send advances the sequence number and timestamp
 * without a packet, so the receiver treats it as lost and conceals it in place instead of waiting
 * for it (a late burst would add its delay to every later frame).
 *
 * <p>Redundancy (RFC 2198): where the call negotiated it ({@link #configureRedundancy}), packets carry
 * copies of earlier frames while the mode asks for them: {@code AUTO} follows the FEC decision's {@code
 * redundancy}, {@code ALWAYS} from the first packet.
 *
 * <p>Threading: {@link #packetize} and {@link #skip} are for the capture thread only; {@link
 * #requestFec}, the counters and {@link #senderReport} may be used from any thread (the decision is
 * handed over through a volatile field and applied to the encoder before the next frame, so the
 * encoder itself stays single-threaded). No allocation per frame.
 */
public final class SendPath {
  private final VoiceSender sender; // capture thread
  private volatile FecController.Decision requested;
  private volatile FecController.Decision applied; // written by the capture thread only
  private volatile long packetsSent;
  private volatile long framesSkipped;
  private volatile long payloadOctetsSent;
  private volatile long lastRtpTimestamp;
  private volatile long lastPacketNanos;
  private volatile boolean sentAny;
  private volatile long redundantOctetsSent;
  private volatile boolean redundancySending;
  private boolean redundancyNegotiated; // set before the capture thread starts
  private RedundancyMode redundancyMode = RedundancyMode.OFF;
  private int[] redundancyDistances = new int[0];
  private static final int[] NONE = new int[0];

  /**
   * A sender encoding with {@code codec} (an instance of its own: not shared with a decoder),
   * starting at the given (normally random, RFC 3550 §5.1) sequence number and timestamp.
   */
  public SendPath(AudioCodec codec, int ssrc, int initialSequenceNumber, long initialTimestamp) {
    this.sender = new VoiceSender(codec, ssrc, initialSequenceNumber, initialTimestamp);
  }

  /** Largest packet {@link #packetize} writes. */
  public int maxPacketBytes() {
    return sender.maxPacketBytes();
  }

  /** Our SSRC. */
  public int ssrc() {
    return sender.ssrc();
  }

  /** The codec. */
  public AudioCodec codec() {
    return sender.codec();
  }

  /**
   * Sets whether the call negotiated redundancy, when to send it and which earlier frames; call before the
   * capture thread starts.
   */
  public void configureRedundancy(boolean negotiated, RedundancyMode mode, int[] distances) {
    this.redundancyNegotiated = negotiated;
    this.redundancyMode = mode;
    this.redundancyDistances = distances.clone();
  }

  /** Whether packets currently carry redundant copies. Any thread. */
  public boolean redundancySending() {
    return redundancySending;
  }

  /** RTP payload bytes sent (redundancy included). Any thread. */
  public long payloadOctetsSent() {
    return payloadOctetsSent;
  }

  /** RTP payload bytes spent on redundancy (copies and RED headers). Any thread. */
  public long redundantOctetsSent() {
    return redundantOctetsSent;
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
    if (want != null && want != applied && sender.codec() instanceof OpusCodec opus) {
      opus.setBitrateBps(want.bitrateBps());
      opus.setFecEnabled(want.fecEnabled());
      opus.setExpectedLossPercent(want.expectedLossPercent());
      applied = want;
    }
    boolean red = redundancyNegotiated && (redundancyMode == RedundancyMode.ALWAYS
        || (redundancyMode == RedundancyMode.AUTO && want != null && want.redundancy()));
    if (red != redundancySending) {
      sender.setRedundancy(red ? redundancyDistances : NONE);
      redundancySending = red;
    }
    int len = sender.packetize(pcm48, off, out, 0);
    redundantOctetsSent = sender.redundantBytesSent();
    if (len > 0) {
      lastRtpTimestamp = sender.lastPacketTimestamp();
      lastPacketNanos = nowNanos;
      payloadOctetsSent += len - RtpPacket.FIXED_HEADER_BYTES;
      packetsSent++;
      sentAny = true;
    }
    return len;
  }

  /**
   * Gives up one frame the capture thread was too late for: its sequence number and timestamp pass
   * unused, so the receiver conceals it in place. Capture thread only.
   */
  public void skip() {
    sender.skip();
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
      rtp = lastRtpTimestamp + sinceNanos * sender.codec().sampleRateHz() / 1_000_000_000L;
    }
    return SenderReport.at(sender.ssrc(), nowNanos, rtp, packetsSent, payloadOctetsSent);
  }
}
