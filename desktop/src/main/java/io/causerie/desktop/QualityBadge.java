package io.causerie.desktop;

import java.awt.Color;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.RoundRectangle2D;
import javax.swing.JComponent;
import javax.swing.UIManager;

/**
 * A pill that shows the call's quality: "Good", "Fair" or "Poor" on green, amber or red, or "—" until the first
 * report; the tooltip lists the figures. What it shows comes from {@link QualityLook}.
 */
public final class QualityBadge extends JComponent {
  private static final int PAD_X = 9;
  private static final int PAD_Y = 3;

  private QualityLook look = QualityLook.of(null);

  public QualityBadge() {
    Ui.named(this, "qualityBadge", "Call quality");
    setToolTipText(look.tooltip());
    updateUI();
  }

  @Override
  public void updateUI() {
    super.updateUI();
    Font f = UIManager.getFont("Label.font");
    if (f != null) {
      setFont(f.deriveFont(Font.BOLD, f.getSize2D() - 1));
    }
  }

  /** Shows a report (null: none yet). */
  public void show(CallQuality q) {
    QualityLook next = QualityLook.of(q);
    if (!next.equals(look)) {
      look = next;
      setToolTipText(look.tooltip());
      getAccessibleContext().setAccessibleDescription("Call quality: "
          + (look.grade() == null ? "no reports yet" : look.text()));
      revalidate();
      repaint();
    }
  }

  public QualityLook look() {
    return look;
  }

  @Override
  public javax.accessibility.AccessibleContext getAccessibleContext() {
    if (accessibleContext == null) {
      accessibleContext = new AccessibleJComponent() {
        @Override
        public javax.accessibility.AccessibleRole getAccessibleRole() {
          return javax.accessibility.AccessibleRole.LABEL;
        }
      };
    }
    return accessibleContext;
  }

  @Override
  public Dimension getPreferredSize() {
    FontMetrics fm = getFontMetrics(getFont());
    int w = Math.max(fm.stringWidth(look.text()), fm.stringWidth("Good"));
    return new Dimension(w + 2 * PAD_X, fm.getHeight() + 2 * PAD_Y);
  }

  @Override
  public Dimension getMinimumSize() {
    return getPreferredSize();
  }

  @Override
  public Dimension getMaximumSize() {
    return getPreferredSize();
  }

  @Override
  protected void paintComponent(Graphics g) {
    Graphics2D g2 = (Graphics2D) g.create();
    try {
      g2.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g2.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      Color c = Look.grade(look.grade());
      boolean none = look.grade() == null;
      g2.setColor(none ? Look.tint(c) : Look.badge(look.grade()));
      int h = getHeight();
      g2.fill(new RoundRectangle2D.Double(0, 0, getWidth(), h, h, h));
      g2.setFont(getFont());
      FontMetrics fm = g2.getFontMetrics();
      g2.setColor(none ? Look.muted() : Look.onBadge(look.grade()));
      int tw = fm.stringWidth(look.text());
      g2.drawString(look.text(), (getWidth() - tw) / 2, (h - fm.getHeight()) / 2 + fm.getAscent());
    } finally {
      g2.dispose();
    }
  }
}
