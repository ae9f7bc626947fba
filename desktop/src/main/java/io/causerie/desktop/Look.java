package io.causerie.desktop;

import com.formdev.flatlaf.FlatDarkLaf;
import com.formdev.flatlaf.FlatLaf;
import com.formdev.flatlaf.FlatLightLaf;
import io.causerie.protocol.PresenceState;
import java.awt.Color;
import java.util.Map;
import javax.swing.UIManager;

/**
 * The app's look: installs FlatLaf in the chosen {@link Theme} and holds the few colours FlatLaf has no key for
 * (presence, call buttons, notices), each chosen per theme for contrast. Event thread only.
 */
public final class Look {
  private Look() {}

  private static Theme current = Theme.LIGHT;

  /** Installs the theme and updates every open window. */
  public static void apply(Theme theme) {
    current = theme;
    FlatLaf.setGlobalExtraDefaults(Map.of(
        "@accentColor", "#3574f0",
        "Component.arc", "10",
        "Button.arc", "10",
        "TextComponent.arc", "10",
        "ScrollBar.thumbArc", "999",
        "ScrollBar.thumbInsets", "2,2,2,2",
        "ScrollBar.width", "10",
        "List.selectionArc", "8",
        "Table.intercellSpacing", "0,0"));
    if (theme == Theme.DARK) {
      FlatDarkLaf.setup();
    } else {
      FlatLightLaf.setup();
    }
    UIManager.put("Table.showHorizontalLines", false);
    UIManager.put("Table.showVerticalLines", false);
    FlatLaf.updateUI();
  }

  public static Theme theme() {
    return current;
  }

  public static boolean dark() {
    return current == Theme.DARK;
  }

  private static Color pick(int light, int dark) {
    return new Color(dark() ? dark : light);
  }

  /** Online, call buttons, good quality. */
  public static Color green() {
    return pick(0x2E9E52, 0x4CC270);
  }

  /** In a call, reconnecting, fair quality. */
  public static Color amber() {
    return pick(0xC98300, 0xE2A93B);
  }

  /** Missed, errors, hang up, poor quality. */
  public static Color red() {
    return pick(0xD23F3F, 0xF06B6B);
  }

  /** Offline, no report. */
  public static Color grey() {
    return pick(0x9AA0A6, 0x7D838A);
  }

  /** Filled background of the green (call, accept) buttons: white text stays readable on it. */
  public static Color greenButton() {
    return pick(0x23884A, 0x2B8A4C);
  }

  /** Filled background of the red (hang up, refuse) buttons. */
  public static Color redButton() {
    return pick(0xC93838, 0xC03E45);
  }

  /** Secondary text (status words, hints). */
  public static Color muted() {
    Color c = UIManager.getColor("Label.disabledForeground");
    return c != null ? c : grey();
  }

  /** The colour of a presence dot. */
  public static Color presence(PresenceState p) {
    return switch (p) {
      case ONLINE -> green();
      case IN_CALL -> amber();
      case OFFLINE -> grey();
    };
  }

  /** The colour of a quality grade; grey when there is none. */
  public static Color grade(QualityGrade g) {
    if (g == null) {
      return grey();
    }
    return switch (g) {
      case GOOD -> green();
      case FAIR -> amber();
      case POOR -> red();
    };
  }

  /** The filled background of a quality badge. */
  public static Color badge(QualityGrade g) {
    return switch (g) {
      case GOOD -> greenButton();
      case FAIR -> amber();
      case POOR -> redButton();
    };
  }

  /** Text on a {@link #badge}: white, but dark on amber where white would not read. */
  public static Color onBadge(QualityGrade g) {
    return g == QualityGrade.FAIR ? new Color(0x1F1F1F) : Color.WHITE;
  }

  /** The tinted background of a notice or of the ringing panel. */
  public static Color tint(Color c) {
    Color bg = UIManager.getColor("Panel.background");
    if (bg == null) {
      bg = dark() ? Color.DARK_GRAY : Color.WHITE;
    }
    double a = dark() ? 0.22 : 0.12;
    return new Color(
        (int) Math.round(bg.getRed() * (1 - a) + c.getRed() * a),
        (int) Math.round(bg.getGreen() * (1 - a) + c.getGreen() * a),
        (int) Math.round(bg.getBlue() * (1 - a) + c.getBlue() * a));
  }

  /** A status colour made strong enough to be text on its own {@link #tint}: darker in the light theme. */
  public static Color strong(Color c) {
    if (dark()) {
      return c;
    }
    double f = 0.78;
    return new Color((int) (c.getRed() * f), (int) (c.getGreen() * f), (int) (c.getBlue() * f));
  }

  /** A colour as {@code #rrggbb}, for FlatLaf style strings. */
  public static String hex(Color c) {
    return String.format("#%06x", c.getRGB() & 0xFFFFFF);
  }

  /** FlatLaf style for a filled, coloured button with white text. */
  public static String filledButtonStyle(Color bg) {
    String b = hex(bg);
    String hover = hex(bg.brighter());
    String pressed = hex(bg.darker());
    return "background: " + b + "; foreground: #ffffff; hoverBackground: " + hover + "; pressedBackground: "
        + pressed + "; borderWidth: 0; focusedBorderColor: " + pressed + "; disabledBackground: " + hex(tint(bg))
        + "; disabledText: " + hex(muted()) + "; font: bold"
        // the same when it is the window's default button (Enter)
        + "; default.background: " + b + "; default.foreground: #ffffff; default.hoverBackground: " + hover
        + "; default.pressedBackground: " + pressed + "; default.focusedBackground: " + b
        + "; default.borderWidth: 0; default.focusedBorderColor: " + pressed;
  }
}
