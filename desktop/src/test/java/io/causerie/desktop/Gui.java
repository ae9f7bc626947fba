package io.causerie.desktop;

import java.awt.Component;
import java.awt.Container;
import java.awt.Window;
import java.awt.event.KeyEvent;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.imageio.ImageIO;
import javax.swing.AbstractButton;
import javax.swing.JComponent;
import javax.swing.JRootPane;
import javax.swing.SwingUtilities;
import javax.swing.text.JTextComponent;

/**
 * Drives a real Swing window from a test thread: every read and every action runs on the event thread, and
 * waits poll with a deadline instead of sleeping.
 */
final class Gui {
  static final Duration WAIT = Duration.ofSeconds(10);
  private static final long POLL_MILLIS = 20;

  private Gui() {}

  /** Runs {@code task} on the event thread and returns its result. */
  static <T> T onEdt(Callable<T> task) {
    if (SwingUtilities.isEventDispatchThread()) {
      try {
        return task.call();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
    AtomicReference<T> result = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    try {
      SwingUtilities.invokeAndWait(() -> {
        try {
          result.set(task.call());
        } catch (Throwable t) {
          failure.set(t);
        }
      });
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    if (failure.get() != null) {
      if (failure.get() instanceof RuntimeException r) {
        throw r;
      }
      if (failure.get() instanceof Error e) {
        throw e;
      }
      throw new AssertionError(failure.get());
    }
    return result.get();
  }

  static void run(Runnable task) {
    onEdt(() -> {
      task.run();
      return null;
    });
  }

  /** Waits until {@code condition} (evaluated on the event thread) holds. */
  static void await(String what, Supplier<Boolean> condition) {
    await(what, condition, WAIT);
  }

  static void await(String what, Supplier<Boolean> condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (Boolean.TRUE.equals(onEdt(condition::get))) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for: " + what);
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** The component named {@code name} under {@code root} (event thread). */
  static <T extends Component> T find(Container root, String name, Class<T> type) {
    T found = findOrNull(root, name, type);
    if (found == null) {
      throw new AssertionError("no " + type.getSimpleName() + " named '" + name + "'");
    }
    return found;
  }

  static <T extends Component> T findOrNull(Container root, String name, Class<T> type) {
    if (name.equals(root.getName()) && type.isInstance(root)) {
      return type.cast(root);
    }
    for (Component c : root.getComponents()) {
      if (name.equals(c.getName()) && type.isInstance(c)) {
        return type.cast(c);
      }
      if (c instanceof Container sub) {
        T t = findOrNull(sub, name, type);
        if (t != null) {
          return t;
        }
      }
    }
    return null;
  }

  /** Whether the named component exists and is showing on screen (event thread). */
  static boolean showing(Container root, String name) {
    Component c = findOrNull(root, name, Component.class);
    return c != null && c.isShowing();
  }

  /** The showing window whose root pane is named {@code name}, or null. */
  static Window window(String name) {
    for (Window w : Window.getWindows()) {
      if (w.isShowing() && w instanceof javax.swing.RootPaneContainer rpc
          && name.equals(rpc.getRootPane().getName())) {
        return w;
      }
    }
    return null;
  }

  static void click(Container root, String name) {
    run(() -> {
      AbstractButton b = find(root, name, AbstractButton.class);
      if (!b.isShowing() || !b.isEnabled()) {
        throw new AssertionError("button '" + name + "' is not clickable (showing=" + b.isShowing() + ", enabled="
            + b.isEnabled() + ")");
      }
      b.doClick();
    });
  }

  static void type(Container root, String name, String text) {
    run(() -> find(root, name, JTextComponent.class).setText(text));
  }

  static String text(Container root, String name) {
    return onEdt(() -> {
      Component c = find(root, name, Component.class);
      if (c instanceof javax.swing.JLabel l) {
        return l.getText();
      }
      if (c instanceof AbstractButton b) {
        return b.getText();
      }
      return ((JTextComponent) c).getText();
    });
  }

  /**
   * Presses a key on {@code target} as the keyboard would: the event goes through the component's key bindings,
   * then its ancestors', then the window's.
   */
  static void key(Component target, int keyCode, int modifiers) {
    run(() -> {
      long when = System.currentTimeMillis();
      target.dispatchEvent(new KeyEvent(target, KeyEvent.KEY_PRESSED, when, modifiers, keyCode,
          KeyEvent.CHAR_UNDEFINED));
      target.dispatchEvent(new KeyEvent(target, KeyEvent.KEY_RELEASED, when, modifiers, keyCode,
          KeyEvent.CHAR_UNDEFINED));
    });
  }

  /** Paints a window's content into an image, as it shows now (event thread). */
  static BufferedImage paint(JRootPane root) {
    root.validate();
    BufferedImage img = new BufferedImage(root.getWidth(), root.getHeight(), BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = img.createGraphics();
    try {
      root.paint(g);
    } finally {
      g.dispose();
    }
    return img;
  }

  static void writePng(BufferedImage img, Path file) throws IOException {
    if (!ImageIO.write(img, "png", file.toFile())) {
      throw new IOException("no PNG writer");
    }
  }

  /** Every component under {@code root} that has no accessible name although a user can act on or read it. */
  static java.util.List<String> unnamed(Container root) {
    java.util.List<String> missing = new java.util.ArrayList<>();
    collectUnnamed(root, missing);
    return missing;
  }

  private static void collectUnnamed(Container root, java.util.List<String> missing) {
    for (Component c : root.getComponents()) {
      boolean control = c instanceof AbstractButton || c instanceof JTextComponent || c instanceof javax.swing.JList
          || c instanceof javax.swing.JTable || c instanceof javax.swing.JComboBox || c instanceof javax.swing.JSpinner;
      if (control && c instanceof JComponent jc) {
        String n = jc.getAccessibleContext().getAccessibleName();
        boolean insideSpinnerOrCombo = SwingUtilities.getAncestorOfClass(javax.swing.JSpinner.class, c) != null
            || SwingUtilities.getAncestorOfClass(javax.swing.JComboBox.class, c) != null
            || SwingUtilities.getAncestorOfClass(javax.swing.JScrollBar.class, c) != null;
        if ((n == null || n.isBlank()) && !insideSpinnerOrCombo) {
          missing.add(c.getClass().getSimpleName() + "[name=" + c.getName() + "]");
        }
      }
      if (c instanceof Container sub) {
        collectUnnamed(sub, missing);
      }
    }
  }
}
