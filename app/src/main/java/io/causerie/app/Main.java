package io.causerie.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code causerie} command: dispatches to the server, the user admin and the headless client. */
@Command(
    name = "causerie",
    mixinStandardHelpOptions = true,
    version = "causerie 0.1.0",
    description = "Self-hosted voice over IP: a signalling server with a media relay, and its clients.",
    subcommands = {ServerCommand.class, UserCommand.class, ClientCommand.class, CallsCommand.class, BenchCommand.class, DesktopCommand.class, DevicesCommand.class, CommandLine.HelpCommand.class})
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code. */
  public static int run(String... args) {
    CommandLine cl = new CommandLine(new Main());
    cl.setParameterExceptionHandler((ex, a) -> {
      ex.getCommandLine().getErr().println("causerie " + ex.getCommandLine().getCommandName() + ": " + ex.getMessage());
      ex.getCommandLine().getErr().println("Try 'causerie " + qualified(ex.getCommandLine()) + " --help'.");
      return ExitCodes.USAGE;
    });
    return cl.execute(args);
  }

  private static String qualified(CommandLine cl) {
    StringBuilder sb = new StringBuilder();
    for (CommandLine c = cl; c != null && c.getParent() != null; c = c.getParent()) {
      sb.insert(0, c.getCommandName() + " ");
    }
    return sb.toString().trim();
  }
}
