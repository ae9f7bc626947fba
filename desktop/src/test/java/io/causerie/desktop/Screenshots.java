package io.causerie.desktop;

import io.causerie.client.RecordingListener;
import io.causerie.client.ServerFixture;

import io.causerie.client.SignallingClient;
import java.awt.GraphicsEnvironment;
import java.awt.Window;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicLong;
import java.util.prefs.Preferences;
import javax.swing.JFrame;
import javax.swing.RootPaneContainer;

/**
 * Writes the screenshots of docs/DESKTOP.md: starts a real server on loopback, drives the real app into each
 * screen in both themes with headless clients on the other end, and paints the window into PNG files.
 *
 * <pre>java -cp CLASSPATH io.causerie.desktop.Screenshots docs/screenshots</pre>
 *
 * Needs a display (run under {@code xvfb-run -a} on a server).
 */
public final class Screenshots {
  /** A fixed afternoon, so that the history's times read the same on every run. */
  private static final Instant START = Instant.parse("2025-06-12T14:02:00Z");
  private static final ZoneId ZONE = ZoneId.of("UTC");
  private static final Duration T = Duration.ofSeconds(10);

  private final Path out;
  private final ServerFixture fx;
  private final AtomicLong skewMillis = new AtomicLong();
  private volatile long t0 = System.nanoTime();
  private final RecordingCallAudio audio = new RecordingCallAudio();

  private Screenshots(Path out, ServerFixture fx) {
    this.out = out;
    this.fx = fx;
  }

  public static void main(String[] args) throws Exception {
    System.setProperty("awt.useSystemAAFontSettings", "on");
    System.setProperty("swing.aatext", "true");
    if (GraphicsEnvironment.isHeadless()) {
      System.err.println("Screenshots: no display; run under xvfb-run -a");
      System.exit(1);
    }
    Path out = Path.of(args.length > 0 ? args[0] : "docs/screenshots");
    Files.createDirectories(out);
    Path dir = Files.createTempDirectory("causerie-screenshots");
    Preferences prefs = new MemoryPreferences().node(SettingsStore.NODE);
    try (ServerFixture fx = new ServerFixture(dir, "alice", "bob", "carol", "dave", "erin", "frank").start()) {
      Screenshots s = new Screenshots(out, fx);
      for (Theme theme : Theme.values()) {
        s.run(theme, new SettingsStore(prefs));
      }
    }
    System.out.println("screenshots written to " + out.toAbsolutePath());
    System.exit(0);
  }

  private long now() {
    return START.toEpochMilli() + (System.nanoTime() - t0) / 1_000_000 + skewMillis.get();
  }

  private void run(Theme theme, SettingsStore store) throws Exception {
    String suffix = "-" + theme.name().toLowerCase(java.util.Locale.ROOT) + ".png";
    t0 = System.nanoTime();
    skewMillis.set(0);
    RecordingListener bobEvents = new RecordingListener();
    RecordingListener frankEvents = new RecordingListener();
    RecordingListener carolEvents = new RecordingListener();
    RecordingListener daveEvents = new RecordingListener();
    SignallingClient bob = fx.connect("bob", bobEvents);
    SignallingClient frank = fx.connect("frank", frankEvents);
    SignallingClient carol = fx.connect("carol", carolEvents);
    SignallingClient dave = fx.connect("dave", daveEvents);
    carol.call("dave");
    daveEvents.await("incoming", T);
    dave.answer();
    carolEvents.await("call-started", T);

    // alice chose this theme last time: the login screen and the settings show it.
    store.save("alice", Settings.DEFAULTS.withTheme(theme));
    DesktopOptions options = DesktopOptions.defaults()
        .withStore(store)
        .withAudio(audio)
        .withRinger(Ringer.SILENT)
        .withClock(this::now, ZONE)
        .withLogin(fx.addressText(), "alice", null);
    DesktopApp app = Gui.onEdt(() -> DesktopApp.open(options));
    JFrame frame = app.frame();

    // Login, with a password typed in.
    Gui.type(frame, "password", "correct horse");
    Gui.run(() -> frame.getRootPane().requestFocusInWindow());
    shot(frame, "login" + suffix);

    // A wrong password.
    Gui.type(frame, "password", "wrong");
    Gui.click(frame, "signIn");
    Gui.await("the sign-in error", () -> app.loginView().errorMessage() != null);
    shot(frame, "login-error" + suffix);

    // Signed in, with a few calls behind us.
    Gui.type(frame, "password", new String(ServerFixture.password("alice")));
    Gui.click(frame, "signIn");
    Gui.await("the main screen", app::signedIn);
    Gui.await("five contacts", () -> app.state().contacts().size() == 5
        && app.state().contacts().get(0).presence() == io.causerie.protocol.PresenceState.ONLINE
        && app.state().onlineCount() == 4);

    bob.call("alice");
    Gui.await("bob's call rings", () -> app.state().call() != null);
    skewMillis.addAndGet(12_000);
    bob.hangup();
    Gui.await("the missed call", () -> app.state().call() == null && app.state().missedCount() == 1);
    skewMillis.addAndGet(9 * 60_000);

    Gui.run(() -> app.mainView().selectContact("frank"));
    Gui.click(frame, "call");
    frankEvents.await("incoming", T);
    frank.answer();
    Gui.await("the call to frank", () -> app.state().call() != null && app.state().call().active());
    skewMillis.addAndGet(134_000);
    Gui.click(frame, "hangup");
    Gui.await("the call to frank ends", () -> app.state().call() == null);
    frankEvents.await("call-ended", T);
    skewMillis.addAndGet(23 * 60_000);

    Gui.run(() -> app.mainView().selectContact("bob"));
    Gui.click(frame, "call");
    bobEvents.await("incoming", T);
    bob.refuse();
    Gui.await("bob refuses", () -> app.state().call() == null && app.state().history().size() == 3);
    skewMillis.addAndGet(4 * 60_000);
    Gui.run(() -> {
      app.mainView().selectContact("frank");
      app.mainView().focusContacts();
    });
    Gui.await("frank selected", () -> "frank".equals(app.mainView().selectedContact()));
    shot(frame, "main" + suffix);

    // bob calls.
    bob.call("alice");
    Gui.await("the ringing panel", () -> Gui.showing(frame, "accept"));
    shot(frame, "incoming" + suffix);

    // In a call, with a quality report.
    Gui.click(frame, "accept");
    Gui.await("in call with bob", () -> app.state().call() != null && app.state().call().active());
    bobEvents.await("call-started", T);
    audio.report(true, new CallQuality(4.3, 0.4, 6, 42, 60));
    Gui.await("the quality badge", () -> app.state().call().quality() != null);
    audio.micDbfs = -18;
    audio.speakerDbfs = -24;
    Gui.await("the level meters", () -> Gui.onEdt(() -> Gui.find(frame, "micLevel", LevelBar.class).level() > -19
        && Gui.find(frame, "speakerLevel", LevelBar.class).level() > -25));
    skewMillis.addAndGet(207_000);
    Gui.run(() -> app.mainView().tick(now()));
    shot(frame, "in-call" + suffix);
    Gui.key(frame.getRootPane(), java.awt.event.KeyEvent.VK_ESCAPE, 0);
    Gui.await("the call ends", () -> app.state().call() == null);
    audio.micDbfs = LevelMeter.FLOOR_DBFS;
    audio.speakerDbfs = LevelMeter.FLOOR_DBFS;

    // Settings.
    Gui.run(app::settings);
    Gui.await("the settings dialog", () -> Gui.window("settingsDialog") != null);
    Window dialog = Gui.onEdt(() -> Gui.window("settingsDialog"));
    shot((RootPaneContainer) dialog, "settings" + suffix);
    Gui.click(((RootPaneContainer) dialog).getRootPane(), "settingsCancel");
    Gui.await("the settings dialog closes", () -> Gui.window("settingsDialog") == null);

    Gui.run(app::quit);
    app.closed().get();
    for (SignallingClient c : new SignallingClient[] {bob, frank, carol, dave}) {
      c.close();
    }
  }

  private void shot(RootPaneContainer window, String name) throws Exception {
    Gui.run(() -> {
      window.getRootPane().revalidate();
      window.getRootPane().repaint();
    });
    // Let pending layout and paint events run before painting.
    Gui.run(() -> {});
    java.awt.image.BufferedImage img = Gui.onEdt(() -> Gui.paint(window.getRootPane()));
    Path file = out.resolve(name);
    Gui.writePng(img, file);
    System.out.println("wrote " + file + " (" + Files.size(file) / 1024 + " KB)");
  }
}
