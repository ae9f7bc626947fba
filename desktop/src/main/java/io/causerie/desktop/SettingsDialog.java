package io.causerie.desktop;

import com.formdev.flatlaf.FlatClientProperties;
import java.awt.BorderLayout;
import java.awt.Dimension;
import java.awt.FlowLayout;
import java.awt.GridBagConstraints;
import java.awt.GridBagLayout;
import java.awt.Insets;
import java.awt.Window;
import java.awt.event.KeyEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javax.swing.BorderFactory;
import javax.swing.ButtonGroup;
import javax.swing.DefaultListModel;
import javax.swing.JButton;
import javax.swing.JComboBox;
import javax.swing.JComponent;
import javax.swing.JDialog;
import javax.swing.JLabel;
import javax.swing.JList;
import javax.swing.JPanel;
import javax.swing.JRadioButton;
import javax.swing.JSeparator;
import javax.swing.JSpinner;
import javax.swing.KeyStroke;
import javax.swing.ListSelectionModel;
import javax.swing.SpinnerNumberModel;
import javax.swing.WindowConstants;

/**
 * The settings dialog: microphone and speaker, codec order, jitter-buffer cap and theme, for the signed-in user.
 * Modal; Save hands the new {@link Settings} to the app, which stores them.
 */
public final class SettingsDialog extends JDialog {
  static final String DEFAULT_DEVICE = "System default";
  static final String NO_DEVICES = "No audio devices";
  private static final int FIELD_WIDTH = 380;

  private final JComboBox<String> input;
  private final JComboBox<String> output;
  private final DefaultListModel<String> codecModel = new DefaultListModel<>();
  private final JList<String> codecs = new JList<>(codecModel);
  private final JSpinner jitterCap;
  private final JRadioButton light = new JRadioButton("Light");
  private final JRadioButton dark = new JRadioButton("Dark");
  private final Settings original;
  private final DeviceTest tester;
  private final boolean noInputs;
  private final boolean noOutputs;
  private final JButton testMic = new JButton("Test microphone");
  private final JButton testSpeaker = new JButton("Test speaker");
  private final LevelBar testLevel = new LevelBar(120);
  private final JLabel testStatus = Ui.mutedLabel(" ", "small");
  private final LevelTap testTap = new LevelTap();
  private final javax.swing.Timer testMeter = new javax.swing.Timer(MainView.METER_MILLIS,
      e -> testLevel.update(testTap.dbfs(), System.nanoTime() / 1_000_000));
  /** The device test running now, or null. Event thread only. */
  private Thread testThread;

  /**
   * @param inputs microphone mixer names (may be empty)
   * @param outputs speaker mixer names (may be empty)
   * @param onSave called with the new settings when the user presses Save
   */
  public SettingsDialog(Window owner, String user, Settings current, List<String> inputs, List<String> outputs,
      Consumer<Settings> onSave) {
    this(owner, user, current, inputs, outputs, DeviceTest.sound(), onSave);
  }

  /** With the device tests run by {@code tester} (tests pass fakes). */
  SettingsDialog(Window owner, String user, Settings current, List<String> inputs, List<String> outputs,
      DeviceTest tester, Consumer<Settings> onSave) {
    super(owner, "Settings \u2014 " + user, ModalityType.APPLICATION_MODAL);
    this.original = current;
    this.tester = tester;
    this.noInputs = inputs.isEmpty();
    this.noOutputs = outputs.isEmpty();
    Ui.named(getRootPane(), "settingsDialog", "Settings");
    setName("settingsDialog");
    setDefaultCloseOperation(WindowConstants.DISPOSE_ON_CLOSE);

    JPanel form = new JPanel(new GridBagLayout());
    form.setBorder(BorderFactory.createEmptyBorder(18, 20, 8, 20));
    int row = 0;
    row = section(form, row, "Audio devices");
    input = devices(inputs, current.inputDevice(), "input", "Microphone");
    output = devices(outputs, current.outputDevice(), "output", "Speaker");
    row = field(form, row, "Microphone", input);
    row = field(form, row, "Speaker", output);
    if (inputs.isEmpty() && outputs.isEmpty()) {
      JLabel none = Ui.mutedLabel(Ui.wrapped("No audio devices found: calls connect without sound.",
          FIELD_WIDTH), "small");
      Ui.named(none, "noDevices", "No audio devices");
      row = field(form, row, "", none);
    }
    row = field(form, row, "Test", testRow());
    row = field(form, row, "", testStatus);

    row = section(form, row, "Codecs");
    for (String c : current.codecs()) {
      codecModel.addElement(c);
    }
    Ui.named(codecs, "codecs", "Codec preference, best first");
    codecs.setSelectionMode(ListSelectionModel.SINGLE_SELECTION);
    codecs.setVisibleRowCount(3);
    codecs.setCellRenderer(new javax.swing.DefaultListCellRenderer() {
      @Override
      public java.awt.Component getListCellRendererComponent(JList<?> list, Object value, int index,
          boolean isSelected, boolean cellHasFocus) {
        super.getListCellRendererComponent(list, (index + 1) + ".  " + codecLabel((String) value), index,
            isSelected, cellHasFocus);
        setBorder(BorderFactory.createEmptyBorder(3, 8, 3, 8));
        return this;
      }
    });
    codecs.setSelectedIndex(0);
    codecs.setBorder(BorderFactory.createEmptyBorder(2, 0, 2, 0));
    JButton up = Ui.named(new JButton("Move up"), "codecUp", "Move codec up");
    JButton down = Ui.named(new JButton("Move down"), "codecDown", "Move codec down");
    up.addActionListener(e -> move(-1));
    down.addActionListener(e -> move(1));
    JPanel codecButtons = new JPanel(new GridBagLayout());
    GridBagConstraints bc = new GridBagConstraints();
    bc.gridx = 0;
    bc.fill = GridBagConstraints.HORIZONTAL;
    bc.insets = new Insets(0, 0, 6, 0);
    codecButtons.add(up, bc);
    codecButtons.add(down, bc);
    JPanel codecRow = new JPanel(new BorderLayout(8, 0));
    javax.swing.JScrollPane codecScroll = new javax.swing.JScrollPane(codecs);
    codecScroll.setHorizontalScrollBarPolicy(javax.swing.ScrollPaneConstants.HORIZONTAL_SCROLLBAR_NEVER);
    codecScroll.setVerticalScrollBarPolicy(javax.swing.ScrollPaneConstants.VERTICAL_SCROLLBAR_NEVER);
    codecRow.add(codecScroll, BorderLayout.CENTER);
    codecRow.add(codecButtons, BorderLayout.EAST);
    row = field(form, row, "Preference", codecRow);
    row = field(form, row, "", hint("Offered best first when you call; applies at the next sign-in."));

    row = section(form, row, "Jitter buffer");
    jitterCap = new JSpinner(new SpinnerNumberModel(current.jitterBufferCapMillis(), Settings.MIN_JITTER_CAP_MILLIS,
        Settings.MAX_JITTER_CAP_MILLIS, 10));
    Ui.named(jitterCap, "jitterCap", "Maximum jitter-buffer delay in milliseconds");
    ((JSpinner.DefaultEditor) jitterCap.getEditor()).getTextField().getAccessibleContext()
        .setAccessibleName("Maximum jitter-buffer delay in milliseconds");
    JPanel capRow = new JPanel(new FlowLayout(FlowLayout.LEFT, 0, 0));
    jitterCap.setPreferredSize(new Dimension(96, jitterCap.getPreferredSize().height));
    capRow.add(jitterCap);
    capRow.add(new JLabel("  ms"));
    row = field(form, row, "Maximum delay", capRow);
    row = field(form, row, "", hint("Higher rides out worse networks but adds delay."));

    row = section(form, row, "Appearance");
    ButtonGroup themes = new ButtonGroup();
    themes.add(light);
    themes.add(dark);
    Ui.named(light, "themeLight", "Light theme");
    Ui.named(dark, "themeDark", "Dark theme");
    light.setMnemonic(KeyEvent.VK_L);
    dark.setMnemonic(KeyEvent.VK_D);
    (current.theme() == Theme.DARK ? dark : light).setSelected(true);
    JPanel themeRow = new JPanel(new FlowLayout(FlowLayout.LEFT, 0, 0));
    themeRow.add(light);
    themeRow.add(javax.swing.Box.createHorizontalStrut(16));
    themeRow.add(dark);
    row = field(form, row, "Theme", themeRow);

    GridBagConstraints filler = new GridBagConstraints();
    filler.gridy = row;
    filler.weighty = 1;
    form.add(new JLabel(), filler);

    JButton cancel = Ui.named(new JButton("Cancel"), "settingsCancel", "Cancel");
    JButton save = Ui.named(new JButton("Save"), "settingsSave", "Save settings");
    cancel.addActionListener(e -> dispose());
    save.addActionListener(e -> {
      onSave.accept(result());
      dispose();
    });
    JPanel buttons = new JPanel(new FlowLayout(FlowLayout.RIGHT, 8, 0));
    buttons.setBorder(BorderFactory.createEmptyBorder(12, 20, 16, 20));
    buttons.add(cancel);
    buttons.add(save);
    getRootPane().setDefaultButton(save);
    getRootPane().registerKeyboardAction(e -> dispose(), KeyStroke.getKeyStroke(KeyEvent.VK_ESCAPE, 0),
        JComponent.WHEN_IN_FOCUSED_WINDOW);

    JPanel content = new JPanel(new BorderLayout());
    content.add(form, BorderLayout.CENTER);
    content.add(buttons, BorderLayout.SOUTH);
    setContentPane(content);
    pack();
    setResizable(false);
    setLocationRelativeTo(owner);
  }

  private JComponent testRow() {
    Ui.named(testMic, "testMicrophone", "Test microphone");
    Ui.named(testSpeaker, "testSpeaker", "Test speaker");
    Ui.named(testLevel, "testLevel", "Microphone test level");
    Ui.named(testStatus, "testStatus", "Device test result");
    testMic.setToolTipText("Listen to the chosen microphone for a few seconds and show its level");
    testSpeaker.setToolTipText("Play a 1 s 440 Hz tone on the chosen speaker");
    testMic.addActionListener(e -> testMicrophone());
    testSpeaker.addActionListener(e -> testSpeaker());
    testLevel.reset();
    JPanel level = new JPanel(new GridBagLayout());
    level.add(testLevel);
    JPanel p = new JPanel(new FlowLayout(FlowLayout.LEFT, 0, 0));
    p.add(testMic);
    p.add(javax.swing.Box.createHorizontalStrut(10));
    p.add(level);
    p.add(javax.swing.Box.createHorizontalStrut(16));
    p.add(testSpeaker);
    return p;
  }

  private void testMicrophone() {
    if (noInputs) {
      showTestResult("No audio devices: there is no microphone to test.");
      return;
    }
    String device = device(input);
    testMeter.start();
    startTest("Listening to the microphone for " + DeviceTest.MICROPHONE_MILLIS / 1000 + " s\u2026 say something.",
        () -> tester.testMicrophone(device, testTap));
  }

  private void testSpeaker() {
    if (noOutputs) {
      showTestResult("No audio devices: there is no speaker to test.");
      return;
    }
    String device = device(output);
    startTest("Playing a tone\u2026", () -> tester.testSpeaker(device));
  }

  /** Runs {@code test} on a thread of its own; its answer comes back to the event thread. */
  private void startTest(String running, java.util.function.Supplier<String> test) {
    testMic.setEnabled(false);
    testSpeaker.setEnabled(false);
    testStatus.setText(running);
    Thread t = new Thread(() -> {
      String result = test.get();
      Thread self = Thread.currentThread();
      javax.swing.SwingUtilities.invokeLater(() -> {
        if (testThread == self) {
          testThread = null;
          showTestResult(result);
        }
      });
    }, "causerie-device-test");
    t.setDaemon(true);
    testThread = t;
    t.start();
  }

  private void showTestResult(String text) {
    testMeter.stop();
    testLevel.reset();
    testStatus.setText(text);
    testStatus.setToolTipText(text);
    testStatus.getAccessibleContext().setAccessibleDescription(text);
    testMic.setEnabled(true);
    testSpeaker.setEnabled(true);
  }

  /** Whether a device test is running, for tests. */
  boolean testing() {
    return testThread != null;
  }

  /** What the last device test said, for tests. */
  String testResult() {
    return testStatus.getText();
  }

  @Override
  public void dispose() {
    Thread t = testThread;
    testThread = null;
    if (t != null) {
      t.interrupt();
    }
    testMeter.stop();
    super.dispose();
  }

  static String codecLabel(String codec) {
    return switch (codec) {
      case "opus" -> "Opus (wideband)";
      case "pcmu" -> "G.711 \u00b5-law (PCMU)";
      case "pcma" -> "G.711 A-law (PCMA)";
      default -> codec;
    };
  }

  /** The short name of a codec, for the call panel. */
  static String codecName(String codec) {
    return switch (codec) {
      case "opus" -> "Opus";
      case "pcmu" -> "PCMU";
      case "pcma" -> "PCMA";
      default -> codec;
    };
  }

  /** The settings as the dialog shows them now. */
  public Settings result() {
    List<String> order = new ArrayList<>();
    for (int i = 0; i < codecModel.size(); i++) {
      order.add(codecModel.get(i));
    }
    return new Settings(device(input), device(output), order, (Integer) jitterCap.getValue(),
        dark.isSelected() ? Theme.DARK : Theme.LIGHT);
  }

  public Settings original() {
    return original;
  }

  private void move(int by) {
    int i = codecs.getSelectedIndex();
    int j = i + by;
    if (i < 0 || j < 0 || j >= codecModel.size()) {
      return;
    }
    String c = codecModel.remove(i);
    codecModel.add(j, c);
    codecs.setSelectedIndex(j);
  }

  private static String device(JComboBox<String> box) {
    Object v = box.getSelectedItem();
    return v == null || !box.isEnabled() || DEFAULT_DEVICE.equals(v) ? null : (String) v;
  }

  private static JComboBox<String> devices(List<String> names, String selected, String name, String accessible) {
    JComboBox<String> box = new JComboBox<>();
    Ui.named(box, name, accessible);
    if (names.isEmpty()) {
      box.addItem(NO_DEVICES);
      box.setEnabled(false);
      return box;
    }
    box.addItem(DEFAULT_DEVICE);
    for (String n : names) {
      box.addItem(n);
    }
    if (selected != null && !names.contains(selected)) {
      box.addItem(selected); // remembered, though unplugged now: keep it rather than forget it silently
    }
    box.setSelectedItem(selected == null ? DEFAULT_DEVICE : selected);
    return box;
  }

  private static JLabel hint(String text) {
    return Ui.mutedLabel(Ui.wrapped(text, FIELD_WIDTH), "small");
  }

  private static int section(JPanel form, int row, String title) {
    GridBagConstraints gc = new GridBagConstraints();
    gc.gridx = 0;
    gc.gridy = row;
    gc.gridwidth = 2;
    gc.anchor = GridBagConstraints.WEST;
    gc.fill = GridBagConstraints.HORIZONTAL;
    gc.insets = new Insets(row == 0 ? 0 : 14, 0, 8, 0);
    JPanel p = new JPanel(new BorderLayout(10, 0));
    JLabel l = Ui.label(title, null);
    l.putClientProperty(FlatClientProperties.STYLE, "font: bold");
    p.add(l, BorderLayout.WEST);
    JPanel sep = new JPanel(new GridBagLayout());
    JSeparator s = new JSeparator();
    GridBagConstraints sc = new GridBagConstraints();
    sc.weightx = 1;
    sc.fill = GridBagConstraints.HORIZONTAL;
    sep.add(s, sc);
    p.add(sep, BorderLayout.CENTER);
    form.add(p, gc);
    return row + 1;
  }

  private static int field(JPanel form, int row, String label, JComponent field) {
    GridBagConstraints gc = new GridBagConstraints();
    gc.gridx = 0;
    gc.gridy = row;
    gc.anchor = GridBagConstraints.NORTHWEST;
    gc.insets = new Insets(5, 12, 5, 14);
    JLabel l = new JLabel(label);
    if (!label.isEmpty()) {
      l.setLabelFor(field);
    }
    form.add(l, gc);
    gc.gridx = 1;
    gc.weightx = 1;
    gc.fill = GridBagConstraints.HORIZONTAL;
    gc.insets = new Insets(label.isEmpty() ? 0 : 2, 0, label.isEmpty() ? 4 : 2, 0);
    if (field instanceof JComboBox<?>) {
      field.setPreferredSize(new Dimension(FIELD_WIDTH, field.getPreferredSize().height));
    }
    form.add(field, gc);
    return row + 1;
  }
}
