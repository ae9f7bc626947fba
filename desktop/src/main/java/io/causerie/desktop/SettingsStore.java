package io.causerie.desktop;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the last server and user name, and each user's {@link Settings}, in {@link Preferences} (on Linux
 * under {@code ~/.java/.userPrefs/io/causerie/desktop}). Passwords are never stored.
 *
 * <p>Layout: {@code <root>/server}, {@code <root>/user}, {@code <root>/theme} (the last theme, used on the
 * login screen), and {@code <root>/users/<name>/{input,output,codecs,jitterCapMillis,theme}}.
 */
public final class SettingsStore {
  private static final Logger log = LoggerFactory.getLogger(SettingsStore.class);

  /** Where the app keeps its preferences under the user root. */
  public static final String NODE = "io/causerie/desktop";
  /** The server address pre-filled on first start. */
  public static final String DEFAULT_SERVER = "localhost";

  private final Preferences root;

  public SettingsStore(Preferences root) {
    this.root = root;
  }

  /** The store under the current OS user's preferences. */
  public static SettingsStore forCurrentUser() {
    return new SettingsStore(Preferences.userRoot().node(NODE));
  }

  public String lastServer() {
    return root.get("server", DEFAULT_SERVER);
  }

  public String lastUser() {
    return root.get("user", "");
  }

  /** The theme last used by anyone, for the login screen. */
  public Theme lastTheme() {
    return Theme.parse(root.get("theme", ""), Theme.LIGHT);
  }

  /** Remembers the server and user name of a successful sign-in (never the password). */
  public void rememberLogin(String server, String user) {
    root.put("server", server);
    root.put("user", user);
  }

  public Settings load(String user) {
    Preferences p = userNode(user);
    return new Settings(
        p.get("input", ""),
        p.get("output", ""),
        Arrays.asList(p.get("codecs", String.join(",", Settings.DEFAULTS.codecs())).split(",")),
        p.getInt("jitterCapMillis", Settings.DEFAULT_JITTER_CAP_MILLIS),
        Theme.parse(p.get("theme", ""), lastTheme()));
  }

  public void save(String user, Settings s) {
    Preferences p = userNode(user);
    p.put("input", s.inputDevice() == null ? "" : s.inputDevice());
    p.put("output", s.outputDevice() == null ? "" : s.outputDevice());
    p.put("codecs", String.join(",", s.codecs()));
    p.putInt("jitterCapMillis", s.jitterBufferCapMillis());
    p.put("theme", s.theme().name());
    root.put("theme", s.theme().name());
  }

  /** Writes everything to disk now (file I/O: not on the event thread). */
  public void flush() {
    try {
      root.flush();
    } catch (BackingStoreException | IllegalStateException e) {
      log.warn("could not save the preferences: {}", e.toString());
    }
  }

  /** The preference node of one user; names that are not valid node names are hashed. */
  Preferences userNode(String user) {
    return root.node("users").node(nodeName(user));
  }

  static String nodeName(String user) {
    if (user.matches("[A-Za-z0-9._@-]{1,64}")) {
      return user;
    }
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(user.getBytes(StandardCharsets.UTF_8));
      return "u-" + HexFormat.of().formatHex(h, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
