package io.causerie.media.rtp;

/** RTP payload type numbers and clock rates used by Causerie (RFC 3551 §6, RFC 7587 §4). */
public final class PayloadTypes {
  private PayloadTypes() {}

  /** ITU-T G.711 μ-law, static payload type (RFC 3551 Table 4). */
  public static final int PCMU = 0;

  /** ITU-T G.711 A-law, static payload type (RFC 3551 Table 4). */
  public static final int PCMA = 8;

  /** Opus has no static number; 111 is the de-facto default dynamic payload type. */
  public static final int OPUS_DEFAULT = 111;

  /**
   * Redundant audio (RFC 2198), as WebRTC numbers it; carries Opus frames when both sides negotiated
   * "opus+red". Below 64 so that, with the marker bit, it stays outside RTCP's 192..223 (RFC 5761 §4).
   */
  public static final int RED_DEFAULT = 63;

  /** First dynamic payload type (RFC 3551 §3). */
  public static final int DYNAMIC_MIN = 96;

  /** Last dynamic payload type (RFC 3551 §3). */
  public static final int DYNAMIC_MAX = 127;

  /** Largest value the 7-bit payload type field can hold. */
  public static final int MAX = 127;

  /** RTP clock rate of G.711 (RFC 3551 §4.5.14). */
  public static final int G711_CLOCK_RATE_HZ = 8000;

  /** RTP clock rate of Opus, always 48 kHz whatever the coded bandwidth (RFC 7587 §4.1). */
  public static final int OPUS_CLOCK_RATE_HZ = 48000;

  /** Whether {@code payloadType} is in the dynamic range 96..127. */
  public static boolean isDynamic(int payloadType) {
    return payloadType >= DYNAMIC_MIN && payloadType <= DYNAMIC_MAX;
  }
}
