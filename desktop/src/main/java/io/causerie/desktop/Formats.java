package io.causerie.desktop;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** How times and durations are written on screen. */
public final class Formats {
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm");

  private Formats() {}

  /** A duration as {@code m:ss}, or {@code h:mm:ss} from an hour on. */
  public static String elapsed(long millis) {
    long s = Math.max(0, millis) / 1000;
    long h = s / 3600;
    long m = (s / 60) % 60;
    long sec = s % 60;
    return h > 0 ? String.format("%d:%02d:%02d", h, m, sec) : String.format("%d:%02d", m, sec);
  }

  /** The wall-clock time of day ({@code HH:mm}) of an epoch-millisecond instant in {@code zone}. */
  public static String clock(long epochMillis, ZoneId zone) {
    return CLOCK.format(Instant.ofEpochMilli(epochMillis).atZone(zone));
  }

  /** The text with its first letter in upper case (server messages start in lower case). */
  public static String sentence(String text) {
    if (text == null || text.isEmpty()) {
      return "";
    }
    return Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }
}
