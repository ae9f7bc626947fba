package io.causerie.client.media;

/**
 * A call's voice quality so far, as the {@code quality} event and the {@code call-ended} summary
 * show it (docs/VOICE.md, "Quality figures").
 *
 * @param codec the codec in use
 * @param sent RTP packets sent
 * @param received RTP packets received from the peer (valid ones, duplicates included)
 * @param lost packets the network lost on the way in (expected − received, at least 0)
 * @param late packets that arrived after their playout time
 * @param concealed 20 ms frames not decoded from their own packet (losses, FEC-rebuilt ones included,
 *     and underruns)
 * @param fecRecovered lost frames rebuilt from the next packet's in-band FEC
 * @param jitterMillis RFC 3550 interarrival jitter of the incoming stream
 * @param rttMillis round-trip time through the relay from the report exchange, NaN until known
 * @param jitterBufferDelayMillis audio buffered ahead of playout: smoothed over about the last
 *     second during the call, averaged over the call in the final summary
 * @param mos E-model MOS estimate of what this side hears
 * @param remoteLossPercent loss the peer last reported on our stream, NaN until reported
 * @param fecSending whether our encoder currently adds in-band FEC
 * @param redRecovered lost frames played at full quality from a redundant copy (RFC 2198) in a later packet
 * @param redSending whether our packets currently carry redundant copies of earlier frames
 */
public record QualitySnapshot(
    String codec,
    long sent,
    long received,
    long lost,
    long late,
    long concealed,
    long fecRecovered,
    double jitterMillis,
    double rttMillis,
    int jitterBufferDelayMillis,
    double mos,
    double remoteLossPercent,
    boolean fecSending,
    long redRecovered,
    boolean redSending) {
  /** Figures without redundancy. */
  public QualitySnapshot(String codec, long sent, long received, long lost, long late, long concealed,
      long fecRecovered, double jitterMillis, double rttMillis, int jitterBufferDelayMillis, double mos,
      double remoteLossPercent, boolean fecSending) {
    this(codec, sent, received, lost, late, concealed, fecRecovered, jitterMillis, rttMillis,
        jitterBufferDelayMillis, mos, remoteLossPercent, fecSending, 0, false);
  }
}
