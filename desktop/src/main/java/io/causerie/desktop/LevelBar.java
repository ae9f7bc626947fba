package io.causerie.desktop;

import java.awt.Color;
import java.awt.Dimension;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.util.Locale;
import javax.accessibility.AccessibleContext;
import javax.accessibility.AccessibleRole;
import javax.swing.JComponent;
import javax.swing.UIManager;

/**
 * A small horizontal level meter: a bar for the level (green, amber above −12 dBFS, red above −3 dBFS) and a thin
 * mark for the held peak, over {@link LevelMeter#FLOOR_DBFS}…0 dBFS. Event thread only; whoever owns it calls {@link
 * #update} with a published level and the time, typically from a Swing Timer.
 */
final class LevelBar extends JComponent {
  static final double AMBER_DBFS = -12;
  static final double RED_DBFS = -3;

  private final LevelMeter meter = new LevelMeter();

  LevelBar(int width) {
    setPreferredSize(new Dimension(width, 8));
    setMinimumSize(new Dimension(24, 8));
    setMaximumSize(new Dimension(width, 8));
    setOpaque(false);
  }

  /** Takes the latest level and repaints. */
  void update(double dbfs, long nowMillis) {
    meter.update(dbfs, nowMillis);
    String text = describe(meter.level());
    if (!text.equals(getToolTipText())) {
      setToolTipText(text);
      getAccessibleContext().setAccessibleDescription(text);
    }
    repaint();
  }

  /** Back to silence. */
  void reset() {
    meter.reset();
    setToolTipText(describe(LevelMeter.FLOOR_DBFS));
    repaint();
  }

  double level() {
    return meter.level();
  }

  double peak() {
    return meter.peak();
  }

  static String describe(double dbfs) {
    return dbfs <= LevelMeter.FLOOR_DBFS ? "Silent" : String.format(Locale.ROOT, "%.0f dBFS", dbfs);
  }

  @Override
  protected void paintComponent(Graphics g) {
    Graphics2D g2 = (Graphics2D) g.create();
    try {
      g2.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      int w = getWidth();
      int h = getHeight();
      Color track = UIManager.getColor("ProgressBar.background");
      g2.setColor(track != null ? track : Look.tint(Look.grey()));
      g2.fillRoundRect(0, 0, w, h, h, h);
      int filled = (int) Math.round(w * LevelMeter.fraction(meter.level()));
      if (filled > 0) {
        double level = meter.level();
        g2.setColor(level > RED_DBFS ? Look.red() : level > AMBER_DBFS ? Look.amber() : Look.green());
        g2.fillRoundRect(0, 0, Math.max(filled, h), h, h, h);
      }
      if (meter.peak() > LevelMeter.FLOOR_DBFS) {
        int x = Math.min(w - 2, (int) Math.round(w * LevelMeter.fraction(meter.peak())) - 1);
        g2.setColor(Look.strong(Look.muted()));
        g2.fillRect(Math.max(0, x), 0, 2, h);
      }
    } finally {
      g2.dispose();
    }
  }

  @Override
  public AccessibleContext getAccessibleContext() {
    if (accessibleContext == null) {
      accessibleContext = new AccessibleJComponent() {
        @Override
        public AccessibleRole getAccessibleRole() {
          return AccessibleRole.PROGRESS_BAR;
        }
      };
    }
    return accessibleContext;
  }
}
