package io.causerie.media.quality;

/**
 * ITU-T G.107 E-model simplified for VoIP: R = 93.2 − Id − Ie,eff, turned into a mean opinion
 * score (MOS-CQE) with the G.107 Annex B formula.
 *
 * <ul>
 *   <li>R0 − Is = 93.2: the G.107 default values for all non-network parameters (no echo, default
 *       noise, no advantage factor A);
 *   <li>Id from the one-way mouth-to-ear delay {@code d} (ms), using the common fit of G.107's
 *       Idte + Idle + Idd under default echo conditions (Cole &amp; Rosenbluth, 2001): Id = 0.024 d
 *       + 0.11 (d − 177.3) H(d − 177.3), H the step function;
 *   <li>Ie,eff = Ie + (95 − Ie) · Ppl / (Ppl / BurstR + Bpl) (G.107 eq. 7-29), Ppl the packet loss
 *       in percent, BurstR the burst ratio (1 for random loss);
 *   <li>MOS = 1 for R &lt; 0, 4.5 for R &gt; 100, else 1 + 0.035 R + R (R − 60)(100 − R) · 7·10⁻⁶
 *       (at least 1).
 * </ul>
 *
 * <p>With no loss and low delay G.711 scores R = 93.2, MOS ≈ 4.41.
 */
public final class MosEstimator {
  private MosEstimator() {}

  /** R0 − Is with all G.107 defaults. */
  public static final double R_DEFAULT = 93.2;

  /** One-way delay from which delay impairment grows steeply, in ms. */
  public static final double DELAY_KNEE_MILLIS = 177.3;

  /** Delay impairment slope below the knee, per ms. */
  public static final double DELAY_SLOPE = 0.024;

  /** Additional delay impairment slope above the knee, per ms. */
  public static final double DELAY_SLOPE_ABOVE_KNEE = 0.11;

  /** Estimate bundle returned by {@link #estimate}. */
  public record Estimate(double rFactor, double mos) {}

  /** Delay impairment Id for a one-way delay in milliseconds. */
  public static double delayImpairment(double oneWayDelayMillis) {
    double d = Math.max(0, oneWayDelayMillis);
    double id = DELAY_SLOPE * d;
    if (d > DELAY_KNEE_MILLIS) {
      id += DELAY_SLOPE_ABOVE_KNEE * (d - DELAY_KNEE_MILLIS);
    }
    return id;
  }

  /** Effective equipment impairment Ie,eff for a loss percentage 0..100 and burst ratio. */
  public static double effectiveEquipmentImpairment(
      CodecImpairment codec, double lossPercent, double burstRatio) {
    if (burstRatio <= 0) {
      throw new IllegalArgumentException("burst ratio must be positive: " + burstRatio);
    }
    double ppl = Math.max(0, Math.min(100, lossPercent));
    return codec.ie() + (95 - codec.ie()) * ppl / (ppl / burstRatio + codec.bpl());
  }

  /** The rating factor R. */
  public static double rFactor(
      CodecImpairment codec, double oneWayDelayMillis, double lossPercent, double burstRatio) {
    return R_DEFAULT - delayImpairment(oneWayDelayMillis)
        - effectiveEquipmentImpairment(codec, lossPercent, burstRatio);
  }

  /** G.107 Annex B mapping of R to MOS-CQE, 1.0..4.5. */
  public static double mosFromR(double r) {
    if (r <= 0) {
      return 1.0;
    }
    if (r >= 100) {
      return 4.5;
    }
    // The cubic dips just below 1 for 0 < R < 6.5; clamping keeps MOS monotonic in R.
    return Math.max(1.0, 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6);
  }

  /** MOS for the given conditions. */
  public static double mos(
      CodecImpairment codec, double oneWayDelayMillis, double lossPercent, double burstRatio) {
    return mosFromR(rFactor(codec, oneWayDelayMillis, lossPercent, burstRatio));
  }

  /** R and MOS together. */
  public static Estimate estimate(
      CodecImpairment codec, double oneWayDelayMillis, double lossPercent, double burstRatio) {
    double r = rFactor(codec, oneWayDelayMillis, lossPercent, burstRatio);
    return new Estimate(r, mosFromR(r));
  }
}
