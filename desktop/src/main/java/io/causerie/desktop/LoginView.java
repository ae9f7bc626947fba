package io.causerie.desktop;

import com.formdev.flatlaf.FlatClientProperties;
import java.awt.BorderLayout;
import java.awt.Dimension;
import java.awt.GridBagConstraints;
import java.awt.GridBagLayout;
import java.awt.Insets;
import javax.swing.BorderFactory;
import javax.swing.Box;
import javax.swing.JButton;
import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JPasswordField;
import javax.swing.JProgressBar;
import javax.swing.JTextField;
import javax.swing.SwingConstants;

/**
 * The login screen: server address, user name, password, the sign-in button, progress while connecting and an
 * inline message when it fails. A thin view: {@link DesktopApp} decides what happens.
 */
public final class LoginView extends JPanel {
  /** What the login screen asks of the app. */
  public interface Actions {
    void signIn(String server, String user, char[] password);

    void cancelSignIn();
  }

  private static final int CARD_WIDTH = 340;
  private static final int TEXT_WIDTH = CARD_WIDTH - 48;

  private final JTextField server = new JTextField();
  private final JTextField user = new JTextField();
  private final JPasswordField password = new JPasswordField();
  private final JButton signIn = new JButton("Sign in");
  private final JProgressBar progress = new JProgressBar();
  private final JLabel progressText = Ui.mutedLabel(" ", "small");
  private final Ui.RoundPanel errorBox = new Ui.RoundPanel(new BorderLayout(8, 0), () -> Look.tint(Look.red()), 10);
  private final JLabel errorText = new JLabel();
  private final JLabel errorDot = new JLabel(Icons.dot(8, Look::red));
  private final Actions actions;
  private boolean busy;

  public LoginView(Actions actions) {
    super(new GridBagLayout());
    this.actions = actions;
    Ui.named(this, "loginView", "Sign in");

    JPanel card = new JPanel(new GridBagLayout());
    card.setOpaque(false);

    JLabel logo = new JLabel(Icons.logo(56));
    JLabel title = Ui.label("Causerie", "h1");
    JLabel subtitle = Ui.mutedLabel("Sign in to your voice server", null);
    Ui.named(logo, "logo", "Causerie logo");
    centered(card, logo, 0);
    centered(card, title, 10);
    centered(card, subtitle, 2);
    spacer(card, 22);

    Ui.named(server, "server", "Server address");
    server.putClientProperty(FlatClientProperties.PLACEHOLDER_TEXT, "host or host:port");
    server.setToolTipText("The server's host name or IP address; the port defaults to 6100.");
    Ui.named(user, "user", "User name");
    user.putClientProperty(FlatClientProperties.PLACEHOLDER_TEXT, "your user name");
    Ui.named(password, "password", "Password");
    password.putClientProperty(FlatClientProperties.STYLE, "showRevealButton: true; showCapsLock: true");
    password.putClientProperty(FlatClientProperties.PLACEHOLDER_TEXT, "password");
    Ui.nameChild(password, "PasswordField.revealButton", "Show password");
    addField(card, "Server", server, 'S');
    addField(card, "User name", user, 'U');
    addField(card, "Password", password, 'P');

    errorText.setName("loginError");
    errorText.getAccessibleContext().setAccessibleName("Sign-in error");
    errorText.setForeground(Look.strong(Look.red()));
    errorBox.setBorder(BorderFactory.createEmptyBorder(8, 10, 8, 10));
    JPanel dotBox = new JPanel(new BorderLayout());
    dotBox.setOpaque(false);
    dotBox.setBorder(BorderFactory.createEmptyBorder(5, 0, 0, 0));
    dotBox.add(errorDot, BorderLayout.NORTH);
    errorBox.add(dotBox, BorderLayout.WEST);
    errorBox.add(errorText, BorderLayout.CENTER);
    errorBox.setVisible(false);
    wide(card, errorBox, 4);

    Ui.named(signIn, "signIn", "Sign in");
    signIn.setPreferredSize(new Dimension(CARD_WIDTH, 38));
    styleSignIn();
    signIn.addActionListener(e -> {
      if (busy) {
        actions.cancelSignIn();
      } else {
        actions.signIn(server.getText().strip(), user.getText().strip(), password.getPassword());
      }
    });
    wide(card, signIn, 12);

    Ui.named(progress, "progress", "Signing in");
    progress.setPreferredSize(new Dimension(CARD_WIDTH, 4));
    progress.setVisible(false);
    wide(card, progress, 12);
    Ui.named(progressText, "progressText", "Sign-in progress");
    progressText.setHorizontalAlignment(SwingConstants.CENTER);
    wide(card, progressText, 6);

    JLabel note = Ui.mutedLabel("Your password is never stored.", "small");
    Ui.named(note, "passwordNote", "Your password is never stored");
    note.setHorizontalAlignment(SwingConstants.CENTER);
    wide(card, note, 14);

    GridBagConstraints gc = new GridBagConstraints();
    gc.insets = new Insets(24, 24, 24, 24);
    add(card, gc);
  }

  private static int row(JPanel card) {
    return card.getComponentCount();
  }

  private static void centered(JPanel card, JComponent c, int top) {
    GridBagConstraints gc = new GridBagConstraints();
    gc.gridx = 0;
    gc.gridy = row(card);
    gc.anchor = GridBagConstraints.CENTER;
    gc.insets = new Insets(top, 0, 0, 0);
    card.add(c, gc);
  }

  private static void wide(JPanel card, JComponent c, int top) {
    GridBagConstraints gc = new GridBagConstraints();
    gc.gridx = 0;
    gc.gridy = row(card);
    gc.fill = GridBagConstraints.HORIZONTAL;
    gc.weightx = 1;
    gc.insets = new Insets(top, 0, 0, 0);
    card.add(c, gc);
  }

  private static void spacer(JPanel card, int height) {
    wide(card, (JComponent) Box.createVerticalStrut(height), 0);
  }

  private void styleSignIn() {
    signIn.putClientProperty(FlatClientProperties.STYLE, busy ? "font: bold"
        : Look.filledButtonStyle(javax.swing.UIManager.getColor("Component.accentColor")));
  }

  private static void addField(JPanel card, String text, JComponent field, char mnemonic) {
    JLabel l = Ui.label(text, null);
    l.putClientProperty(FlatClientProperties.STYLE, "font: bold");
    l.setLabelFor(field);
    l.setDisplayedMnemonic(mnemonic);
    field.setPreferredSize(new Dimension(CARD_WIDTH, 34));
    wide(card, l, 0);
    wide(card, field, 5);
    spacer(card, 12);
  }

  /** Pre-fills the form (null leaves a field as it is). */
  public void fill(String serverText, String userText) {
    if (serverText != null) {
      server.setText(serverText);
    }
    if (userText != null) {
      user.setText(userText);
    }
  }

  /** Puts the keyboard focus on the first empty field. */
  public void focusFirstEmpty() {
    if (server.getText().isBlank()) {
      server.requestFocusInWindow();
    } else if (user.getText().isBlank()) {
      user.requestFocusInWindow();
    } else {
      password.requestFocusInWindow();
    }
  }

  /** Shows progress ({@code text}) and turns the button into Cancel, or back. */
  public void busy(boolean on, String text) {
    busy = on;
    progress.setIndeterminate(on);
    progress.setVisible(on);
    progressText.setText(on ? text : " ");
    signIn.setText(on ? "Cancel" : "Sign in");
    styleSignIn();
    signIn.getAccessibleContext().setAccessibleName(on ? "Cancel sign-in" : "Sign in");
    server.setEnabled(!on);
    user.setEnabled(!on);
    password.setEnabled(!on);
    if (on) {
      error(null);
    }
    revalidate();
    repaint();
  }

  /** Shows an error under the form (null hides it). */
  public void error(String text) {
    errorText.setText(text == null ? "" : Ui.wrapped(text, TEXT_WIDTH));
    errorText.setForeground(Look.strong(Look.red()));
    errorText.getAccessibleContext().setAccessibleDescription(text);
    errorBox.setVisible(text != null);
    revalidate();
    repaint();
  }

  /** The error shown, or null. */
  public String errorMessage() {
    return errorBox.isVisible() ? errorText.getAccessibleContext().getAccessibleDescription() : null;
  }

  public boolean isBusy() {
    return busy;
  }

  public void clearPassword() {
    password.setText("");
  }

  public void focusPassword() {
    password.requestFocusInWindow();
    password.selectAll();
  }

  public void focusServer() {
    server.requestFocusInWindow();
    server.selectAll();
  }

  public JButton signInButton() {
    return signIn;
  }

  public String serverText() {
    return server.getText().strip();
  }

  public String userText() {
    return user.getText().strip();
  }

  @Override
  public void updateUI() {
    super.updateUI();
    if (errorText != null) {
      errorText.setForeground(Look.strong(Look.red()));
      styleSignIn();
    }
  }
}
