package io.causerie.desktop;

import io.causerie.client.ClientConfig;
import java.time.Duration;
import java.time.ZoneId;
import java.util.function.LongSupplier;

/**
 * How the desktop app starts: what to pre-fill on the login screen, where settings live, and the parts tests and
 * the voice integration replace.
 *
 * @param server server address to pre-fill, or null for the remembered one
 * @param user user name to pre-fill, or null for the remembered one
 * @param password when not null, sign in at once with it (from {@code --password-file})
 * @param store where settings and the last login are kept, or null for the current OS user's preferences
 * @param audio the voice path ({@link SilentCallAudio} until the voice integration)
 * @param ringer the ring tone, or null for a {@link ToneRinger} on the user's output device
 * @param connectTimeout how long the first sign-in may take before the server counts as unreachable
 * @param clock wall-clock epoch milliseconds
 * @param zone time zone of the history's times
 * @param theme a theme to force, or null for the remembered one
 */
public record DesktopOptions(
    String server,
    String user,
    char[] password,
    SettingsStore store,
    CallAudio audio,
    Ringer ringer,
    Duration connectTimeout,
    LongSupplier clock,
    ZoneId zone,
    Theme theme) {

  /** The defaults: remembered values, the real preferences, no voice yet, a real ring tone. */
  public static DesktopOptions defaults() {
    return new DesktopOptions(null, null, null, null, new SilentCallAudio(), null,
        ClientConfig.DEFAULT_CONNECT_TIMEOUT, System::currentTimeMillis, ZoneId.systemDefault(), null);
  }

  public DesktopOptions withLogin(String s, String u, char[] pw) {
    return new DesktopOptions(s, u, pw, store, audio, ringer, connectTimeout, clock, zone, theme);
  }

  public DesktopOptions withStore(SettingsStore s) {
    return new DesktopOptions(server, user, password, s, audio, ringer, connectTimeout, clock, zone, theme);
  }

  public DesktopOptions withAudio(CallAudio a) {
    return new DesktopOptions(server, user, password, store, a, ringer, connectTimeout, clock, zone, theme);
  }

  public DesktopOptions withRinger(Ringer r) {
    return new DesktopOptions(server, user, password, store, audio, r, connectTimeout, clock, zone, theme);
  }

  public DesktopOptions withConnectTimeout(Duration d) {
    return new DesktopOptions(server, user, password, store, audio, ringer, d, clock, zone, theme);
  }

  public DesktopOptions withClock(LongSupplier c, ZoneId z) {
    return new DesktopOptions(server, user, password, store, audio, ringer, connectTimeout, c, z, theme);
  }

  public DesktopOptions withTheme(Theme t) {
    return new DesktopOptions(server, user, password, store, audio, ringer, connectTimeout, clock, zone, t);
  }
}
