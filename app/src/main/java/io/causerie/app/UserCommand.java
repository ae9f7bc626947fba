package io.causerie.app;

import io.causerie.protocol.scram.ScramCredential;
import io.causerie.server.store.Cidr;
import io.causerie.server.store.Database;
import io.causerie.server.store.JdbcUserStore;
import io.causerie.server.store.StoreException;
import io.causerie.server.store.User;
import io.causerie.server.store.UserNames;
import io.causerie.server.store.UserStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code causerie user}: adds, lists, re-keys and deletes the accounts in the user database.
 *
 * <p>Passwords never touch the database: each becomes a SCRAM-SHA-256 verifier with a fresh random salt. They are
 * read from the terminal without echo (asked twice), or from the first line of stdin with
 * {@code --password-stdin} for scripts. Errors print one line, {@code causerie user: <message>}, and exit 1.
 */
@Command(
    name = "user",
    mixinStandardHelpOptions = true,
    description = "Manages users: add, list, passwd, del. Passwords are stored as SCRAM-SHA-256 verifiers only.",
    subcommands = {UserCommand.Add.class, UserCommand.ListUsers.class, UserCommand.Passwd.class, UserCommand.Del.class})
public final class UserCommand implements Runnable {
  /** Longest password accepted on stdin, in characters: a guard against piping in a whole file by mistake. */
  static final int MAX_PASSWORD_CHARS = 1024;

  private static final String DB_HELP =
      "Path to a SQLite file or a JDBC URL (jdbc:sqlite:..., jdbc:postgresql://...) (default: ${DEFAULT-VALUE}).";
  private static final DateTimeFormatter CREATED =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

  /** Reads a password from a terminal without echoing it; returns null at end of input. */
  @FunctionalInterface
  interface PasswordPrompt {
    char[] readPassword(String prompt);
  }

  private final InputStream stdin;
  private final PasswordPrompt prompt;

  @Spec CommandSpec spec;

  /** The real command: stdin is {@link System#in}, the prompt is the system console when there is one. */
  public UserCommand() {
    this(System.in, systemPrompt());
  }

  /** For tests: a given stdin, and a prompt standing in for the console (null: there is no console). */
  UserCommand(InputStream stdin, PasswordPrompt promptOrNull) {
    this.stdin = stdin;
    this.prompt = promptOrNull;
  }

  private static PasswordPrompt systemPrompt() {
    java.io.Console console = System.console();
    return console == null ? null : text -> console.readPassword("%s", text);
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing subcommand: add, list, passwd or del");
  }

  /** A failure the command explains in one line and exits 1 for. */
  static final class CommandFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CommandFailure(String message) {
      super(message);
    }
  }

  /** What every subcommand shares: the database option, the parent's streams and the one-line error handling. */
  abstract static class Base implements Callable<Integer> {
    @ParentCommand UserCommand parent;

    @Spec CommandSpec spec;

    @Option(names = "--db", paramLabel = "PATH|JDBC-URL", defaultValue = Database.DEFAULT_PATH, description = DB_HELP)
    String db;

    PrintWriter out;

    @Override
    public final Integer call() {
      out = spec.commandLine().getOut();
      try {
        run();
        out.flush();
        return ExitCodes.OK;
      } catch (CommandFailure | StoreException | IllegalArgumentException e) {
        out.flush();
        PrintWriter err = spec.commandLine().getErr();
        err.println("causerie user: " + e.getMessage());
        err.flush();
        return ExitCodes.FAILED;
      }
    }

    abstract void run();

    /** Reads a new password from stdin or, twice, from the console; the caller wipes the array. */
    char[] readNewPassword(String name, boolean fromStdin) {
      if (fromStdin) {
        return readStdinLine(parent.stdin);
      }
      if (parent.prompt == null) {
        throw new CommandFailure("no console to read the password from; pipe it in with --password-stdin");
      }
      char[] first = parent.prompt.readPassword("Password for " + name + ": ");
      if (first == null || first.length == 0) {
        throw new CommandFailure("no password entered");
      }
      char[] again = parent.prompt.readPassword("Confirm password: ");
      try {
        if (!Arrays.equals(first, again)) {
          Arrays.fill(first, '\0');
          throw new CommandFailure("passwords do not match");
        }
        return first;
      } finally {
        if (again != null) {
          Arrays.fill(again, '\0');
        }
      }
    }

    static int checkIterations(int iterations) {
      if (iterations < ScramCredential.MIN_ITERATIONS || iterations > ScramCredential.MAX_ITERATIONS) {
        throw new CommandFailure("--iterations must be " + ScramCredential.MIN_ITERATIONS + ".."
            + ScramCredential.MAX_ITERATIONS + ", got " + iterations);
      }
      return iterations;
    }

    static ScramCredential credential(char[] password, int iterations) {
      try {
        return ScramCredential.generate(password, iterations, new SecureRandom());
      } finally {
        Arrays.fill(password, '\0');
      }
    }
  }

  /** The first line of stdin without its line ending, as a char array the caller wipes. */
  static char[] readStdinLine(InputStream in) {
    char[] buffer = new char[64];
    int length = 0;
    // No String is ever made of the password: it lives in char arrays that are wiped once used.
    try {
      Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
      int c;
      while ((c = reader.read()) != -1 && c != '\n') {
        if (length == MAX_PASSWORD_CHARS) {
          Arrays.fill(buffer, '\0');
          throw new CommandFailure("password on stdin is longer than " + MAX_PASSWORD_CHARS + " characters");
        }
        if (length == buffer.length) {
          char[] bigger = Arrays.copyOf(buffer, Math.min(buffer.length * 2, MAX_PASSWORD_CHARS));
          Arrays.fill(buffer, '\0');
          buffer = bigger;
        }
        buffer[length++] = (char) c;
      }
    } catch (IOException e) {
      Arrays.fill(buffer, '\0');
      throw new CommandFailure("cannot read the password from stdin: " + e.getMessage());
    }
    if (length > 0 && buffer[length - 1] == '\r') {
      length--;
    }
    char[] password = Arrays.copyOf(buffer, length);
    Arrays.fill(buffer, '\0');
    if (password.length == 0) {
      throw new CommandFailure("empty password on stdin");
    }
    return password;
  }

  /** {@code user add NAME}. */
  @Command(name = "add", mixinStandardHelpOptions = true, description = "Adds a user.")
  static final class Add extends Base {
    @Parameters(paramLabel = "NAME", description = "1-32 letters, digits, '.', '_' or '-', starting with a letter or digit.")
    String name;

    @Option(names = "--password-stdin", description = "Read the password from the first line of stdin.")
    boolean passwordStdin;

    @Option(names = "--allow", paramLabel = "CIDR",
        description = "Only allow sign-in from this address range, e.g. 192.168.10.0/24 or fe80::/10.")
    String allow;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "" + ScramCredential.DEFAULT_ITERATIONS,
        description = "PBKDF2 rounds for the verifier (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Override
    void run() {
      UserNames.validate(name);
      String range = allow == null ? null : Cidr.parse(allow).toString();
      checkIterations(iterations);
      try (Database database = Database.open(db)) {
        UserStore users = new JdbcUserStore(database);
        if (users.find(name).isPresent()) {
          throw new CommandFailure("user '" + name + "' already exists");
        }
        users.add(name, credential(readNewPassword(name, passwordStdin), iterations), range);
      }
      out.println("added user " + name + (range == null ? "" : ", allowed from " + range));
    }
  }

  /** {@code user list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the users.")
  static final class ListUsers extends Base {
    @Override
    void run() {
      List<User> users;
      try (Database database = Database.open(db)) {
        users = new JdbcUserStore(database).list();
      }
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"NAME", "ALLOWED FROM", "LAST SEEN IP", "CREATED (UTC)"});
      for (User u : users) {
        rows.add(new String[] {u.name(), orDash(u.allowedCidr()), orDash(u.lastSeenIp()),
            CREATED.format(Instant.ofEpochMilli(u.createdAtMillis()))});
      }
      int[] widths = new int[4];
      for (String[] row : rows) {
        for (int i = 0; i < row.length; i++) {
          widths[i] = Math.max(widths[i], row[i].length());
        }
      }
      for (String[] row : rows) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < row.length; i++) {
          line.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
        }
        out.println(line.toString().stripTrailing());
      }
    }

    private static String orDash(String s) {
      return s == null ? "-" : s;
    }
  }

  /** {@code user passwd NAME}. */
  @Command(name = "passwd", mixinStandardHelpOptions = true,
      description = "Sets a new password for a user (with a fresh salt).")
  static final class Passwd extends Base {
    @Parameters(paramLabel = "NAME", description = "The user.")
    String name;

    @Option(names = "--password-stdin", description = "Read the password from the first line of stdin.")
    boolean passwordStdin;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "" + ScramCredential.DEFAULT_ITERATIONS,
        description = "PBKDF2 rounds for the verifier (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Override
    void run() {
      checkIterations(iterations);
      try (Database database = Database.open(db)) {
        UserStore users = new JdbcUserStore(database);
        if (users.find(name).isEmpty()) {
          throw new CommandFailure("user '" + name + "' not found");
        }
        if (!users.updateCredential(name, credential(readNewPassword(name, passwordStdin), iterations))) {
          throw new CommandFailure("user '" + name + "' not found");
        }
      }
      out.println("changed the password of user " + name);
    }
  }

  /** {@code user del NAME}. */
  @Command(name = "del", mixinStandardHelpOptions = true,
      description = "Deletes a user (their call history stays).")
  static final class Del extends Base {
    @Parameters(paramLabel = "NAME", description = "The user.")
    String name;

    @Override
    void run() {
      try (Database database = Database.open(db)) {
        if (!new JdbcUserStore(database).delete(name)) {
          throw new CommandFailure("user '" + name + "' not found");
        }
      }
      out.println("deleted user " + name);
    }
  }
}
