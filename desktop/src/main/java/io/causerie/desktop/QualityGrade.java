package io.causerie.desktop;

/**
 * The quality badge's verdict on a {@link CallQuality}, and the thresholds it is made from.
 *
 * <p>The MOS bands follow the E-model's user-satisfaction table (ITU-T G.107, G.109): at or above 4.0 users
 * are satisfied, from 3.6 some are not, below that many are. Loss, jitter and mouth-to-ear delay can only
 * make the grade worse, so a report without a MOS still gets a grade; delay bands follow ITU-T G.114
 * (150 ms one way is fine for most calls, above 400 ms it is not acceptable).
 */
public enum QualityGrade {
  GOOD("Good"),
  FAIR("Fair"),
  POOR("Poor");

  /** MOS at or above which the call is good. */
  public static final double GOOD_MOS = 4.0;
  /** MOS at or above which the call is fair (below: poor). */
  public static final double FAIR_MOS = 3.6;
  /** Loss above which the call is at best fair. */
  public static final double FAIR_LOSS_PCT = 2.0;
  /** Loss above which the call is poor. */
  public static final double POOR_LOSS_PCT = 8.0;
  /** Jitter above which the call is at best fair. */
  public static final double FAIR_JITTER_MS = 30;
  /** Jitter above which the call is poor. */
  public static final double POOR_JITTER_MS = 60;
  /** One-way delay (half the round trip plus the jitter buffer) above which the call is at best fair. */
  public static final double FAIR_ONE_WAY_MS = 150;
  /** One-way delay above which the call is poor. */
  public static final double POOR_ONE_WAY_MS = 400;

  private final String label;

  QualityGrade(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** The grade of a report, or null when the report says nothing at all. */
  public static QualityGrade of(CallQuality q) {
    if (q == null) {
      return null;
    }
    QualityGrade g = null;
    if (CallQuality.known(q.mos())) {
      g = q.mos() >= GOOD_MOS ? GOOD : q.mos() >= FAIR_MOS ? FAIR : POOR;
    }
    g = worst(g, band(q.lossPct(), FAIR_LOSS_PCT, POOR_LOSS_PCT));
    g = worst(g, band(q.jitterMs(), FAIR_JITTER_MS, POOR_JITTER_MS));
    g = worst(g, band(oneWayMillis(q), FAIR_ONE_WAY_MS, POOR_ONE_WAY_MS));
    return g;
  }

  /** Estimated mouth-to-ear delay from the report: half the round trip plus the playout delay; NaN if unknown. */
  public static double oneWayMillis(CallQuality q) {
    boolean rtt = CallQuality.known(q.rttMs());
    boolean jb = CallQuality.known(q.jbDelayMs());
    if (!rtt && !jb) {
      return Double.NaN;
    }
    return (rtt ? q.rttMs() / 2 : 0) + (jb ? q.jbDelayMs() : 0);
  }

  private static QualityGrade band(double v, double fairAbove, double poorAbove) {
    if (!CallQuality.known(v)) {
      return null;
    }
    return v > poorAbove ? POOR : v > fairAbove ? FAIR : GOOD;
  }

  private static QualityGrade worst(QualityGrade a, QualityGrade b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return a.ordinal() >= b.ordinal() ? a : b;
  }
}
