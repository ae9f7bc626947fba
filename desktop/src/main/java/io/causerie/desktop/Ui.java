package io.causerie.desktop;

import com.formdev.flatlaf.FlatClientProperties;
import java.awt.Color;
import java.awt.Component;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.LayoutManager;
import java.awt.RenderingHints;
import java.awt.geom.RoundRectangle2D;
import java.util.function.Supplier;
import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.JPanel;

/** Small Swing helpers shared by the views. */
final class Ui {
  private Ui() {}

  /**
   * Names a component for tests ({@link Component#getName()}) and for screen readers (the accessible name).
   */
  static <T extends JComponent> T named(T c, String name, String accessibleName) {
    c.setName(name);
    c.getAccessibleContext().setAccessibleName(accessibleName);
    return c;
  }

  /**
   * Gives an accessible name to a child FlatLaf adds inside a component (the password field's reveal button, a
   * text field's clear button), now and whenever the look and feel adds it again.
   */
  static void nameChild(JComponent parent, String childName, String accessibleName) {
    java.util.function.Consumer<Component> apply = c -> {
      if (childName.equals(c.getName()) && c instanceof JComponent jc) {
        jc.getAccessibleContext().setAccessibleName(accessibleName);
        jc.setToolTipText(accessibleName);
      }
    };
    for (Component c : parent.getComponents()) {
      apply.accept(c);
    }
    parent.addContainerListener(new java.awt.event.ContainerAdapter() {
      @Override
      public void componentAdded(java.awt.event.ContainerEvent e) {
        apply.accept(e.getChild());
      }
    });
  }

  static JLabel label(String text, String styleClass) {
    JLabel l = new JLabel(text);
    if (styleClass != null) {
      l.putClientProperty(FlatClientProperties.STYLE_CLASS, styleClass);
    }
    return l;
  }

  /** A secondary-text label: smaller or normal size, muted colour that follows the theme. */
  static JLabel mutedLabel(String text, String styleClass) {
    JLabel l = new JLabel(text) {
      @Override
      public void updateUI() {
        super.updateUI();
        setForeground(Look.muted());
      }
    };
    if (styleClass != null) {
      l.putClientProperty(FlatClientProperties.STYLE_CLASS, styleClass);
    }
    l.setForeground(Look.muted());
    return l;
  }

  /** Text for a label that wraps at {@code widthPx}, HTML-escaped. */
  static String wrapped(String text, int widthPx) {
    // Swing's HTML counts CSS px at 96 dpi on a 72 dpi screen; pt comes out as screen pixels.
    return "<html><div style='width:" + widthPx + "pt'>" + escape(text) + "</div></html>";
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  /** A panel that paints a rounded background in a colour looked up at paint time. */
  static final class RoundPanel extends JPanel {
    private Supplier<Color> fill;
    private final int arc;

    RoundPanel(LayoutManager layout, Supplier<Color> fill, int arc) {
      super(layout);
      this.fill = fill;
      this.arc = arc;
      setOpaque(false);
    }

    void fill(Supplier<Color> f) {
      fill = f;
      repaint();
    }

    @Override
    protected void paintComponent(Graphics g) {
      Color c = fill == null ? null : fill.get();
      if (c != null) {
        Graphics2D g2 = (Graphics2D) g.create();
        g2.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g2.setColor(c);
        g2.fill(new RoundRectangle2D.Double(0, 0, getWidth(), getHeight(), arc, arc));
        g2.dispose();
      }
      super.paintComponent(g);
    }
  }
}
