package io.causerie.app;

import io.causerie.desktop.DesktopApp;
import io.causerie.desktop.DesktopOptions;
import java.awt.AWTError;
import java.awt.GraphicsEnvironment;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import javax.swing.SwingUtilities;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The desktop client: opens the Swing window, optionally pre-filled and signed in. */
@Command(
    name = "desktop",
    mixinStandardHelpOptions = true,
    description = {
      "Opens the Causerie desktop client: sign in, see who is online, call and answer.",
      "The server and user name are remembered between runs; the password never is.",
      "With --password-file it signs in at once."
    })
final class DesktopCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--server", paramLabel = "HOST[:PORT]",
      description = "Server address to pre-fill; the port defaults to 6100.")
  String server;

  @Option(names = "--user", paramLabel = "NAME", description = "User name to pre-fill.")
  String user;

  @Option(names = "--password-file", paramLabel = "FILE",
      description = "Read the password from the first line of FILE and sign in at once (needs --server and --user,"
          + " or remembered ones).")
  Path passwordFile;

  @Override
  public Integer call() throws Exception {
    if (GraphicsEnvironment.isHeadless()) {
      return noDisplay("no display available (is DISPLAY set?)");
    }
    try {
      GraphicsEnvironment.getLocalGraphicsEnvironment().getScreenDevices(); // connects to the display
    } catch (AWTError e) {
      return noDisplay("cannot open a window: " + String.valueOf(e.getMessage()).replaceAll("\\.$", ""));
    }
    char[] password = passwordFile == null ? null : readPassword();
    DesktopOptions options = DesktopOptions.defaults().withLogin(server, user, password)
        .withAudio(new io.causerie.desktop.MediaCallAudio());
    CompletableFuture<DesktopApp> app = new CompletableFuture<>();
    SwingUtilities.invokeLater(() -> {
      try {
        app.complete(DesktopApp.open(options));
      } catch (RuntimeException | Error e) {
        app.completeExceptionally(e);
      }
    });
    app.get().closed().get();
    if (password != null) {
      java.util.Arrays.fill(password, '\0');
    }
    return ExitCodes.OK;
  }

  private int noDisplay(String why) {
    spec.commandLine().getErr().println("causerie desktop: " + why
        + "; use 'causerie client' for the headless client.");
    spec.commandLine().getErr().flush();
    return ExitCodes.FAILED;
  }

  private char[] readPassword() {
    String line;
    try (BufferedReader r = Files.newBufferedReader(passwordFile, StandardCharsets.UTF_8)) {
      line = r.readLine();
    } catch (IOException e) {
      throw new ParameterException(spec.commandLine(), "cannot read --password-file " + passwordFile + ": "
          + e.getMessage());
    }
    if (line == null || line.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "the password is empty");
    }
    return line.toCharArray();
  }
}
