package io.causerie.media.quality;

import io.causerie.media.codec.OpusCodec;

/**
 * Decides, from the loss the far end reports, whether the Opus encoder should send in-band FEC and
 * which packet-loss percentage it should protect against, with hysteresis so protection does not
 * flap.
 *
 * <p>Loss is smoothed with fast attack and slow release: {@code smoothed = max(latest, smoothed ×
 * releaseFactor)}. FEC switches on as soon as the smoothed loss reaches {@code enableLossPercent}
 * and off only after {@code holdReports} consecutive reports below {@code disableLossPercent}.
 * While on, the expected loss is the smoothed loss rounded up, within [{@code
 * minExpectedLossPercent}, {@code maxExpectedLossPercent}] (Opus only adds LBRR above 0 %, and the
 * lower bound keeps the LBRR bitrate threshold reachable); while off it is 0 so no bits are spent.
 *
 * <p>LBRR copies are paid for out of the encoder's bitrate, so while FEC is on the decision also
 * raises the Opus bitrate, keeping the primary frames about as good as without FEC: {@value
 * #BASE_BITRATE_BPS} bit/s while off, {@value #FEC_BITRATE_BPS} bit/s while on, and {@value
 * #HIGH_LOSS_FEC_BITRATE_BPS} bit/s while the smoothed loss is high (from {@code
 * highLossEnterPercent}, until it falls below {@code highLossExitPercent}, a second hysteresis).
 *
 * <p>In-band FEC rebuilds a lost frame from the next packet only, so two losses in a row still drop
 * out. From a smoothed loss of {@code redundancyEnableLossPercent} (2 % by default: FEC's own threshold)
 * the decision also asks for redundant copies of earlier frames (RFC 2198) in every packet, if the call
 * negotiated them; they stop when FEC stops (the same hold of clean reports). Pure and not thread-safe.
 */
public final class FecController {
  /** Opus bitrate while FEC is off: the codec's default. */
  public static final int BASE_BITRATE_BPS = OpusCodec.Config.DEFAULT_BITRATE_BPS;

  /** Opus bitrate while FEC is on at moderate loss: room for the LBRR copies. */
  public static final int FEC_BITRATE_BPS = 32_000;

  /** Opus bitrate while FEC is on at high loss, where the LBRR copies are coded finer. */
  public static final int HIGH_LOSS_FEC_BITRATE_BPS = 40_000;

  /**
   * Thresholds of the controller.
   *
   * @param enableLossPercent smoothed loss at which FEC switches on
   * @param disableLossPercent smoothed loss below which FEC may switch off
   * @param holdReports consecutive low reports needed to switch off
   * @param releaseFactor per-report decay of the smoothed loss, in [0, 1)
   * @param minExpectedLossPercent expected loss announced to the encoder while FEC is on, at least
   * @param maxExpectedLossPercent expected loss announced to the encoder, at most
   * @param highLossEnterPercent smoothed loss from which FEC runs at the high-loss bitrate
   * @param highLossExitPercent smoothed loss below which it returns to the moderate FEC bitrate
   * @param redundancyEnableLossPercent smoothed loss from which redundant copies (RFC 2198) are asked for
   *     (at least {@code enableLossPercent}: they only come with FEC)
   */
  public record Config(
      double enableLossPercent, double disableLossPercent, int holdReports, double releaseFactor,
      int minExpectedLossPercent, int maxExpectedLossPercent, double highLossEnterPercent,
      double highLossExitPercent, double redundancyEnableLossPercent) {
    /** The redundancy threshold by default: with FEC, at 2 %. */
    public static final double DEFAULT_REDUNDANCY_ENABLE_LOSS_PERCENT = 2.0;

    /**
     * Defaults: on at 2 %, off below 0.5 % for 3 reports, release 0.7, expected loss 5..25 %; the
     * high-loss bitrate from 10 % until below 7 %; redundancy from 2 %.
     */
    public static final Config DEFAULTS = new Config(2.0, 0.5, 3, 0.7, 5, 25, 10.0, 7.0,
        DEFAULT_REDUNDANCY_ENABLE_LOSS_PERCENT);

    /** Thresholds with redundancy from FEC's own threshold. */
    public Config(
        double enableLossPercent, double disableLossPercent, int holdReports, double releaseFactor,
        int minExpectedLossPercent, int maxExpectedLossPercent, double highLossEnterPercent,
        double highLossExitPercent) {
      this(enableLossPercent, disableLossPercent, holdReports, releaseFactor, minExpectedLossPercent,
          maxExpectedLossPercent, highLossEnterPercent, highLossExitPercent, enableLossPercent);
    }

    /** The same thresholds with redundancy from {@code percent}. */
    public Config withRedundancyEnableLossPercent(double percent) {
      return new Config(enableLossPercent, disableLossPercent, holdReports, releaseFactor,
          minExpectedLossPercent, maxExpectedLossPercent, highLossEnterPercent, highLossExitPercent, percent);
    }

    public Config {
      if (!(disableLossPercent >= 0 && disableLossPercent <= enableLossPercent)) {
        throw new IllegalArgumentException("need 0 <= disable <= enable threshold");
      }
      if (holdReports < 1 || !(releaseFactor >= 0 && releaseFactor < 1)) {
        throw new IllegalArgumentException("holdReports >= 1 and releaseFactor in [0, 1) needed");
      }
      if (minExpectedLossPercent < 1 || maxExpectedLossPercent > 100
          || minExpectedLossPercent > maxExpectedLossPercent) {
        throw new IllegalArgumentException("need 1 <= min <= max <= 100 expected loss");
      }
      if (!(highLossExitPercent >= enableLossPercent
          && highLossExitPercent <= highLossEnterPercent)) {
        throw new IllegalArgumentException("need enable <= high-loss exit <= high-loss enter");
      }
      if (!(redundancyEnableLossPercent >= enableLossPercent)) {
        throw new IllegalArgumentException("need FEC enable <= redundancy enable threshold");
      }
    }
  }

  /**
   * What the encoder should be set to.
   *
   * @param fecEnabled whether in-band FEC is allowed
   * @param expectedLossPercent packet loss the encoder protects against (0 while FEC is off)
   * @param bitrateBps Opus target bitrate
   * @param redundancy whether to send redundant copies of earlier frames (RFC 2198) where negotiated
   */
  public record Decision(boolean fecEnabled, int expectedLossPercent, int bitrateBps, boolean redundancy) {
    /** A decision without redundancy. */
    public Decision(boolean fecEnabled, int expectedLossPercent, int bitrateBps) {
      this(fecEnabled, expectedLossPercent, bitrateBps, false);
    }
  }

  /**
   * What a sender uses before the first report of a call arrives (about half a second in): FEC on at the minimum
   * expected loss, its bitrate, and redundant copies where negotiated. A path lossy from the first packet is
   * protected from the first packet (before, the first syllable of a call could drop out before any report said
   * loss); the first report then decides as usual, so on a clean path this costs half a second of extra bits.
   */
  public static final Decision UNTIL_FIRST_REPORT =
      new Decision(true, Config.DEFAULTS.minExpectedLossPercent(), FEC_BITRATE_BPS, true);

  private final Config config;
  private double smoothedLossPercent;
  private boolean fecEnabled;
  private boolean highLoss;
  private boolean redundancy;
  private int lowReports;
  private Decision current = new Decision(false, 0, BASE_BITRATE_BPS);

  /** A controller with {@link Config#DEFAULTS}, starting with FEC off. */
  public FecController() {
    this(Config.DEFAULTS);
  }

  /** A controller with the given thresholds, starting with FEC off. */
  public FecController(Config config) {
    this.config = config;
  }

  /** Takes an RTCP 8-bit fraction lost (0..255). */
  public Decision onFractionLost(int fractionLost) {
    if (fractionLost < 0 || fractionLost > 255) {
      throw new IllegalArgumentException("fraction lost out of 0..255: " + fractionLost);
    }
    return onLossPercent(fractionLost * 100.0 / 256.0);
  }

  /** Takes a report's fraction lost. */
  public Decision onReport(QualityReport report) {
    return onFractionLost(report.fractionLost());
  }

  /** Takes a loss percentage 0..100. */
  public Decision onLossPercent(double lossPercent) {
    double loss = Math.max(0, Math.min(100, lossPercent));
    smoothedLossPercent = Math.max(loss, smoothedLossPercent * config.releaseFactor());
    if (!fecEnabled) {
      if (smoothedLossPercent >= config.enableLossPercent()) {
        fecEnabled = true;
        lowReports = 0;
      }
    } else if (smoothedLossPercent < config.disableLossPercent()) {
      if (++lowReports >= config.holdReports()) {
        fecEnabled = false;
        lowReports = 0;
      }
    } else {
      lowReports = 0;
    }
    if (!fecEnabled || smoothedLossPercent < config.highLossExitPercent()) {
      highLoss = false;
    } else if (smoothedLossPercent >= config.highLossEnterPercent()) {
      highLoss = true;
    }
    if (!fecEnabled) {
      redundancy = false;
    } else if (smoothedLossPercent >= config.redundancyEnableLossPercent()) {
      redundancy = true;
    }
    int expected = 0;
    int bitrate = BASE_BITRATE_BPS;
    if (fecEnabled) {
      expected = (int) Math.ceil(smoothedLossPercent);
      expected = Math.max(config.minExpectedLossPercent(),
          Math.min(config.maxExpectedLossPercent(), expected));
      bitrate = highLoss ? HIGH_LOSS_FEC_BITRATE_BPS : FEC_BITRATE_BPS;
    }
    if (current.fecEnabled() != fecEnabled || current.expectedLossPercent() != expected
        || current.bitrateBps() != bitrate || current.redundancy() != redundancy) {
      current = new Decision(fecEnabled, expected, bitrate, redundancy);
    }
    return current;
  }

  /** The latest decision. */
  public Decision current() {
    return current;
  }

  /** The smoothed loss the decision is based on, in percent. */
  public double smoothedLossPercent() {
    return smoothedLossPercent;
  }

  /** Applies the latest decision to an Opus encoder. */
  public void applyTo(OpusCodec codec) {
    codec.setBitrateBps(current.bitrateBps());
    codec.setFecEnabled(current.fecEnabled());
    codec.setExpectedLossPercent(current.expectedLossPercent());
  }
}
