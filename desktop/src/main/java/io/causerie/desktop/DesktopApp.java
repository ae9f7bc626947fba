package io.causerie.desktop;

import io.causerie.client.ClientConfig;
import io.causerie.client.SignInException;
import io.causerie.client.SignallingClient;
import io.causerie.protocol.ErrorCode;
import io.causerie.protocol.scram.ScramClient;
import java.awt.CardLayout;
import java.awt.Dimension;
import java.awt.Frame;
import java.awt.event.KeyEvent;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.swing.JComponent;
import javax.swing.JFrame;
import javax.swing.JPanel;
import javax.swing.KeyStroke;
import javax.swing.SwingUtilities;
import javax.swing.WindowConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The desktop app: one window that shows the login screen or the main screen, and the wiring between the views,
 * the {@link SignallingClient} and the settings. Everything here runs on the Swing event thread; anything that
 * may wait (name lookup, opening sockets, signing out, device lists, writing preferences) runs on a background
 * thread and comes back with {@link SwingUtilities#invokeLater}.
 */
public final class DesktopApp implements LoginView.Actions, MainView.Actions, DesktopSession.Host {
  private static final Logger log = LoggerFactory.getLogger(DesktopApp.class);

  public static final String TITLE = "Causerie";
  static final Dimension SIZE = new Dimension(1000, 660);
  static final Dimension MIN_SIZE = new Dimension(820, 560);

  private final DesktopOptions options;
  private final SettingsStore store;
  private final Ringer ringer;
  private final ExecutorService background;
  private final JFrame frame = new JFrame(TITLE);
  private final CardLayout cards = new CardLayout();
  private final JPanel content = new JPanel(cards);
  private final LoginView loginView;
  private final MainView mainView;
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  /** The session being signed in or signed in; null on the login screen when idle. */
  private DesktopSession session;
  /** The session whose sign-in is under way, or null. */
  private DesktopSession pending;
  private boolean shuttingDown;

  private DesktopApp(DesktopOptions options) {
    this.options = options;
    this.store = options.store() != null ? options.store() : SettingsStore.forCurrentUser();
    AtomicInteger n = new AtomicInteger();
    this.background = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "causerie-desktop-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.ringer = options.ringer() != null ? options.ringer() : new ToneRinger(() -> {
      DesktopSession s = session;
      return s == null ? null : s.settings().outputDevice();
    });
    Look.apply(options.theme() != null ? options.theme() : store.lastTheme());
    loginView = new LoginView(this);
    mainView = new MainView(this, options.zone());
    mainView.setLevels(options.audio().levels());
    content.add(loginView, "login");
    content.add(mainView, "main");
    frame.setContentPane(content);
    frame.setIconImages(Icons.windowImages());
    frame.setDefaultCloseOperation(WindowConstants.DO_NOTHING_ON_CLOSE);
    frame.addWindowListener(new WindowAdapter() {
      @Override
      public void windowClosing(WindowEvent e) {
        quit();
      }
    });
    frame.getRootPane().registerKeyboardAction(e -> {
      if (pending != null) {
        cancelSignIn();
      }
    }, KeyStroke.getKeyStroke(KeyEvent.VK_ESCAPE, 0), JComponent.WHEN_IN_FOCUSED_WINDOW);
    frame.setSize(SIZE);
    frame.setMinimumSize(MIN_SIZE);
    frame.setLocationRelativeTo(null);
    showLogin(options.server() != null ? options.server() : store.lastServer(),
        options.user() != null ? options.user() : store.lastUser());
  }

  /**
   * Opens the app's window. Call on the event thread. With a password in the options it signs in at once.
   */
  public static DesktopApp open(DesktopOptions options) {
    if (!SwingUtilities.isEventDispatchThread()) {
      throw new IllegalStateException("open the desktop app on the event thread");
    }
    DesktopApp app = new DesktopApp(options);
    app.frame.setVisible(true);
    app.loginView.focusFirstEmpty();
    if (options.password() != null) {
      app.signIn(app.loginView.serverText(), app.loginView.userText(), options.password().clone());
    }
    return app;
  }

  public JFrame frame() {
    return frame;
  }

  /** Completes once the window is closed and the client has signed out. */
  public CompletableFuture<Void> closed() {
    return closed;
  }

  public LoginView loginView() {
    return loginView;
  }

  public MainView mainView() {
    return mainView;
  }

  /** The current session's state, or null when not signed in. For tests. */
  public MainState state() {
    DesktopSession s = session;
    return s == null || s == pending ? null : s.model.state();
  }

  /** Whether the main screen shows. */
  public boolean signedIn() {
    return session != null && pending == null && mainView.isShowing();
  }

  // ------------------------------------------------------------------ login

  @Override
  public void signIn(String serverText, String user, char[] password) {
    if (pending != null || shuttingDown) {
      return;
    }
    String missing = LoginErrors.validate(serverText, user, password);
    if (missing != null) {
      loginView.error(missing);
      loginView.focusFirstEmpty();
      Arrays.fill(password, '\0');
      return;
    }
    loginView.busy(true, "Connecting to " + serverText + "\u2026");
    DesktopSession s = new DesktopSession(serverText, user, password, Settings.DEFAULTS, this, options.audio(),
        ringer, options.clock());
    pending = s;
    session = s;
    background.execute(() -> connect(s));
  }

  /** Background thread: resolve, check, open the client, start signing in. */
  private void connect(DesktopSession s) {
    SignallingClient client;
    Settings settings;
    try {
      InetSocketAddress address = ClientConfig.parseServer(s.serverText);
      if (address.isUnresolved()) {
        throw new UnknownHostException(address.getHostString());
      }
      String resolved = address.getAddress().getHostAddress() + ":" + address.getPort();
      settings = store.load(s.user);
      ScramClient.withRandomNonce(s.user, s.password, new java.security.SecureRandom()); // checks the user name
      ClientConfig config = ClientConfig.of(address, s.user, s.password)
          .withCodecs(settings.codecs())
          .withConnectTimeout(options.connectTimeout())
          // The real user's app remembers servers for good; an app with a settings store of its own (tests,
          // screenshots) remembers them for this run only.
          .withKnownServers(options.store() == null ? ClientConfig.defaultKnownServers() : null);
      client = new SignallingClient(config, new ClientEvents(e -> SwingUtilities.invokeLater(
          () -> s.onClientEvent(e))));
      s.attach(client);
      SwingUtilities.invokeLater(() -> {
        s.resolved = resolved;
        s.settings(settings);
      });
    } catch (Exception e) {
      SwingUtilities.invokeLater(() -> signInFinished(s, e));
      return;
    }
    log.info("signing in to {} as {}", s.serverText, s.user);
    client.connect().whenComplete((v, failure) -> SwingUtilities.invokeLater(() -> signInFinished(s, failure)));
  }

  private void signInFinished(DesktopSession s, Throwable failure) {
    if (pending != s) {
      // Cancelled meanwhile (or the window closed): make sure this client goes away.
      closeInBackground(s);
      return;
    }
    pending = null;
    if (failure != null) {
      session = null;
      closeInBackground(s);
      Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
          ? failure.getCause() : failure;
      log.info("sign-in to {} as {} failed: {}", s.serverText, s.user, cause.toString());
      loginView.busy(false, null);
      loginView.error(LoginErrors.describe(cause, s.serverText, s.resolved));
      if (cause instanceof SignInException se && se.code() == ErrorCode.AUTH_FAILED) {
        loginView.clearPassword();
        loginView.focusPassword();
      } else if (cause instanceof SignInException se && se.code() == null || cause instanceof UnknownHostException
          || cause instanceof IllegalArgumentException) {
        loginView.focusServer();
      }
      return;
    }
    store.rememberLogin(s.serverText, s.user);
    Settings settings = s.settings();
    if (options.theme() == null && settings.theme() != Look.theme()) {
      Look.apply(settings.theme());
    }
    loginView.busy(false, null);
    loginView.clearPassword();
    frame.setTitle(TITLE + " \u2014 " + s.user);
    frame.getRootPane().setDefaultButton(null);
    mainView.clearFilter();
    cards.show(content, "main");
    render(s);
    mainView.focusContacts();
  }

  @Override
  public void cancelSignIn() {
    DesktopSession s = pending;
    if (s == null) {
      return;
    }
    pending = null;
    session = null;
    closeInBackground(s);
    loginView.busy(false, null);
    loginView.error(null);
    loginView.focusPassword();
  }

  private void showLogin(String serverText, String user) {
    frame.setTitle(TITLE);
    loginView.busy(false, null);
    loginView.fill(serverText, user);
    loginView.clearPassword();
    frame.getRootPane().setDefaultButton(loginView.signInButton());
    cards.show(content, "login");
  }

  // ------------------------------------------------------------------ main screen

  @Override
  public void call(String peer) {
    withSession(s -> s.call(peer));
  }

  @Override
  public void accept() {
    withSession(DesktopSession::accept);
  }

  @Override
  public void refuse() {
    withSession(DesktopSession::refuse);
  }

  @Override
  public void hangup() {
    withSession(DesktopSession::hangup);
  }

  @Override
  public void toggleMute() {
    withSession(DesktopSession::toggleMute);
  }

  @Override
  public void filter(String text) {
    withSession(s -> s.filter(text));
  }

  @Override
  public void dismissNotice(long id) {
    withSession(s -> s.dismissNotice(id));
  }

  @Override
  public void settings() {
    DesktopSession s = session;
    if (s == null || pending != null) {
      return;
    }
    background.execute(() -> {
      List<String> inputs = AudioDevices.inputs();
      List<String> outputs = AudioDevices.outputs();
      SwingUtilities.invokeLater(() -> {
        if (session != s || s.closed()) {
          return;
        }
        SettingsDialog d = new SettingsDialog(frame, s.user, s.settings(), inputs, outputs, next -> saveSettings(s,
            next));
        d.setVisible(true);
      });
    });
  }

  private void saveSettings(DesktopSession s, Settings next) {
    s.settings(next);
    store.save(s.user, next);
    background.execute(store::flush);
    if (next.theme() != Look.theme()) {
      Look.apply(next.theme());
    }
    render(s);
  }

  @Override
  public void signOut() {
    DesktopSession s = session;
    if (s == null || pending != null) {
      return;
    }
    session = null;
    s.close();
    closeInBackground(s);
    showLogin(s.serverText, s.user);
    loginView.error(null);
    loginView.focusPassword();
  }

  private void withSession(java.util.function.Consumer<DesktopSession> action) {
    DesktopSession s = session;
    if (s != null && pending == null && !s.closed()) {
      action.accept(s);
    }
  }

  // ------------------------------------------------------------------ DesktopSession.Host

  @Override
  public void render(DesktopSession s) {
    if (s == session && pending == null) {
      MainState state = s.model.state();
      mainView.render(state, s.now());
      frame.setTitle(title(state));
    }
  }

  /** The window title: who is signed in, or the call, so the task bar tells what is going on. */
  static String title(MainState s) {
    CallView c = s.call();
    if (c == null) {
      return TITLE + " \u2014 " + s.user();
    }
    return switch (c.phase()) {
      case RINGING_IN -> "Incoming call from " + c.peer() + " \u2014 " + TITLE;
      case ACTIVE -> "In call with " + c.peer() + " \u2014 " + TITLE;
      default -> "Calling " + c.peer() + " \u2014 " + TITLE;
    };
  }

  @Override
  public void tick(DesktopSession s) {
    if (s == session) {
      mainView.tick(s.now());
    }
  }

  @Override
  public void bringToFront() {
    if ((frame.getExtendedState() & Frame.ICONIFIED) != 0) {
      frame.setExtendedState(frame.getExtendedState() & ~Frame.ICONIFIED);
    }
    frame.toFront();
    frame.requestFocus();
  }

  @Override
  public void signedOut(DesktopSession s, String reason) {
    if (s != session) {
      return;
    }
    signOut();
    loginView.error(reason);
  }

  // ------------------------------------------------------------------ closing

  /** Closes the window: signs out in the background, then disposes of it. */
  public void quit() {
    if (shuttingDown) {
      return;
    }
    shuttingDown = true;
    DesktopSession s = session;
    session = null;
    pending = null;
    frame.setVisible(false);
    if (s != null) {
      s.close();
    }
    background.execute(() -> {
      if (s != null) {
        closeClient(s);
      }
      store.flush();
      SwingUtilities.invokeLater(() -> {
        frame.dispose();
        background.shutdown();
        closed.complete(null);
      });
    });
  }

  private void closeInBackground(DesktopSession s) {
    s.close();
    try {
      background.execute(() -> closeClient(s));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // The window is gone already (a sign-in finished after quitting): close on a thread of its own.
      Thread t = new Thread(() -> closeClient(s), "causerie-desktop-close");
      t.setDaemon(true);
      t.start();
    }
  }

  /** Background thread: sign out (waits for the server briefly) and forget the password. */
  private static void closeClient(DesktopSession s) {
    SignallingClient client = s.client();
    if (client != null) {
      client.close();
    }
    Arrays.fill(s.password, '\0');
  }
}
