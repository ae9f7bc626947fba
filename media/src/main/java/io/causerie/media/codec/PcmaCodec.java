package io.causerie.media.codec;

import io.causerie.media.rtp.PayloadTypes;

/** ITU-T G.711 A-law (RTP payload type 8, "PCMA") with Appendix-I-style concealment. */
public final class PcmaCodec extends G711Codec {
  /** Signalling name. */
  public static final String NAME = "pcma";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int payloadType() {
    return PayloadTypes.PCMA;
  }

  @Override
  protected int compress(int linear) {
    return G711.linearToAlaw(linear);
  }

  @Override
  protected short expand(int code) {
    return G711.alawToLinear(code);
  }
}
