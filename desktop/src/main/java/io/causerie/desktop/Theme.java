package io.causerie.desktop;

/** The two looks of the app. */
public enum Theme {
  LIGHT("Light"),
  DARK("Dark");

  private final String label;

  Theme(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  @Override
  public String toString() {
    return label;
  }

  /** The theme named {@code s} (either spelling), or {@code fallback}. */
  public static Theme parse(String s, Theme fallback) {
    for (Theme t : values()) {
      if (t.name().equalsIgnoreCase(s) || t.label.equalsIgnoreCase(s)) {
        return t;
      }
    }
    return fallback;
  }
}
