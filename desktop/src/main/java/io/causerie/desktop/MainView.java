package io.causerie.desktop;

import com.formdev.flatlaf.FlatClientProperties;
import com.formdev.flatlaf.icons.FlatClearIcon;
import com.formdev.flatlaf.icons.FlatSearchIcon;
import java.awt.BorderLayout;
import java.awt.CardLayout;
import java.awt.Color;
import java.awt.Component;
import java.awt.Dimension;
import java.awt.FlowLayout;
import java.awt.Font;
import java.awt.Graphics;
import java.awt.GridBagConstraints;
import java.awt.GridBagLayout;
import java.awt.Insets;
import java.awt.event.KeyEvent;
import java.awt.event.MouseAdapter;
import java.awt.event.MouseEvent;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.swing.AbstractAction;
import javax.swing.BorderFactory;
import javax.swing.Box;
import javax.swing.BoxLayout;
import javax.swing.DefaultListModel;
import javax.swing.JButton;
import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.JList;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JTable;
import javax.swing.JTextField;
import javax.swing.JToggleButton;
import javax.swing.KeyStroke;
import javax.swing.ListCellRenderer;
import javax.swing.ListSelectionModel;
import javax.swing.SwingConstants;
import javax.swing.UIManager;
import javax.swing.event.DocumentEvent;
import javax.swing.event.DocumentListener;
import javax.swing.table.AbstractTableModel;
import javax.swing.table.DefaultTableCellRenderer;
import javax.swing.table.TableColumn;

/**
 * The main screen: contacts with live presence and a filter, the call panel (idle, calling, ringing, in call),
 * the notice line, this session's call history, and the status bar. A thin view: it renders a
 * {@link MainState} and forwards what the user does to {@link Actions}.
 */
public final class MainView extends JPanel {
  /** What the main screen asks of the app. */
  public interface Actions {
    void call(String peer);

    void accept();

    void refuse();

    void hangup();

    void toggleMute();

    void filter(String text);

    void dismissNotice(long id);

    void settings();

    void signOut();
  }

  private static final int CONTACTS_WIDTH = 290;
  private static final int AVATAR = 34;
  private static final int CALL_AVATAR = 60;

  private final Actions actions;
  private final ZoneId zone;
  private MainState state;
  private long lastNow;

  // header
  private final JLabel userLabel = Ui.label("", "semibold");
  private final JLabel userAvatar = new JLabel();
  private final JButton settingsButton = new JButton("Settings");
  private final JButton signOutButton = new JButton("Sign out");

  // contacts
  private final JLabel contactsCount = Ui.mutedLabel("", "small");
  private final JTextField filter = new JTextField();
  private final DefaultListModel<ContactRow> contactModel = new DefaultListModel<>();
  private final JList<ContactRow> contacts = new JList<>(contactModel) {
    @Override
    protected void paintComponent(Graphics g) {
      super.paintComponent(g);
      if (getModel().getSize() == 0 && state != null) {
        String text = state.filter().isBlank() ? "No other users yet" : "No contacts match \u201c"
            + state.filter().strip() + "\u201d";
        g.setColor(Look.muted());
        g.setFont(getFont());
        int w = g.getFontMetrics().stringWidth(text);
        g.drawString(text, Math.max(8, (getWidth() - w) / 2), 40);
      }
    }
  };
  private final JButton callButton = new JButton("Call");

  // call panel
  private final CardLayout callCards = new CardLayout();
  private final Ui.RoundPanel callPanel = new Ui.RoundPanel(callCards, () -> Look.tint(Look.grey()), 16);
  private final JLabel callAvatar = new JLabel();
  private final JLabel callKicker = Ui.label("", "small");
  private final JLabel callPeer = Ui.label("", "h2");
  private final JLabel callStatus = Ui.mutedLabel("", "large");
  private final QualityBadge quality = new QualityBadge();
  private final JLabel codecLabel = Ui.mutedLabel("", "small");
  /** The call's short authentication string: both users see the same digits unless someone is in the middle. */
  private final JLabel sasLabel = new JLabel();
  private final JLabel noAudio = Ui.label("No incoming audio", "small");
  private final JLabel mutedLabel = Ui.label("Microphone muted", "small");
  private final JPanel infoRow = new JPanel(new FlowLayout(FlowLayout.LEFT, 0, 0));
  private final JButton acceptButton = new JButton("Accept");
  private final JButton refuseButton = new JButton("Refuse");
  private final JToggleButton muteButton = new JToggleButton("Mute");
  private final JButton hangupButton = new JButton("Hang up");
  private final JPanel meters = new JPanel(new FlowLayout(FlowLayout.RIGHT, 0, 0));
  private final LevelBar micMeter = Ui.named(new LevelBar(72), "micLevel", "Microphone level");
  private final LevelBar speakerMeter = Ui.named(new LevelBar(72), "speakerLevel", "Speaker level");
  /** Polls {@link #levels} while a call is in progress; the event thread only reads published figures. */
  private final javax.swing.Timer meterTimer = new javax.swing.Timer(METER_MILLIS, e -> pollLevels());
  private CallAudio.Levels levels = CallAudio.Levels.SILENT;

  // notice and history
  private final Ui.RoundPanel noticePanel = new Ui.RoundPanel(new BorderLayout(8, 0), null, 10);
  private final JLabel noticeText = new JLabel();
  private final JLabel noticeDot = new JLabel();
  private final JButton noticeClose = new JButton(new FlatClearIcon());
  private final JLabel missedBadge = Ui.label("", "small");
  private final HistoryModel historyModel = new HistoryModel();
  private final JTable history = new JTable(historyModel);
  private final CardLayout historyCards = new CardLayout();
  private final JPanel historyHolder = new JPanel(historyCards);

  // status bar
  private final JLabel statusLeft = Ui.mutedLabel("", "small");
  private final JLabel statusRight = Ui.label("", "small");

  /** How often the in-call level meters are refreshed. */
  static final int METER_MILLIS = 100;

  public MainView(Actions actions, ZoneId zone) {
    super(new BorderLayout());
    this.actions = actions;
    this.zone = zone;
    Ui.named(this, "mainView", "Causerie main window");
    add(header(), BorderLayout.NORTH);
    JPanel body = new JPanel(new BorderLayout());
    body.add(contactsPanel(), BorderLayout.WEST);
    body.add(rightPanel(), BorderLayout.CENTER);
    add(body, BorderLayout.CENTER);
    add(statusBar(), BorderLayout.SOUTH);
    keys();
  }

  // ------------------------------------------------------------------ building

  private JComponent header() {
    JPanel h = new JPanel(new BorderLayout());
    JPanel left = new JPanel(new FlowLayout(FlowLayout.LEFT, 8, 0));
    left.setOpaque(false);
    left.add(new JLabel(Icons.logo(26)));
    left.add(Ui.label("Causerie", "h3"));
    h.add(left, BorderLayout.WEST);

    JPanel right = new JPanel(new FlowLayout(FlowLayout.RIGHT, 6, 0));
    right.setOpaque(false);
    Ui.named(userAvatar, "userAvatar", "Your avatar");
    Ui.named(userLabel, "userLabel", "Signed in as");
    right.add(userAvatar);
    right.add(userLabel);
    right.add(Box.createHorizontalStrut(10));
    Ui.named(settingsButton, "settings", "Settings");
    settingsButton.setToolTipText("Devices, codecs, jitter buffer and theme");
    settingsButton.addActionListener(e -> actions.settings());
    Ui.named(signOutButton, "signOut", "Sign out");
    signOutButton.addActionListener(e -> actions.signOut());
    right.add(settingsButton);
    right.add(signOutButton);
    h.add(right, BorderLayout.EAST);
    return new Rebordered(h, () -> BorderFactory.createCompoundBorder(
        BorderFactory.createMatteBorder(0, 0, 1, 0, UIManager.getColor("Component.borderColor")),
        BorderFactory.createEmptyBorder(10, 16, 10, 12)));
  }

  private JComponent contactsPanel() {
    JPanel p = new JPanel(new BorderLayout(0, 10));
    p.setPreferredSize(new Dimension(CONTACTS_WIDTH, 10));
    JPanel top = new JPanel(new BorderLayout(0, 8));
    top.setOpaque(false);
    JPanel titleRow = new JPanel(new BorderLayout());
    titleRow.setOpaque(false);
    titleRow.add(Ui.label("Contacts", "h3"), BorderLayout.WEST);
    Ui.named(contactsCount, "contactsCount", "Contacts online");
    titleRow.add(contactsCount, BorderLayout.EAST);
    top.add(titleRow, BorderLayout.NORTH);

    Ui.named(filter, "filter", "Filter contacts");
    filter.putClientProperty(FlatClientProperties.PLACEHOLDER_TEXT, "Filter contacts");
    filter.putClientProperty(FlatClientProperties.TEXT_FIELD_LEADING_ICON, new FlatSearchIcon());
    Ui.nameChild(filter, "TextField.clearButton", "Clear the filter");
    filter.putClientProperty(FlatClientProperties.TEXT_FIELD_SHOW_CLEAR_BUTTON, true);
    filter.setToolTipText("Filter contacts (Ctrl+F)");
    filter.putClientProperty(FlatClientProperties.STYLE, "margin: 5,6,5,6");
    filter.getDocument().addDocumentListener(new DocumentListener() {
      @Override
      public void insertUpdate(DocumentEvent e) {
        actions.filter(filter.getText());
      }

      @Override
      public void removeUpdate(DocumentEvent e) {
        actions.filter(filter.getText());
      }

      @Override
      public void changedUpdate(DocumentEvent e) {
        actions.filter(filter.getText());
      }
    });
    top.add(filter, BorderLayout.CENTER);
    p.add(top, BorderLayout.NORTH);

    Ui.named(contacts, "contacts", "Contacts");
    contacts.setSelectionMode(ListSelectionModel.SINGLE_SELECTION);
    contacts.setCellRenderer(new ContactRenderer());
    contacts.putClientProperty(FlatClientProperties.STYLE, "selectionInsets: 0,0,0,0; selectionArc: 10");
    contacts.addListSelectionListener(e -> updateCallButton());
    contacts.addMouseListener(new MouseAdapter() {
      @Override
      public void mouseClicked(MouseEvent e) {
        if (e.getClickCount() == 2 && e.getButton() == MouseEvent.BUTTON1) {
          int i = contacts.locationToIndex(e.getPoint());
          if (i >= 0 && contacts.getCellBounds(i, i).contains(e.getPoint())) {
            contacts.setSelectedIndex(i);
            callSelected();
          }
        }
      }
    });
    JScrollPane scroll = new JScrollPane(contacts);
    scroll.setBorder(BorderFactory.createEmptyBorder());
    p.add(scroll, BorderLayout.CENTER);

    Ui.named(callButton, "call", "Call the selected contact");
    callButton.setIcon(Icons.phone(16, () -> Color.WHITE, false));
    callButton.setIconTextGap(8);
    callButton.setToolTipText("Call the selected contact (Enter)");
    callButton.setPreferredSize(new Dimension(10, 38));
    callButton.addActionListener(e -> callSelected());
    styleFilled(callButton, true);
    p.add(callButton, BorderLayout.SOUTH);

    return new Rebordered(p, () -> BorderFactory.createCompoundBorder(
        BorderFactory.createMatteBorder(0, 0, 0, 1, UIManager.getColor("Component.borderColor")),
        BorderFactory.createEmptyBorder(14, 14, 14, 14)));
  }

  private JComponent rightPanel() {
    JPanel p = new JPanel(new BorderLayout(0, 12));
    p.setBorder(BorderFactory.createEmptyBorder(16, 16, 14, 16));
    JPanel top = new JPanel();
    top.setOpaque(false);
    top.setLayout(new BoxLayout(top, BoxLayout.Y_AXIS));
    callPanel.add(idleCard(), "idle");
    callPanel.add(callCard(), "call");
    Ui.named(callPanel, "callPanel", "Call");
    callPanel.setAlignmentX(LEFT_ALIGNMENT);
    top.add(callPanel);
    top.add(Box.createVerticalStrut(12));
    noticePanel.setAlignmentX(LEFT_ALIGNMENT);
    noticePanel.setBorder(BorderFactory.createEmptyBorder(8, 12, 8, 6));
    Ui.named(noticeText, "notice", "Notice");
    JPanel dotBox = new JPanel(new BorderLayout());
    dotBox.setOpaque(false);
    dotBox.setBorder(BorderFactory.createEmptyBorder(0, 0, 0, 2));
    dotBox.add(noticeDot, BorderLayout.CENTER);
    noticePanel.add(dotBox, BorderLayout.WEST);
    noticePanel.add(noticeText, BorderLayout.CENTER);
    Ui.named(noticeClose, "dismissNotice", "Dismiss notice");
    noticeClose.putClientProperty(FlatClientProperties.BUTTON_TYPE, FlatClientProperties.BUTTON_TYPE_TOOLBAR_BUTTON);
    noticeClose.setToolTipText("Dismiss");
    noticeClose.addActionListener(e -> {
      if (state != null && state.notice() != null) {
        actions.dismissNotice(state.notice().id());
      }
    });
    noticePanel.add(noticeClose, BorderLayout.EAST);
    noticePanel.setVisible(false);
    noticePanel.setMaximumSize(new Dimension(Integer.MAX_VALUE, 60));
    top.add(noticePanel);
    p.add(top, BorderLayout.NORTH);

    JPanel hist = new JPanel(new BorderLayout(0, 8));
    hist.setOpaque(false);
    JPanel titleRow = new JPanel(new FlowLayout(FlowLayout.LEFT, 0, 0));
    titleRow.setOpaque(false);
    titleRow.add(Ui.label("Recent calls", "h3"));
    titleRow.add(Box.createHorizontalStrut(10));
    Ui.named(missedBadge, "missedCount", "Missed calls");
    titleRow.add(missedBadge);
    hist.add(titleRow, BorderLayout.NORTH);

    Ui.named(history, "history", "Call history");
    history.setRowHeight(30);
    history.setFillsViewportHeight(true);
    history.setShowGrid(false);
    history.setFocusable(true);
    history.setRowSelectionAllowed(true);
    history.getTableHeader().setReorderingAllowed(false);
    history.getTableHeader().putClientProperty(FlatClientProperties.STYLE, "font: -1; cellMargins: 2,6,2,6; separatorColor: $Table.background;"
        + " bottomSeparatorColor: $Component.borderColor");
    history.setDefaultRenderer(Object.class, new HistoryRenderer());
    int[] widths = {34, 200, 140, 70, 80};
    for (int i = 0; i < widths.length; i++) {
      TableColumn c = history.getColumnModel().getColumn(i);
      c.setPreferredWidth(widths[i]);
      int align = i >= 3 ? SwingConstants.RIGHT : SwingConstants.LEFT;
      c.setHeaderRenderer((t, v, sel, foc, r, col) -> {
        Component comp = t.getTableHeader().getDefaultRenderer().getTableCellRendererComponent(t, v, sel, foc, r,
            col);
        if (comp instanceof JLabel l) {
          l.setHorizontalAlignment(align);
        }
        return comp;
      });
      if (i == 0) {
        c.setMaxWidth(widths[i]);
        c.setMinWidth(widths[i]);
      }
    }
    JScrollPane scroll = new JScrollPane(history);
    scroll.putClientProperty(FlatClientProperties.STYLE, "arc: 12");
    JLabel empty = Ui.mutedLabel("No calls yet in this session.", null);
    empty.setHorizontalAlignment(SwingConstants.CENTER);
    Ui.named(empty, "historyEmpty", "No calls yet");
    historyHolder.setOpaque(false);
    historyHolder.add(empty, "empty");
    historyHolder.add(scroll, "table");
    hist.add(historyHolder, BorderLayout.CENTER);
    p.add(hist, BorderLayout.CENTER);
    return p;
  }

  private JComponent idleCard() {
    JPanel idle = new JPanel(new GridBagLayout());
    idle.setOpaque(false);
    idle.setName("idleCard");
    JPanel col = new JPanel();
    col.setOpaque(false);
    col.setLayout(new BoxLayout(col, BoxLayout.Y_AXIS));
    JLabel t = Ui.label("No call in progress", "h3");
    JLabel hint = Ui.mutedLabel("Choose a contact, then press Enter, double-click it, or press Call.", null);
    t.setAlignmentX(CENTER_ALIGNMENT);
    hint.setAlignmentX(CENTER_ALIGNMENT);
    col.add(t);
    col.add(Box.createVerticalStrut(6));
    col.add(hint);
    idle.add(col);
    idle.setPreferredSize(new Dimension(10, 128));
    return idle;
  }

  private JComponent callCard() {
    JPanel card = new JPanel(new GridBagLayout());
    card.setOpaque(false);
    card.setName("callCard");
    card.setBorder(BorderFactory.createEmptyBorder(18, 20, 18, 20));
    card.setPreferredSize(new Dimension(10, 128));
    GridBagConstraints gc = new GridBagConstraints();
    gc.gridx = 0;
    gc.gridy = 0;
    gc.gridheight = 4;
    gc.anchor = GridBagConstraints.WEST;
    gc.insets = new Insets(0, 0, 0, 18);
    Ui.named(callAvatar, "callAvatar", "Caller");
    card.add(callAvatar, gc);

    gc.gridheight = 1;
    gc.gridx = 1;
    gc.weightx = 1;
    gc.insets = new Insets(0, 0, 0, 0);
    gc.anchor = GridBagConstraints.WEST;
    Ui.named(callKicker, "callKicker", "Call state");
    callKicker.putClientProperty(FlatClientProperties.STYLE, "font: bold -1");
    card.add(callKicker, gc);
    gc.gridy = 1;
    Ui.named(callPeer, "callPeer", "Peer");
    card.add(callPeer, gc);
    gc.gridy = 2;
    Ui.named(callStatus, "callStatus", "Call status");
    JPanel statusRow = new JPanel(new FlowLayout(FlowLayout.LEFT, 0, 0));
    statusRow.setOpaque(false);
    statusRow.add(callStatus);
    statusRow.add(Box.createHorizontalStrut(14));
    statusRow.add(sasLabel);
    card.add(statusRow, gc);
    gc.gridy = 3;
    gc.insets = new Insets(6, 0, 0, 0);
    infoRow.setOpaque(false);
    Ui.named(codecLabel, "codec", "Codec");
    Ui.named(sasLabel, "sas", "Security code");
    sasLabel.putClientProperty(FlatClientProperties.STYLE, "font: bold -1");
    sasLabel.setToolTipText("<html>Encrypted end to end: the server relays your voice but cannot hear it.<br>"
        + "Read this code aloud: if the other person sees the same digits, nobody is listening in.</html>");
    Ui.named(noAudio, "noAudio", "No incoming audio");
    Ui.named(mutedLabel, "mutedLabel", "Microphone muted");
    noAudio.putClientProperty(FlatClientProperties.STYLE, "font: bold -1");
    mutedLabel.putClientProperty(FlatClientProperties.STYLE, "font: bold -1");
    noAudio.setIcon(Icons.dot(7, Look::red));
    noAudio.setIconTextGap(5);
    noAudio.setToolTipText("Nothing is arriving from the other side: check their microphone or the network.");
    mutedLabel.setIcon(Icons.dot(7, Look::amber));
    mutedLabel.setIconTextGap(5);
    JLabel qualityLabel = Ui.mutedLabel("Quality", "small");
    qualityLabel.setLabelFor(quality);
    infoRow.add(qualityLabel);
    infoRow.add(Box.createHorizontalStrut(6));
    infoRow.add(quality);
    infoRow.add(Box.createHorizontalStrut(14));
    infoRow.add(codecLabel);
    infoRow.add(Box.createHorizontalStrut(12));
    infoRow.add(mutedLabel);
    infoRow.add(Box.createHorizontalStrut(12));
    infoRow.add(noAudio);
    card.add(infoRow, gc);

    JPanel buttons = new JPanel(new FlowLayout(FlowLayout.RIGHT, 8, 0));
    buttons.setOpaque(false);
    Ui.named(acceptButton, "accept", "Accept call");
    acceptButton.setMnemonic(KeyEvent.VK_A);
    acceptButton.setToolTipText("Accept (Alt+A)");
    acceptButton.setIcon(Icons.phone(16, () -> Color.WHITE, false));
    acceptButton.addActionListener(e -> actions.accept());
    styleFilled(acceptButton, true);
    Ui.named(refuseButton, "refuse", "Refuse call");
    refuseButton.setMnemonic(KeyEvent.VK_R);
    refuseButton.setToolTipText("Refuse (Alt+R)");
    refuseButton.setIcon(Icons.phone(16, () -> Color.WHITE, true));
    refuseButton.addActionListener(e -> actions.refuse());
    styleFilled(refuseButton, false);
    Ui.named(muteButton, "mute", "Mute microphone");
    muteButton.setMnemonic(KeyEvent.VK_M);
    muteButton.setToolTipText("Mute or unmute the microphone (Ctrl+M)");
    muteButton.addActionListener(e -> actions.toggleMute());
    Ui.named(hangupButton, "hangup", "Hang up");
    hangupButton.setToolTipText("Hang up (Esc)");
    hangupButton.setIcon(Icons.phone(16, () -> Color.WHITE, true));
    hangupButton.addActionListener(e -> actions.hangup());
    styleFilled(hangupButton, false);
    for (JComponent b : new JComponent[] {acceptButton, refuseButton, muteButton, hangupButton}) {
      b.setPreferredSize(new Dimension(Math.max(104, b.getPreferredSize().width + 16), 38));
      buttons.add(b);
    }
    gc.gridx = 2;
    gc.gridy = 0;
    gc.gridheight = 3;
    gc.weightx = 0;
    gc.anchor = GridBagConstraints.EAST;
    gc.insets = new Insets(0, 12, 0, 0);
    card.add(buttons, gc);

    meters.setOpaque(false);
    meters.setName("meters");
    JLabel micLabel = Ui.mutedLabel("Mic", "small");
    micLabel.setLabelFor(micMeter);
    JLabel speakerLabel = Ui.mutedLabel("Speaker", "small");
    speakerLabel.setLabelFor(speakerMeter);
    meters.add(micLabel);
    meters.add(Box.createHorizontalStrut(6));
    meters.add(centred(micMeter));
    meters.add(Box.createHorizontalStrut(14));
    meters.add(speakerLabel);
    meters.add(Box.createHorizontalStrut(6));
    meters.add(centred(speakerMeter));
    micMeter.reset();
    speakerMeter.reset();
    gc.gridy = 3;
    gc.gridheight = 1;
    gc.insets = new Insets(6, 12, 0, 0);
    card.add(meters, gc);
    return card;
  }

  /** {@code c} centred vertically in a row of text. */
  private static JComponent centred(JComponent c) {
    JPanel p = new JPanel(new GridBagLayout());
    p.setOpaque(false);
    p.add(c);
    return p;
  }

  /**
   * Where the in-call level meters read from (the voice path's {@link CallAudio#levels()}); polled every {@value
   * #METER_MILLIS} ms during a call.
   */
  public void setLevels(CallAudio.Levels l) {
    levels = l == null ? CallAudio.Levels.SILENT : l;
  }

  private void pollLevels() {
    long now = System.nanoTime() / 1_000_000;
    micMeter.update(levels.inputDbfs(), now);
    speakerMeter.update(levels.outputDbfs(), now);
  }

  private void runMeters(boolean on) {
    if (on && !meterTimer.isRunning()) {
      micMeter.reset();
      speakerMeter.reset();
      meterTimer.start();
    } else if (!on && meterTimer.isRunning()) {
      meterTimer.stop();
      micMeter.reset();
      speakerMeter.reset();
    }
  }

  private JComponent statusBar() {
    JPanel s = new JPanel(new BorderLayout());
    Ui.named(statusLeft, "statusUser", "Signed in as");
    Ui.named(statusRight, "connection", "Connection state");
    statusRight.setIconTextGap(6);
    s.add(statusLeft, BorderLayout.WEST);
    s.add(statusRight, BorderLayout.EAST);
    return new Rebordered(s, () -> BorderFactory.createCompoundBorder(
        BorderFactory.createMatteBorder(1, 0, 0, 0, UIManager.getColor("Component.borderColor")),
        BorderFactory.createEmptyBorder(6, 16, 6, 16)));
  }

  private void keys() {
    contacts.getInputMap(WHEN_FOCUSED).put(KeyStroke.getKeyStroke(KeyEvent.VK_ENTER, 0), "call");
    contacts.getActionMap().put("call", action(this::callSelected));
    filter.getInputMap(WHEN_FOCUSED).put(KeyStroke.getKeyStroke(KeyEvent.VK_ENTER, 0), "call");
    filter.getActionMap().put("call", action(this::callSelected));
    filter.getInputMap(WHEN_FOCUSED).put(KeyStroke.getKeyStroke(KeyEvent.VK_DOWN, 0), "toList");
    filter.getActionMap().put("toList", action(() -> {
      if (contactModel.getSize() > 0) {
        contacts.requestFocusInWindow();
      }
    }));
    bindWindowKey(KeyStroke.getKeyStroke(KeyEvent.VK_ESCAPE, 0), "hangup", actions::hangup);
    bindWindowKey(KeyStroke.getKeyStroke(KeyEvent.VK_A, KeyEvent.ALT_DOWN_MASK), "accept", actions::accept);
    bindWindowKey(KeyStroke.getKeyStroke(KeyEvent.VK_R, KeyEvent.ALT_DOWN_MASK), "refuse", actions::refuse);
    bindWindowKey(KeyStroke.getKeyStroke(KeyEvent.VK_M, KeyEvent.CTRL_DOWN_MASK), "mute", actions::toggleMute);
    bindWindowKey(KeyStroke.getKeyStroke(KeyEvent.VK_F, KeyEvent.CTRL_DOWN_MASK), "find", () -> {
      filter.requestFocusInWindow();
      filter.selectAll();
    });
  }

  private void bindWindowKey(KeyStroke ks, String name, Runnable r) {
    getInputMap(WHEN_IN_FOCUSED_WINDOW).put(ks, name);
    getActionMap().put(name, action(r));
  }

  private static AbstractAction action(Runnable r) {
    return new AbstractAction() {
      @Override
      public void actionPerformed(java.awt.event.ActionEvent e) {
        r.run();
      }
    };
  }

  private static void styleFilled(javax.swing.AbstractButton b, boolean green) {
    b.putClientProperty("causerie.fill", green ? "green" : "red");
    b.putClientProperty(FlatClientProperties.STYLE, Look.filledButtonStyle(green ? Look.greenButton()
        : Look.redButton()));
  }

  @Override
  public void updateUI() {
    super.updateUI();
    // Colours that are not UI keys follow the theme here.
    if (callButton != null) {
      for (javax.swing.AbstractButton b : List.of(callButton, acceptButton, refuseButton, hangupButton)) {
        styleFilled(b, "green".equals(b.getClientProperty("causerie.fill")));
      }
      if (state != null) {
        render(state, lastNow);
      }
    }
  }

  // ------------------------------------------------------------------ rendering

  /** Shows {@code s}, at wall-clock time {@code now}. */
  public void render(MainState s, long now) {
    MainState old = state;
    state = s;
    lastNow = now;
    userLabel.setText(s.user());
    userAvatar.setIcon(Icons.avatar(s.user(), 26));
    renderContacts(s);
    renderCall(s.call(), now);
    renderNotice(s.notice());
    renderHistory(s, old);
    statusLeft.setText("Signed in as " + s.user() + " on " + s.server());
    statusRight.setText(s.connection().label()
        + (s.connectionDetail() != null && s.connection() != Connection.CONNECTED ? " (" + s.connectionDetail() + ")"
            : ""));
    statusRight.setIcon(Icons.dot(9, () -> switch (s.connection()) {
      case CONNECTED -> Look.green();
      case RECONNECTING -> Look.amber();
      case SIGNED_OUT -> Look.red();
    }));
    statusRight.getAccessibleContext().setAccessibleDescription(statusRight.getText());
    updateCallButton();
  }

  /** Refreshes what changes with time alone (the call's elapsed time). */
  public void tick(long now) {
    if (state != null && state.call() != null) {
      renderCallStatus(state.call(), now);
    }
  }

  private void renderContacts(MainState s) {
    String selected = selectedContact();
    List<ContactRow> current = new ArrayList<>();
    for (int i = 0; i < contactModel.size(); i++) {
      current.add(contactModel.get(i));
    }
    if (!current.equals(s.contacts())) {
      contactModel.clear();
      contactModel.addAll(s.contacts());
    }
    int index = -1;
    for (int i = 0; i < s.contacts().size(); i++) {
      if (s.contacts().get(i).name().equals(selected)) {
        index = i;
      }
    }
    if (index < 0 && !s.contacts().isEmpty()) {
      index = 0;
    }
    if (index >= 0 && contacts.getSelectedIndex() != index) {
      contacts.setSelectedIndex(index);
      contacts.ensureIndexIsVisible(index);
    }
    contactsCount.setText(s.onlineCount() + " of " + s.contactCount() + " online");
    contacts.repaint();
  }

  private void renderCall(CallView c, long now) {
    if (c == null) {
      runMeters(false);
      callCards.show(callPanel, "idle");
      callPanel.fill(() -> Look.tint(Look.grey()));
      return;
    }
    callCards.show(callPanel, "call");
    callAvatar.setIcon(Icons.avatar(c.peer(), CALL_AVATAR));
    callPeer.setText(c.peer());
    boolean ringingIn = c.phase() == CallPhase.RINGING_IN;
    callPanel.fill(() -> Look.tint(switch (c.phase()) {
      case RINGING_IN, ACTIVE -> Look.green();
      default -> UIManager.getColor("Component.accentColor");
    }));
    String kicker = switch (c.phase()) {
      case DIALING, RINGING_OUT -> "OUTGOING CALL";
      case RINGING_IN -> "INCOMING CALL";
      case ANSWERING -> "ANSWERING";
      case ACTIVE -> "IN CALL";
    };
    callKicker.setText(kicker);
    callKicker.setForeground(Look.strong(ringingIn || c.active() ? Look.green()
        : UIManager.getColor("Component.accentColor")));
    callKicker.getAccessibleContext().setAccessibleDescription(kicker.toLowerCase(java.util.Locale.ROOT));
    renderCallStatus(c, now);
    acceptButton.setVisible(ringingIn);
    refuseButton.setVisible(ringingIn);
    muteButton.setVisible(c.active());
    hangupButton.setVisible(!ringingIn);
    hangupButton.setText(c.active() ? "Hang up" : "Cancel");
    hangupButton.getAccessibleContext().setAccessibleName(c.active() ? "Hang up" : "Cancel call");
    for (JComponent b : new JComponent[] {acceptButton, refuseButton, muteButton, hangupButton}) {
      b.setEnabled(!c.ending());
    }
    muteButton.setSelected(c.muted());
    muteButton.setText(c.muted() ? "Unmute" : "Mute");
    muteButton.getAccessibleContext().setAccessibleName(c.muted() ? "Unmute microphone" : "Mute microphone");
    infoRow.setVisible(c.active());
    meters.setVisible(c.active());
    runMeters(c.active() && !c.ending());
    quality.show(c.quality());
    codecLabel.setText(c.info() != null && c.info().codec() != null ? "Codec " + SettingsDialog.codecName(
        c.info().codec()) : "");
    String sas = c.info() != null ? c.info().sas() : null;
    sasLabel.setVisible(c.active() && sas != null);
    sasLabel.setText(sas == null ? "" : "Encrypted \u00b7 code " + sas);
    noAudio.setVisible(c.active() && c.incomingAudio() == AudioFlow.SILENT);
    noAudio.setForeground(Look.strong(Look.red()));
    mutedLabel.setVisible(c.active() && c.muted());
    mutedLabel.setForeground(Look.strong(Look.amber()));
  }

  private void renderCallStatus(CallView c, long now) {
    String text = switch (c.phase()) {
      case DIALING -> "Calling\u2026";
      case RINGING_OUT -> "Ringing\u2026";
      case RINGING_IN -> "is calling you";
      case ANSWERING -> "Connecting\u2026";
      case ACTIVE -> Formats.elapsed(c.elapsedMillis(now));
    };
    if (c.ending()) {
      text = "Ending\u2026";
    }
    if (!text.equals(callStatus.getText())) {
      callStatus.setText(text);
    }
  }

  private void renderNotice(Notice n) {
    if (n == null) {
      noticePanel.setVisible(false);
      return;
    }
    Color c = switch (n.level()) {
      case INFO -> UIManager.getColor("Component.accentColor");
      case WARNING -> Look.amber();
      case ERROR -> Look.red();
    };
    noticePanel.fill(() -> Look.tint(c));
    noticeDot.setIcon(Icons.dot(8, () -> c));
    noticeText.setText(n.text());
    noticeText.setForeground(UIManager.getColor("Label.foreground"));
    noticeText.getAccessibleContext().setAccessibleDescription(n.text());
    noticePanel.setVisible(true);
  }

  private void renderHistory(MainState s, MainState old) {
    if (old == null || !old.history().equals(s.history())) {
      historyModel.set(s.history());
    }
    historyCards.show(historyHolder, s.history().isEmpty() ? "empty" : "table");
    long missed = s.missedCount();
    missedBadge.setText(missed == 0 ? "" : missed + " missed");
    missedBadge.setForeground(Look.strong(Look.red()));
    missedBadge.putClientProperty(FlatClientProperties.STYLE, "font: bold -1");
  }

  private void updateCallButton() {
    String sel = selectedContact();
    boolean can = state != null && state.canCall(sel);
    callButton.setEnabled(can);
    callButton.setText(sel == null ? "Call" : "Call " + sel);
    callButton.getAccessibleContext().setAccessibleName(sel == null ? "Call" : "Call " + sel);
  }

  private void callSelected() {
    String sel = selectedContact();
    if (sel != null) {
      actions.call(sel);
    }
  }

  // ------------------------------------------------------------------ for the app and tests

  /** The selected contact's name, or null. */
  public String selectedContact() {
    ContactRow r = contacts.getSelectedValue();
    return r == null ? null : r.name();
  }

  public void selectContact(String name) {
    for (int i = 0; i < contactModel.size(); i++) {
      if (contactModel.get(i).name().equals(name)) {
        contacts.setSelectedIndex(i);
        return;
      }
    }
  }

  public void focusContacts() {
    contacts.requestFocusInWindow();
  }

  public void clearFilter() {
    filter.setText("");
  }

  public JList<ContactRow> contactList() {
    return contacts;
  }

  public JTable historyTable() {
    return history;
  }

  // ------------------------------------------------------------------ renderers and models

  /** A contact line: avatar with presence dot, name, and presence in words. */
  private final class ContactRenderer extends JPanel implements ListCellRenderer<ContactRow> {
    private final JLabel avatar = new JLabel();
    private final JLabel name = new JLabel();
    private final JLabel status = new JLabel();

    ContactRenderer() {
      super(new BorderLayout(10, 0));
      setBorder(BorderFactory.createEmptyBorder(6, 8, 6, 8));
      JPanel text = new JPanel(new BorderLayout(0, 1));
      text.setOpaque(false);
      text.add(name, BorderLayout.NORTH);
      text.add(status, BorderLayout.SOUTH);
      add(avatar, BorderLayout.WEST);
      add(text, BorderLayout.CENTER);
    }

    @Override
    public Component getListCellRendererComponent(JList<? extends ContactRow> list, ContactRow row, int index,
        boolean isSelected, boolean cellHasFocus) {
      Color rowBg = isSelected ? list.getSelectionBackground() : list.getBackground();
      avatar.setIcon(Icons.avatarWithDot(row.name(), AVATAR, () -> Look.presence(row.presence()), () -> rowBg));
      name.setText(row.name());
      Font f = list.getFont();
      name.setFont(f.deriveFont(Font.BOLD));
      status.setFont(f.deriveFont(f.getSize2D() - 1f));
      status.setText(row.statusText());
      Color fg = isSelected ? list.getSelectionForeground() : list.getForeground();
      name.setForeground(row.presence() == io.causerie.protocol.PresenceState.OFFLINE && !isSelected
          ? Look.muted() : fg);
      status.setForeground(isSelected ? fg : row.presence() == io.causerie.protocol.PresenceState.OFFLINE
          ? Look.muted() : Look.strong(Look.presence(row.presence())));
      setBackground(rowBg);
      setOpaque(isSelected);
      getAccessibleContext().setAccessibleName(row.name() + ", " + row.statusText());
      return this;
    }
  }

  /** This session's calls, newest first. */
  private static final class HistoryModel extends AbstractTableModel {
    private static final String[] COLUMNS = {"", "Contact", "Result", "Time", "Duration"};
    private List<HistoryEntry> rows = List.of();

    void set(List<HistoryEntry> r) {
      rows = Objects.requireNonNull(r);
      fireTableDataChanged();
    }

    HistoryEntry row(int i) {
      return rows.get(i);
    }

    @Override
    public int getRowCount() {
      return rows.size();
    }

    @Override
    public int getColumnCount() {
      return COLUMNS.length;
    }

    @Override
    public String getColumnName(int c) {
      return COLUMNS[c];
    }

    @Override
    public Object getValueAt(int r, int c) {
      return rows.get(r);
    }
  }

  private final class HistoryRenderer extends DefaultTableCellRenderer {
    @Override
    public Component getTableCellRendererComponent(JTable table, Object value, boolean isSelected,
        boolean hasFocus, int row, int column) {
      HistoryEntry e = historyModel.row(row);
      String text = switch (column) {
        case 0 -> "";
        case 1 -> e.peer();
        case 2 -> e.outcome().label();
        case 3 -> Formats.clock(e.atMillis(), zone);
        default -> e.connected() ? Formats.elapsed(e.durationMillis()) : "\u2014";
      };
      super.getTableCellRendererComponent(table, text, isSelected, false, row, column);
      setBorder(BorderFactory.createEmptyBorder(0, column == 0 ? 10 : 6, 0, 6));
      setIcon(column == 0 ? Icons.direction(e.outgoing(), () -> e.missed() ? Look.red() : Look.muted()) : null);
      setHorizontalAlignment(column >= 3 ? SwingConstants.RIGHT : SwingConstants.LEFT);
      Font f = table.getFont();
      setFont(e.missed() && (column == 1 || column == 2) ? f.deriveFont(Font.BOLD) : f);
      if (!isSelected) {
        setForeground(e.missed() ? Look.strong(Look.red()) : column >= 2 ? Look.muted()
            : table.getForeground());
      }
      String dir = e.outgoing() ? "Outgoing" : "Incoming";
      getAccessibleContext().setAccessibleName(dir + " call, " + e.peer() + ", " + e.outcome().label());
      setToolTipText(column == 0 ? dir + " call" : null);
      return this;
    }
  }

  /** Keeps a border that uses theme colours up to date when the theme changes. */
  private static final class Rebordered extends JPanel {
    private final java.util.function.Supplier<javax.swing.border.Border> border;

    Rebordered(JComponent inner, java.util.function.Supplier<javax.swing.border.Border> border) {
      super(new BorderLayout());
      this.border = border;
      inner.setBorder(null);
      add(inner, BorderLayout.CENTER);
      setBorder(border.get());
    }

    @Override
    public void updateUI() {
      super.updateUI();
      if (border != null) {
        setBorder(border.get());
      }
    }
  }
}
