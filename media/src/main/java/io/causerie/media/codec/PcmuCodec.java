package io.causerie.media.codec;

import io.causerie.media.rtp.PayloadTypes;

/** ITU-T G.711 μ-law (RTP payload type 0, "PCMU") with Appendix-I-style concealment. */
public final class PcmuCodec extends G711Codec {
  /** Signalling name. */
  public static final String NAME = "pcmu";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int payloadType() {
    return PayloadTypes.PCMU;
  }

  @Override
  protected int compress(int linear) {
    return G711.linearToUlaw(linear);
  }

  @Override
  protected short expand(int code) {
    return G711.ulawToLinear(code);
  }
}
