package io.causerie.desktop;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the quality badge shows for a report: its text, its grade (which picks the colour) and its tooltip.
 * Pure, so the badge's logic is tested without Swing.
 *
 * @param text the badge text: the grade's label, or an em dash when nothing is known
 * @param grade the grade, or null when nothing is known
 * @param tooltip every known figure, one per line, and what limits the grade
 */
public record QualityLook(String text, QualityGrade grade, String tooltip) {
  /** The badge text when there is no report yet. */
  public static final String NO_REPORT = "\u2014";

  public static QualityLook of(CallQuality q) {
    QualityGrade grade = QualityGrade.of(q);
    if (grade == null) {
      return new QualityLook(NO_REPORT, null, "Call quality: no reports yet");
    }
    List<String> lines = new ArrayList<>();
    lines.add("Call quality: " + grade.label());
    if (CallQuality.known(q.mos())) {
      lines.add(String.format(Locale.ROOT, "Estimated MOS %.1f of 4.5", q.mos()));
    }
    if (CallQuality.known(q.lossPct())) {
      lines.add(String.format(Locale.ROOT, "Packet loss %.1f %%", q.lossPct()));
    }
    if (CallQuality.known(q.jitterMs())) {
      lines.add(String.format(Locale.ROOT, "Jitter %.0f ms", q.jitterMs()));
    }
    if (CallQuality.known(q.rttMs())) {
      lines.add(String.format(Locale.ROOT, "Round trip %.0f ms", q.rttMs()));
    }
    if (CallQuality.known(q.jbDelayMs())) {
      lines.add(String.format(Locale.ROOT, "Jitter buffer %.0f ms", q.jbDelayMs()));
    }
    String limit = limitedBy(q, grade);
    if (limit != null) {
      lines.add("Limited by " + limit);
    }
    return new QualityLook(grade.label(), grade, "<html>" + String.join("<br>", lines) + "</html>");
  }

  /** The figure that sets a less-than-good grade, for the tooltip; null when the grade is good. */
  private static String limitedBy(CallQuality q, QualityGrade grade) {
    if (grade == QualityGrade.GOOD) {
      return null;
    }
    List<String> why = new ArrayList<>();
    if (CallQuality.known(q.lossPct()) && q.lossPct() > QualityGrade.FAIR_LOSS_PCT) {
      why.add("packet loss");
    }
    if (CallQuality.known(q.jitterMs()) && q.jitterMs() > QualityGrade.FAIR_JITTER_MS) {
      why.add("jitter");
    }
    double oneWay = QualityGrade.oneWayMillis(q);
    if (!Double.isNaN(oneWay) && oneWay > QualityGrade.FAIR_ONE_WAY_MS) {
      why.add("delay");
    }
    if (why.isEmpty() && CallQuality.known(q.mos())) {
      why.add("the estimated MOS");
    }
    return why.isEmpty() ? null : String.join(", ", why);
  }
}
