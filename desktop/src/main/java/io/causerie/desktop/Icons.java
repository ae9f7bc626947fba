package io.causerie.desktop;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Component;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.RenderingHints;
import java.awt.geom.Arc2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import javax.swing.Icon;
import javax.swing.UIManager;

/** The app's icons, drawn in code so they stay sharp at any size and follow the theme. */
public final class Icons {
  private Icons() {}

  private abstract static class Drawn implements Icon {
    final int size;

    Drawn(int size) {
      this.size = size;
    }

    @Override
    public int getIconWidth() {
      return size;
    }

    @Override
    public int getIconHeight() {
      return size;
    }

    @Override
    public void paintIcon(Component c, Graphics g, int x, int y) {
      Graphics2D g2 = (Graphics2D) g.create();
      try {
        g2.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g2.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g2.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g2.translate(x, y);
        draw(g2);
      } finally {
        g2.dispose();
      }
    }

    abstract void draw(Graphics2D g);
  }

  /** A filled dot in a colour looked up at paint time (so it follows the theme). */
  public static Icon dot(int size, Supplier<Color> color) {
    return new Drawn(size) {
      @Override
      void draw(Graphics2D g) {
        g.setColor(color.get());
        g.fill(new Ellipse2D.Double(0.5, 0.5, size - 1, size - 1));
      }
    };
  }

  /** A round avatar: the name's initial on a colour derived from the name. */
  public static Icon avatar(String name, int size) {
    return new Drawn(size) {
      @Override
      void draw(Graphics2D g) {
        g.setColor(avatarColor(name));
        g.fill(new Ellipse2D.Double(0, 0, size, size));
        String initial = name.isEmpty() ? "?" : name.substring(0, 1).toUpperCase(Locale.ROOT);
        Font base = UIManager.getFont("Label.font");
        g.setFont((base != null ? base : new Font(Font.SANS_SERIF, Font.PLAIN, 12))
            .deriveFont(Font.BOLD, size * 0.45f));
        FontMetrics fm = g.getFontMetrics();
        g.setColor(Color.WHITE);
        g.drawString(initial, (size - fm.stringWidth(initial)) / 2f,
            (size - fm.getHeight()) / 2f + fm.getAscent());
      }
    };
  }

  /** An avatar with a presence dot at its lower right, ringed in {@code ring} so it stands off the avatar. */
  public static Icon avatarWithDot(String name, int size, Supplier<Color> dot, Supplier<Color> ring) {
    Icon avatar = avatar(name, size);
    return new Drawn(size) {
      @Override
      void draw(Graphics2D g) {
        avatar.paintIcon(null, g, 0, 0);
        double dd = size * 0.30;
        double rw = Math.max(1.5, size * 0.06);
        g.setColor(ring.get());
        g.fill(new Ellipse2D.Double(size - dd - 2 * rw, size - dd - 2 * rw, dd + 2 * rw, dd + 2 * rw));
        g.setColor(dot.get());
        g.fill(new Ellipse2D.Double(size - dd - rw, size - dd - rw, dd, dd));
      }
    };
  }

  /** Muted, pleasant hues that keep white text readable in both themes. */
  private static final int[] AVATAR_COLORS = {
    0x4F7CC8, 0x3C9D8F, 0x8E6CC4, 0xC46C8B, 0xC77D3A, 0x5A9A4E, 0x4D8FB3, 0xA3695A
  };

  static Color avatarColor(String name) {
    return new Color(AVATAR_COLORS[Math.floorMod(name.hashCode(), AVATAR_COLORS.length)]);
  }

  /** The app's mark: a speech bubble with two sound waves, on the accent colour. */
  public static Icon logo(int size) {
    return new Drawn(size) {
      @Override
      void draw(Graphics2D g) {
        Color accent = UIManager.getColor("Component.accentColor");
        g.setColor(accent != null ? accent : new Color(0x3574F0));
        double s = size;
        g.fill(new java.awt.geom.RoundRectangle2D.Double(0, 0, s, s, s * 0.45, s * 0.45));
        g.setColor(Color.WHITE);
        double r = s * 0.11;
        double cx = s * 0.34;
        double cy = s * 0.5;
        g.fill(new Ellipse2D.Double(cx - r, cy - r, 2 * r, 2 * r));
        g.setStroke(new BasicStroke((float) (s * 0.075), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        for (int i = 1; i <= 2; i++) {
          double w = s * (0.16 + 0.15 * i);
          g.draw(new Arc2D.Double(cx - w, cy - w, 2 * w, 2 * w, -45, 90, Arc2D.OPEN));
        }
      }
    };
  }

  /** A diagonal arrow: up-right for an outgoing call, down-left for an incoming one. */
  public static Icon direction(boolean outgoing, Supplier<Color> color) {
    return new Drawn(14) {
      @Override
      void draw(Graphics2D g) {
        g.setColor(color.get());
        g.setStroke(new BasicStroke(1.6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        double a = 3.5;
        double b = 10.5;
        Path2D p = new Path2D.Double();
        if (outgoing) {
          p.moveTo(a, b);
          p.lineTo(b, a);
          p.moveTo(b - 5, a);
          p.lineTo(b, a);
          p.lineTo(b, a + 5);
        } else {
          p.moveTo(b, a);
          p.lineTo(a, b);
          p.moveTo(a, b - 5);
          p.lineTo(a, b);
          p.lineTo(a + 5, b);
        }
        g.draw(p);
      }
    };
  }

  /** A telephone handset, for the call buttons. */
  public static Icon phone(int size, Supplier<Color> color, boolean hangup) {
    return new Drawn(size) {
      @Override
      void draw(Graphics2D g) {
        g.setColor(color.get());
        double s = size;
        if (hangup) {
          g.rotate(Math.toRadians(135), s / 2, s / 2);
        }
        // A handset seen from the side: two ear/mouth pieces joined by a curved grip.
        Path2D p = new Path2D.Double();
        p.moveTo(s * 0.22, s * 0.08);
        p.curveTo(s * 0.30, s * 0.06, s * 0.36, s * 0.10, s * 0.39, s * 0.16);
        p.lineTo(s * 0.45, s * 0.30);
        p.curveTo(s * 0.47, s * 0.36, s * 0.45, s * 0.40, s * 0.40, s * 0.43);
        p.lineTo(s * 0.35, s * 0.46);
        p.curveTo(s * 0.40, s * 0.58, s * 0.46, s * 0.64, s * 0.55, s * 0.66);
        p.lineTo(s * 0.58, s * 0.61);
        p.curveTo(s * 0.61, s * 0.56, s * 0.66, s * 0.54, s * 0.72, s * 0.57);
        p.lineTo(s * 0.86, s * 0.64);
        p.curveTo(s * 0.92, s * 0.67, s * 0.94, s * 0.72, s * 0.92, s * 0.78);
        p.lineTo(s * 0.88, s * 0.86);
        p.curveTo(s * 0.84, s * 0.93, s * 0.76, s * 0.95, s * 0.66, s * 0.93);
        p.curveTo(s * 0.38, s * 0.86, s * 0.14, s * 0.62, s * 0.07, s * 0.34);
        p.curveTo(s * 0.05, s * 0.24, s * 0.07, s * 0.16, s * 0.14, s * 0.12);
        p.closePath();
        g.fill(p);
      }
    };
  }

  /** The logo at the sizes a window list wants. */
  public static List<Image> windowImages() {
    List<Image> images = new ArrayList<>();
    for (int s : new int[] {16, 24, 32, 48, 64, 128}) {
      BufferedImage img = new BufferedImage(s, s, BufferedImage.TYPE_INT_ARGB);
      Graphics2D g = img.createGraphics();
      logo(s).paintIcon(null, g, 0, 0);
      g.dispose();
      images.add(img);
    }
    return images;
  }
}
