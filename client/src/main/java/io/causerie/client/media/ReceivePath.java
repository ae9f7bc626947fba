package io.causerie.client.media;

import io.causerie.media.VoiceReceiver;
import io.causerie.media.codec.AudioCodec;
import io.causerie.media.jitter.InsertResult;
import io.causerie.media.jitter.JitterBuffer;
import io.causerie.media.jitter.JitterBufferConfig;
import io.causerie.media.jitter.JitterStats;
import io.causerie.media.jitter.PlayoutAction;
import io.causerie.media.quality.CodecImpairment;
import io.causerie.media.quality.CompactNtp;
import io.causerie.media.quality.FecController;
import io.causerie.media.quality.MosEstimator;
import io.causerie.media.quality.QualityReport;
import io.causerie.media.quality.ReceptionStats;
import io.causerie.media.rtp.RtpPacket;

/**
 * The receiving half of a call's media and its side of the report exchange: every datagram from the
 * relay (RTP into the jitter buffer, reports into RTT and the FEC decision), the 20 ms playout, and
 * the report this side sends.
 *
 * <p>A pure core: time comes in as {@code nowNanos} from one monotonic clock, which must also be
 * the clock the {@link SendPath} stamps its sender reports with (the round-trip time subtracts
 * them). Not thread-safe: {@link MediaSession} guards it with one lock shared by the network,
 * playout and report paths. No allocation per RTP packet or frame.
 */
public final class ReceivePath {
  private final VoiceReceiver receiver;
  private final String codecName;
  private final CodecImpairment impairment;
  private final int frameMillis;
  private final int localSsrc;
  private final FecController fec;
  private boolean havePeer;
  private int peerSsrc;
  private boolean havePeerSr;
  private long peerSrCompact;
  private long peerSrArrivalNanos;
  private double rttMillis = Double.NaN;
  private double remoteLossPercent = Double.NaN;
  private long reportsReceived;
  private long malformedReports;
  private long otherDatagrams;
  private double smoothedDelayMillis;
  private double delaySumMillis;
  private long delaySamples;

  /** Weight of a new playout tick in the smoothed buffered delay: a time constant of 1 s. */
  static final double DELAY_SMOOTHING = 1.0 / 50;

  /**
   * A receiver decoding with {@code codec} (an instance of its own) for the stream of a call in
   * which this side sends as {@code localSsrc}.
   */
  public ReceivePath(AudioCodec codec, JitterBufferConfig jitterConfig, int localSsrc,
      FecController fec) {
    this.receiver = new VoiceReceiver(codec, jitterConfig);
    this.codecName = codec.name();
    this.impairment = CodecImpairment.forCodec(codec.name());
    this.frameMillis = codec.frameMillis();
    this.localSsrc = localSsrc;
    this.fec = fec;
  }

  /** What became of one datagram. */
  public enum Outcome {
    /** RTP accepted into the jitter buffer. */
    VOICE,
    /** RTP dropped (late, duplicate, malformed, wrong payload type). */
    VOICE_DROPPED,
    /** A report about our stream: FEC decision and RTT updated. */
    REPORT,
    /** Malformed RTCP or something else: dropped. */
    DROPPED
  }

  /** Takes one datagram from the relay, which arrived at {@code nowNanos}. */
  public Outcome onDatagram(byte[] buf, int off, int len, long nowNanos) {
    switch (RtcpPackets.classify(buf, off, len)) {
      case RTP -> {
        InsertResult r = receiver.receive(buf, off, len, nowNanos);
        if (len >= RtpPacket.FIXED_HEADER_BYTES
            && (r == InsertResult.ACCEPTED || r == InsertResult.RESYNCED)) {
          peerSsrc = (int) RtcpPackets.u32(buf, off + 8);
          havePeer = true;
          return Outcome.VOICE;
        }
        return Outcome.VOICE_DROPPED;
      }
      case RTCP -> {
        return onReport(buf, off, len, nowNanos);
      }
      default -> {
        otherDatagrams++;
        return Outcome.DROPPED;
      }
    }
  }

  private Outcome onReport(byte[] buf, int off, int len, long nowNanos) {
    RtcpPackets.Compound c;
    try {
      c = RtcpPackets.decode(buf, off, len);
    } catch (RtcpFormatException e) {
      malformedReports++;
      return Outcome.DROPPED;
    }
    reportsReceived++;
    if (c.senderReport() != null) {
      peerSrCompact = c.senderReport().compactNtp();
      peerSrArrivalNanos = nowNanos;
      havePeerSr = true;
    }
    QualityReport rr = c.receiverReport();
    if (rr != null && rr.sourceSsrc() == localSsrc) {
      fec.onReport(rr);
      remoteLossPercent = rr.fractionLostPercent();
      double rtt = rr.roundTripMillis(CompactNtp.fromNanos(nowNanos));
      if (rtt >= 0) {
        rttMillis = rtt;
      }
    }
    return Outcome.REPORT;
  }

  /** The FEC setting the far end's reports call for. */
  public FecController.Decision fecDecision() {
    return fec.current();
  }

  /** Produces the next 20 ms of 48 kHz audio at {@code pcm48[off]}. */
  public PlayoutAction playout(long nowNanos, short[] pcm48, int off) {
    JitterBuffer jb = receiver.jitterBuffer();
    // Sampled before the poll: the frame about to play counts, as in the buffer's target delay.
    int d = jb.bufferedDelayMillis();
    boolean started = jb.started();
    PlayoutAction a = receiver.playout(nowNanos, pcm48, off);
    if (started) {
      smoothedDelayMillis = delaySamples == 0 ? d
          : smoothedDelayMillis + DELAY_SMOOTHING * (d - smoothedDelayMillis);
      delaySumMillis += d;
      delaySamples++;
    }
    return a;
  }

  /**
   * Writes this side's report at {@code out[off]}: {@code ours} (our sender report), then a
   * receiver report on the peer's stream once it has been heard, echoing the peer's last SR as
   * LSR/DLSR; returns the length.
   */
  public int writeReport(SenderReport ours, long nowNanos, byte[] out, int off) {
    QualityReport rr = null;
    if (havePeer) {
      long lsr = 0;
      long dlsr = 0;
      if (havePeerSr) {
        lsr = peerSrCompact;
        dlsr = CompactNtp.durationFromNanos(nowNanos - peerSrArrivalNanos);
      }
      rr = receiver.receptionStats().report(localSsrc, peerSsrc, lsr, dlsr);
    }
    return RtcpPackets.writeReport(out, off, ours, rr);
  }

  /**
   * The figures so far, the buffered delay smoothed over about the last second; {@code sent} and
   * {@code fecSending} come from the send path.
   */
  public QualitySnapshot snapshot(long sent, boolean fecSending) {
    return snapshot(sent, fecSending, false);
  }

  /** As {@link #snapshot(long, boolean)}, with whether our packets carry redundant copies. */
  public QualitySnapshot snapshot(long sent, boolean fecSending, boolean redSending) {
    return figures(sent, fecSending, redSending, smoothedDelayMillis);
  }

  /** The figures of the whole call, the buffered delay averaged over it. */
  public QualitySnapshot summary(long sent, boolean fecSending) {
    return summary(sent, fecSending, false);
  }

  /** As {@link #summary(long, boolean)}, with whether our packets carry redundant copies. */
  public QualitySnapshot summary(long sent, boolean fecSending, boolean redSending) {
    return figures(sent, fecSending, redSending, delaySamples == 0 ? 0 : delaySumMillis / delaySamples);
  }

  /**
   * MOS from the E-model (ITU-T G.107 via {@link MosEstimator}) with the loss left after FEC and
   * redundancy (late packets included), the burst ratio, and a one-way delay of RTT/2 + buffered delay + one
   * frame of packetisation; sound-card buffers are not known here and not counted.
   */
  private QualitySnapshot figures(long sent, boolean fecSending, boolean redSending, double delayMillis) {
    ReceptionStats rs = receiver.receptionStats();
    JitterStats js = receiver.jitterBuffer().stats();
    long expected = rs.expected();
    long unrecovered = Math.max(0, js.lost() - js.recoveredByFec());
    // A frame rebuilt from a redundant copy played as a frame: the jitter buffer never counted it lost.
    double lossPercent = expected <= 0 ? 0 : Math.min(100, unrecovered * 100.0 / expected);
    double oneWayMillis = (Double.isNaN(rttMillis) ? 0 : rttMillis / 2) + delayMillis + frameMillis;
    double mos = MosEstimator.mos(impairment, oneWayMillis, lossPercent, rs.burstRatio());
    return new QualitySnapshot(codecName, sent, rs.received(), Math.max(0, rs.cumulativeLost()),
        js.late(), js.concealed(), js.recoveredByFec(), rs.jitterMillis(), rttMillis,
        (int) Math.round(delayMillis), mos, remoteLossPercent, fecSending, js.recoveredByRedundancy(),
        redSending);
  }

  /** Round-trip time from the last report, NaN until known. */
  public double rttMillis() {
    return rttMillis;
  }

  /** Reports received from the peer. */
  public long reportsReceived() {
    return reportsReceived;
  }

  /** Report datagrams that did not parse. */
  public long malformedReports() {
    return malformedReports;
  }

  /** Datagrams that were neither RTP nor RTCP. */
  public long otherDatagrams() {
    return otherDatagrams;
  }

  /** The underlying voice receiver (statistics). */
  public VoiceReceiver voiceReceiver() {
    return receiver;
  }
}
