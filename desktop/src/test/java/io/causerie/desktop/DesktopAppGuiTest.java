package io.causerie.desktop;

import io.causerie.client.CallInfo;
import io.causerie.client.RecordingListener;
import io.causerie.client.ServerFixture;

import static org.assertj.core.api.Assertions.assertThat;

import io.causerie.client.SignallingClient;
import io.causerie.protocol.EndReason;
import io.causerie.protocol.PresenceState;
import java.awt.GraphicsEnvironment;
import java.awt.Window;
import java.awt.event.KeyEvent;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.prefs.Preferences;
import javax.swing.JButton;
import javax.swing.JFrame;
import javax.swing.JList;
import javax.swing.JSpinner;
import javax.swing.JTable;
import javax.swing.RootPaneContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real app in a real window, against a real server on loopback, with headless clients on the other end.
 * Needs a display (run under {@code xvfb-run -a}); skipped without one.
 */
class DesktopAppGuiTest {
  private static final Duration T = Duration.ofSeconds(10);

  @TempDir Path dir;
  private ServerFixture fx;
  private Preferences prefs;
  private SettingsStore store;
  private final RecordingCallAudio audio = new RecordingCallAudio();
  private final RecordingRinger ringer = new RecordingRinger();
  private DesktopApp app;
  private JFrame frame;

  @BeforeEach
  void setUp() throws Exception {
    Assumptions.assumeFalse(GraphicsEnvironment.isHeadless(), "no display: the GUI tests need one (xvfb-run -a)");
    fx = new ServerFixture(dir, "alice", "bob", "carol").noAnswerTimeout(Duration.ofSeconds(2)).start();
    prefs = new MemoryPreferences().node(SettingsStore.NODE);
    store = new SettingsStore(prefs);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (app != null) {
      Gui.run(app::quit);
      app.closed().get();
    }
    if (fx != null) {
      fx.close();
    }
  }

  private DesktopOptions options() {
    return DesktopOptions.defaults()
        .withStore(store)
        .withAudio(audio)
        .withRinger(ringer)
        .withConnectTimeout(Duration.ofSeconds(2))
        .withLogin(fx.addressText(), "alice", null);
  }

  private void open(DesktopOptions o) {
    app = Gui.onEdt(() -> DesktopApp.open(o));
    frame = app.frame();
  }

  private void signInAsAlice() {
    open(options());
    Gui.type(frame, "password", "alice-pw");
    Gui.click(frame, "signIn");
    Gui.await("the main screen", app::signedIn);
  }

  private MainState state() {
    return Gui.onEdt(app::state);
  }

  private PresenceState shownPresence(String user) {
    return Gui.onEdt(() -> {
      @SuppressWarnings("unchecked")
      JList<ContactRow> list = Gui.find(frame, "contacts", JList.class);
      for (int i = 0; i < list.getModel().getSize(); i++) {
        if (list.getModel().getElementAt(i).name().equals(user)) {
          return list.getModel().getElementAt(i).presence();
        }
      }
      return null;
    });
  }

  private String historyCell(int row, int column) {
    return Gui.onEdt(() -> {
      JTable t = Gui.find(frame, "history", JTable.class);
      return ((javax.swing.JLabel) t.prepareRenderer(t.getCellRenderer(row, column), row, column)).getText();
    });
  }

  @Test
  void wrongPasswordThenTheRightOne() {
    open(options());
    assertThat(Gui.text(frame, "server")).isEqualTo(fx.addressText());
    assertThat(Gui.text(frame, "user")).isEqualTo("alice");

    Gui.type(frame, "password", "not-it");
    Gui.click(frame, "signIn");
    Gui.await("the error", () -> app.loginView().errorMessage() != null);
    assertThat(Gui.onEdt(() -> app.loginView().errorMessage())).isEqualTo("Wrong user name or password.");
    assertThat(Gui.text(frame, "password")).isEmpty();
    assertThat(Gui.onEdt(() -> Gui.showing(frame, "loginError"))).isTrue();

    Gui.type(frame, "password", "alice-pw");
    Gui.click(frame, "signIn");
    Gui.await("the main screen", app::signedIn);
    assertThat(Gui.text(frame, "statusUser")).isEqualTo("Signed in as alice on " + fx.addressText());
    assertThat(Gui.text(frame, "connection")).isEqualTo("Connected");
    assertThat(Gui.onEdt(() -> frame.getTitle())).isEqualTo("Causerie \u2014 alice");
    assertThat(store.lastServer()).isEqualTo(fx.addressText());
    assertThat(store.lastUser()).isEqualTo("alice");
    assertThat(Gui.onEdt(() -> Gui.unnamed(frame.getRootPane()))).isEmpty();
  }

  @Test
  void unreachableServerNamesTheAddressTried() throws Exception {
    int closedPort;
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    open(options().withConnectTimeout(Duration.ofMillis(700)).withLogin("127.0.0.1:" + closedPort, "alice", null));
    Gui.type(frame, "password", "alice-pw");
    Gui.click(frame, "signIn");
    Gui.await("progress", () -> Gui.showing(frame, "progress"));
    assertThat(Gui.text(frame, "signIn")).isEqualTo("Cancel");
    Gui.await("the error", () -> app.loginView().errorMessage() != null);
    assertThat(Gui.onEdt(() -> app.loginView().errorMessage()))
        .isEqualTo("Could not reach the server at 127.0.0.1:" + closedPort
            + ". Check the address and that the server is running.");
    assertThat(Gui.text(frame, "signIn")).isEqualTo("Sign in");
    assertThat(Gui.onEdt(() -> Gui.showing(frame, "progress"))).isFalse();
  }

  @Test
  void presenceChangesLive() throws Exception {
    signInAsAlice();
    Gui.await("bob and carol offline", () -> shownPresence("bob") == PresenceState.OFFLINE
        && shownPresence("carol") == PresenceState.OFFLINE);
    assertThat(Gui.text(frame, "contactsCount")).isEqualTo("0 of 2 online");

    RecordingListener b = new RecordingListener();
    RecordingListener c = new RecordingListener();
    SignallingClient bob = fx.connect("bob", b);
    SignallingClient carol = fx.connect("carol", c);
    Gui.await("both online", () -> shownPresence("bob") == PresenceState.ONLINE
        && shownPresence("carol") == PresenceState.ONLINE);
    carol.call("bob");
    b.await("incoming", T);
    bob.answer();
    Gui.await("both in a call", () -> shownPresence("bob") == PresenceState.IN_CALL
        && shownPresence("carol") == PresenceState.IN_CALL);
    bob.close();
    Gui.await("bob offline, carol online, carol first", () -> shownPresence("bob") == PresenceState.OFFLINE
        && shownPresence("carol") == PresenceState.ONLINE
        && state().contacts().get(0).name().equals("carol"));
    assertThat(Gui.text(frame, "contactsCount")).isEqualTo("1 of 2 online");

    Gui.type(frame, "filter", "BO");
    Gui.await("filtered", () -> state().contacts().size() == 1);
    assertThat(state().contacts().get(0).name()).isEqualTo("bob");
  }

  @Test
  void placeACallTheHeadlessClientAnswersMuteAndHangUpWithEscape() throws Exception {
    RecordingListener b = new RecordingListener();
    SignallingClient bob = fx.connect("bob", b);
    signInAsAlice();
    Gui.await("bob online", () -> shownPresence("bob") == PresenceState.ONLINE);
    Gui.run(() -> app.mainView().selectContact("bob"));
    assertThat(Gui.text(frame, "call")).isEqualTo("Call bob");

    // Enter on the contact list calls the selected contact.
    Gui.key(Gui.onEdt(() -> Gui.find(frame, "contacts", JList.class)), KeyEvent.VK_ENTER, 0);
    assertThat(b.await("incoming", T).call().peer()).isEqualTo("alice");
    Gui.await("ringing at bob", () -> state().call() != null && state().call().phase() == CallPhase.RINGING_OUT);
    assertThat(Gui.text(frame, "callStatus")).isEqualTo("Ringing\u2026");
    bob.answer();
    Gui.await("in call", () -> state().call() != null && state().call().active());
    assertThat(Gui.text(frame, "callPeer")).isEqualTo("bob");
    assertThat(audio.started).isTrue();
    assertThat(audio.call.codec()).isEqualTo("opus");
    assertThat(audio.settings.jitterBufferCapMillis()).isEqualTo(Settings.DEFAULT_JITTER_CAP_MILLIS);
    assertThat(Gui.onEdt(() -> Gui.find(frame, "qualityBadge", QualityBadge.class).look().text())).isEqualTo("\u2014");
    assertThat(Gui.onEdt(() -> Gui.showing(frame, "noAudio"))).isFalse();

    // Mute by button, unmute by Ctrl+M.
    Gui.click(frame, "mute");
    assertThat(audio.muted).isTrue();
    assertThat(Gui.text(frame, "mute")).isEqualTo("Unmute");
    assertThat(Gui.onEdt(() -> Gui.showing(frame, "mutedLabel"))).isTrue();
    Gui.key(frame.getRootPane(), KeyEvent.VK_M, KeyEvent.CTRL_DOWN_MASK);
    assertThat(audio.muted).isFalse();
    assertThat(Gui.text(frame, "mute")).isEqualTo("Mute");

    // The level meters follow the voice path's levels, polled every 100 ms; muted, the voice path reports silence.
    assertThat(Gui.onEdt(() -> Gui.showing(frame, "micLevel") && Gui.showing(frame, "speakerLevel"))).isTrue();
    audio.micDbfs = -20;
    audio.speakerDbfs = -9;
    Gui.await("the meters move", () -> Gui.onEdt(() -> Gui.find(frame, "micLevel", LevelBar.class).level() > -21
        && Gui.find(frame, "speakerLevel", LevelBar.class).level() > -10));
    assertThat(Gui.onEdt(() -> Gui.find(frame, "speakerLevel", LevelBar.class).getToolTipText())).isEqualTo("-9 dBFS");
    audio.micDbfs = LevelMeter.FLOOR_DBFS;
    Gui.await("the mic meter falls", () -> Gui.onEdt(() -> Gui.find(frame, "micLevel", LevelBar.class).level()
        < -40));
    assertThat(Gui.onEdt(() -> Gui.find(frame, "micLevel", LevelBar.class).peak())).isGreaterThan(-21.0);

    // The voice path's reports reach the screen.
    audio.report(false, new CallQuality(3.2, 6, 12, 80, 60));
    Gui.await("no incoming audio", () -> Gui.showing(frame, "noAudio"));
    Gui.await("poor quality", () -> "Poor".equals(Gui.find(frame, "qualityBadge", QualityBadge.class).look().text()));
    audio.report(true, new CallQuality(4.3, 0, 3, 40, 40));
    Gui.await("audio back, good", () -> !Gui.showing(frame, "noAudio")
        && "Good".equals(Gui.find(frame, "qualityBadge", QualityBadge.class).look().text()));

    // Esc hangs up.
    Gui.key(frame.getRootPane(), KeyEvent.VK_ESCAPE, 0);
    assertThat(b.await("call-ended", T).reason()).isEqualTo(EndReason.REMOTE_HANGUP);
    Gui.await("idle", () -> state().call() == null && Gui.showing(frame, "idleCard"));
    assertThat(audio.started).isFalse();
    assertThat(audio.log).containsExactly("start bob opus", "mute", "unmute", "stop");
    assertThat(historyCell(0, 1)).isEqualTo("bob");
    assertThat(historyCell(0, 2)).isEqualTo("Answered");
    assertThat(historyCell(0, 4)).matches("0:0\\d");
  }

  @Test
  void incomingCallRingsAndIsAcceptedWithAltA() throws Exception {
    RecordingListener b = new RecordingListener();
    SignallingClient bob = fx.connect("bob", b);
    signInAsAlice();
    bob.call("alice");
    Gui.await("the ringing panel", () -> Gui.showing(frame, "accept") && Gui.showing(frame, "refuse"));
    assertThat(Gui.text(frame, "callPeer")).isEqualTo("bob");
    assertThat(Gui.text(frame, "callKicker")).isEqualTo("INCOMING CALL");
    assertThat(ringer.ringing).isTrue();
    assertThat(Gui.onEdt(frame::getTitle)).isEqualTo("Incoming call from bob \u2014 Causerie");
    assertThat(Gui.onEdt(() -> Gui.unnamed(frame.getRootPane()))).isEmpty();

    Gui.key(frame.getRootPane(), KeyEvent.VK_A, KeyEvent.ALT_DOWN_MASK);
    CallInfo forBob = b.await("call-started", T).call();
    assertThat(forBob.peer()).isEqualTo("alice");
    Gui.await("in call", () -> state().call() != null && state().call().active() && Gui.showing(frame, "hangup"));
    // The window shows the same security code as the other side's client.
    Gui.await("the security code", () -> Gui.showing(frame, "sas"));
    assertThat(Gui.text(frame, "sas")).isEqualTo("Encrypted \u00b7 code " + forBob.sas());
    assertThat(ringer.ringing).isFalse();
    assertThat(Gui.onEdt(() -> Gui.showing(frame, "accept"))).isFalse();

    bob.hangup();
    Gui.await("idle", () -> state().call() == null);
    assertThat(audio.started).isFalse();
    assertThat(Gui.text(frame, "notice")).startsWith("bob hung up (0:0");
    assertThat(historyCell(0, 2)).isEqualTo("Answered");
  }

  @Test
  void incomingCallRefused() throws Exception {
    RecordingListener b = new RecordingListener();
    SignallingClient bob = fx.connect("bob", b);
    signInAsAlice();
    bob.call("alice");
    Gui.await("the ringing panel", () -> Gui.showing(frame, "refuse"));
    Gui.click(frame, "refuse");
    assertThat(b.await("call-ended", T).reason()).isEqualTo(EndReason.REFUSED);
    Gui.await("idle", () -> state().call() == null && Gui.showing(frame, "idleCard"));
    assertThat(ringer.ringing).isFalse();
    assertThat(historyCell(0, 2)).isEqualTo("Refused");
    assertThat(Gui.text(frame, "missedCount")).isEmpty();

    // Alt+R refuses too.
    bob.call("alice");
    Gui.await("ringing again", () -> Gui.showing(frame, "refuse"));
    Gui.key(frame.getRootPane(), KeyEvent.VK_R, KeyEvent.ALT_DOWN_MASK);
    assertThat(b.await("call-ended", T).reason()).isEqualTo(EndReason.REFUSED);
    Gui.await("idle again", () -> state().call() == null && state().history().size() == 2);
  }

  @Test
  void cancelledAndUnansweredCallsAreMarkedMissed() throws Exception {
    RecordingListener b = new RecordingListener();
    SignallingClient bob = fx.connect("bob", b);
    signInAsAlice();
    bob.call("alice");
    Gui.await("ringing", () -> Gui.showing(frame, "accept"));
    bob.hangup();
    assertThat(b.await("call-ended", T).reason()).isEqualTo(EndReason.CANCELLED);
    Gui.await("the panel closes", () -> state().call() == null && !Gui.showing(frame, "accept"));
    assertThat(ringer.ringing).isFalse();
    assertThat(historyCell(0, 2)).isEqualTo("Missed");
    assertThat(Gui.text(frame, "missedCount")).isEqualTo("1 missed");
    assertThat(Gui.text(frame, "notice")).isEqualTo("Missed call from bob.");

    // The server gives up after its no-answer timeout (2 s here).
    bob.call("alice");
    Gui.await("ringing", () -> Gui.showing(frame, "accept"));
    b.await(e -> e.kind().equals("call-ended") && e.reason() == EndReason.NO_ANSWER, "no answer", T);
    Gui.await("the panel closes", () -> state().call() == null && state().missedCount() == 2);
    assertThat(Gui.text(frame, "missedCount")).isEqualTo("2 missed");
    assertThat(ringer.ringing).isFalse();
    assertThat(ringer.starts.get()).isEqualTo(2);
  }

  @Test
  void settingsDeviceTestsShowTheLevelAndTheResult() throws Exception {
    // A microphone that plays a tone slowly (so the meter can be seen to move) and a speaker that takes frames.
    DeviceTest fakes = new DeviceTest(new DeviceTest.Devices() {
      @Override
      public io.causerie.media.audio.FrameSource openCapture(String device) {
        return new io.causerie.media.audio.ToneGenerator(440, 0.5, 48_000);
      }

      @Override
      public io.causerie.media.audio.FrameSink openPlayback(String device) {
        return new io.causerie.media.audio.Silence(48_000);
      }
    }, true);
    SettingsDialog d = Gui.onEdt(() -> {
      SettingsDialog dialog = new SettingsDialog(frame, "alice", Settings.DEFAULTS, java.util.List.of("USB mic"),
          java.util.List.of(), fakes, s -> { });
      dialog.setModalityType(java.awt.Dialog.ModalityType.MODELESS);
      dialog.setVisible(true);
      return dialog;
    });
    try {
      assertThat(Gui.onEdt(() -> Gui.unnamed(d.getRootPane()))).isEmpty();
      Gui.click(d.getRootPane(), "testMicrophone");
      assertThat(Gui.onEdt(d::testing)).isTrue();
      assertThat(Gui.text(d.getRootPane(), "testStatus")).startsWith("Listening to the microphone");
      Gui.await("the test meter moves", () -> Gui.onEdt(() -> Gui.find(d.getRootPane(), "testLevel",
          LevelBar.class).level() > -12));
      Gui.await("the microphone test ends", () -> !Gui.onEdt(d::testing), Duration.ofSeconds(15));
      assertThat(Gui.onEdt(d::testResult)).isEqualTo("The microphone works (loudest -9 dBFS).");
      assertThat(Gui.onEdt(() -> Gui.find(d.getRootPane(), "testLevel", LevelBar.class).level()))
          .isEqualTo(LevelMeter.FLOOR_DBFS);
      // No speaker in the list: the test says so at once.
      Gui.click(d.getRootPane(), "testSpeaker");
      assertThat(Gui.onEdt(d::testResult)).isEqualTo("No audio devices: there is no speaker to test.");
    } finally {
      Gui.run(d::dispose);
    }
  }

  @Test
  void settingsAreSavedPerUser() throws Exception {
    signInAsAlice();
    Gui.click(frame, "settings");
    Gui.await("the settings dialog", () -> Gui.window("settingsDialog") != null);
    Window dialog = Gui.onEdt(() -> Gui.window("settingsDialog"));
    RootPaneContainer d = (RootPaneContainer) dialog;
    assertThat(Gui.onEdt(() -> Gui.unnamed(d.getRootPane()))).isEmpty();
    Gui.run(() -> {
      Gui.find(d.getRootPane(), "jitterCap", JSpinner.class).setValue(120);
      @SuppressWarnings("unchecked")
      JList<String> codecs = Gui.find(d.getRootPane(), "codecs", JList.class);
      codecs.setSelectedIndex(2);
    });
    Gui.click(d.getRootPane(), "codecUp");
    Gui.click(d.getRootPane(), "codecUp");
    // The device tests answer without blocking the dialog, with or without devices on this machine.
    Gui.click(d.getRootPane(), "testSpeaker");
    Gui.await("the speaker test ends", () -> Gui.onEdt(() -> Gui.find(d.getRootPane(), "testSpeaker",
        JButton.class).isEnabled()), Duration.ofSeconds(15));
    assertThat(Gui.text(d.getRootPane(), "testStatus")).matches("(No audio device|Cannot open|Played|The speaker).*");
    Gui.click(d.getRootPane(), "themeDark");
    Gui.click(d.getRootPane(), "settingsSave");
    Gui.await("the dialog closes", () -> Gui.window("settingsDialog") == null);
    try {
      Settings saved = store.load("alice");
      assertThat(saved.jitterBufferCapMillis()).isEqualTo(120);
      assertThat(saved.codecs()).containsExactly("pcma", "opus", "pcmu");
      assertThat(saved.theme()).isEqualTo(Theme.DARK);
      assertThat(Gui.onEdt(Look::theme)).isEqualTo(Theme.DARK);
      assertThat(store.load("bob").jitterBufferCapMillis()).isEqualTo(Settings.DEFAULT_JITTER_CAP_MILLIS);
    } finally {
      Gui.run(() -> Look.apply(Theme.LIGHT));
    }
  }

  @Test
  void signOutReturnsToTheLoginScreenAndOthersSeeUsLeave() throws Exception {
    RecordingListener b = new RecordingListener();
    fx.connect("bob", b);
    signInAsAlice();
    b.await(e -> e.kind().equals("presence") && b.presence.get("alice") == PresenceState.ONLINE, "alice online", T);
    Gui.click(frame, "signOut");
    Gui.await("the login screen", () -> Gui.showing(frame, "loginView"));
    assertThat(Gui.text(frame, "user")).isEqualTo("alice");
    assertThat(Gui.text(frame, "password")).isEmpty();
    b.await(e -> e.kind().equals("presence") && b.presence.get("alice") == PresenceState.OFFLINE, "alice offline",
        T);
  }

  @Test
  void signingInElsewhereSignsThisWindowOut() throws Exception {
    fx.connect("bob", new RecordingListener());
    signInAsAlice();
    Gui.await("bob online", () -> shownPresence("bob") == PresenceState.ONLINE);
    fx.connect("alice", new RecordingListener());
    // The server tells the old session at its next request (here: a call; otherwise the next keepalive).
    Gui.run(() -> app.mainView().selectContact("bob"));
    Gui.click(frame, "call");
    Gui.await("back on the login screen", () -> Gui.showing(frame, "loginView")
        && app.loginView().errorMessage() != null);
    assertThat(Gui.onEdt(() -> app.loginView().errorMessage())).contains("signed in from another place");
  }

  @Test
  void reconnectsByItselfAfterAServerRestart() throws Exception {
    fx.close();
    fx = new ServerFixture(java.nio.file.Files.createDirectories(dir.resolve("restart")), "alice", "bob")
        .timeouts(Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofSeconds(5)).start();
    RecordingListener b = new RecordingListener();
    SignallingClient bob = fx.connect("bob", b);
    signInAsAlice();
    Gui.await("bob online", () -> shownPresence("bob") == PresenceState.ONLINE);

    fx.restart();
    // Both clients learn at their next keepalive that their session is gone, and sign in again by themselves.
    b.await("registered-again", T);
    // Alice is back in bob's list. Not as an event: if alice's app signed in again before bob did, bob's new
    // snapshot shows her online as before the restart, which changes nothing and raises no presence event. So,
    // once the server has both sessions again, bob asks for a fresh list until it shows her.
    long deadline = System.nanoTime() + T.toNanos();
    boolean aliceBack = false;
    while (!aliceBack && System.nanoTime() - deadline < 0) {
      if (fx.server.<Integer>inspect(c -> c.sessionCount()) == 2) {
        bob.who();
        Thread.sleep(200);
        aliceBack = bob.presence().get(5, java.util.concurrent.TimeUnit.SECONDS).get("alice") == PresenceState.ONLINE;
      } else {
        Thread.sleep(50);
      }
    }
    assertThat(aliceBack).as("alice online in bob's list after the restart").isTrue();
    Gui.await("connected and bob online", () -> state().connection() == Connection.CONNECTED
        && shownPresence("bob") == PresenceState.ONLINE);
    Gui.run(() -> app.mainView().selectContact("bob"));
    Gui.click(frame, "call");
    assertThat(b.await("incoming", T).call().peer()).isEqualTo("alice");
    bob.refuse();
    Gui.await("refused", () -> state().call() == null);
    assertThat(Gui.text(frame, "connection")).isEqualTo("Connected");
  }

  @Test
  void aPasswordFileSignsInAtOnce() {
    open(options().withLogin(fx.addressText(), "alice", "alice-pw".toCharArray()));
    Gui.await("the main screen", app::signedIn);
  }
}
