package io.causerie.desktop;

import io.causerie.client.ClientConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One user's settings, kept by {@link SettingsStore}.
 *
 * @param inputDevice the microphone's mixer name, or null for the system default
 * @param outputDevice the speaker's mixer name, or null for the system default
 * @param codecs the codecs to offer, best first: always a permutation of {@link ClientConfig#DEFAULT_CODECS}
 * @param jitterBufferCapMillis the most playout delay the jitter buffer may add
 * @param theme light or dark
 */
public record Settings(
    String inputDevice, String outputDevice, List<String> codecs, int jitterBufferCapMillis, Theme theme) {

  /** Smallest jitter-buffer cap offered: two 20 ms frames. */
  public static final int MIN_JITTER_CAP_MILLIS = 40;
  /** Largest jitter-buffer cap offered: more than this is a walkie-talkie, not a call. */
  public static final int MAX_JITTER_CAP_MILLIS = 1000;
  /** Default cap: the media module's default (200 ms). */
  public static final int DEFAULT_JITTER_CAP_MILLIS = 200;

  public static final Settings DEFAULTS =
      new Settings(null, null, ClientConfig.DEFAULT_CODECS, DEFAULT_JITTER_CAP_MILLIS, Theme.LIGHT);

  public Settings {
    inputDevice = blankToNull(inputDevice);
    outputDevice = blankToNull(outputDevice);
    codecs = normalizeCodecs(codecs);
    jitterBufferCapMillis = Math.max(MIN_JITTER_CAP_MILLIS, Math.min(MAX_JITTER_CAP_MILLIS, jitterBufferCapMillis));
    theme = theme == null ? Theme.LIGHT : theme;
  }

  public AudioSettings audio() {
    return new AudioSettings(inputDevice, outputDevice, jitterBufferCapMillis);
  }

  public Settings withTheme(Theme t) {
    return new Settings(inputDevice, outputDevice, codecs, jitterBufferCapMillis, t);
  }

  /**
   * The known codecs in the given order, unknown names dropped and missing ones appended in the default order,
   * so a hand-edited or outdated preference never leaves the client without a codec.
   */
  public static List<String> normalizeCodecs(List<String> order) {
    List<String> out = new ArrayList<>();
    if (order != null) {
      for (String c : order) {
        String n = c == null ? "" : c.strip().toLowerCase(Locale.ROOT);
        if (ClientConfig.DEFAULT_CODECS.contains(n) && !out.contains(n)) {
          out.add(n);
        }
      }
    }
    for (String c : ClientConfig.DEFAULT_CODECS) {
      if (!out.contains(c)) {
        out.add(c);
      }
    }
    return List.copyOf(out);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
