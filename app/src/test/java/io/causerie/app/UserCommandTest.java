package io.causerie.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.causerie.protocol.scram.ScramCredential;
import io.causerie.server.store.Database;
import io.causerie.server.store.JdbcUserStore;
import io.causerie.server.store.User;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class UserCommandTest {
  /** Tests keep PBKDF2 cheap; the default is exercised by ScramCredential's own tests. */
  private static final String FAST = "4096";

  @TempDir Path dir;

  private String db() {
    return dir.resolve("data/causerie.db").toString();
  }

  /** One run of the command: exit code and what it printed. */
  record Run(int exitCode, String out, String err) {}

  /** A console that answers prompts from a script and records what it was asked. */
  static final class ScriptedPrompt implements UserCommand.PasswordPrompt {
    final Deque<String> answers = new ArrayDeque<>();
    final List<String> prompts = new ArrayList<>();

    ScriptedPrompt(String... answers) {
      this.answers.addAll(List.of(answers));
    }

    @Override
    public char[] readPassword(String prompt) {
      prompts.add(prompt);
      String a = answers.poll();
      return a == null ? null : a.toCharArray();
    }
  }

  private static Run runWithPrompt(String stdin, UserCommand.PasswordPrompt prompt, String... args) {
    InputStream in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
    CommandLine cl = new CommandLine(new UserCommand(in, prompt));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private Run run(String stdin, String... args) {
    return runWithPrompt(stdin, null, args);
  }

  private Optional<User> stored(String name) {
    try (Database database = Database.open(db())) {
      return new JdbcUserStore(database).find(name);
    }
  }

  private static boolean verifies(User user, String password) {
    ScramCredential c = user.credential();
    return ScramCredential.derive(password.toCharArray(), c.salt(), c.iterations()).equals(c);
  }

  private static void assertOneLineError(Run r, String fragment) {
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).startsWith("causerie user: ").contains(fragment).endsWith(System.lineSeparator());
    assertThat(r.err().strip()).doesNotContain("\n");
  }

  @Test
  void addReadsThePasswordFromStdin() {
    Run r = run("s3cret pw\n", "add", "alice", "--password-stdin", "--iterations", FAST, "--db", db());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("added user alice");
    assertThat(r.err()).isEmpty();
    User alice = stored("alice").orElseThrow();
    assertThat(alice.credential().iterations()).isEqualTo(4096);
    assertThat(alice.credential().salt()).hasSize(16);
    assertThat(verifies(alice, "s3cret pw")).isTrue();
    assertThat(alice.allowedCidr()).isNull();
  }

  @Test
  void aWindowsLineEndingAndAMissingNewlineAreFine() {
    assertThat(run("pw1\r\n", "add", "alice", "--password-stdin", "--iterations", FAST, "--db", db()).exitCode()).isZero();
    assertThat(run("pw2", "add", "bob", "--password-stdin", "--iterations", FAST, "--db", db()).exitCode()).isZero();
    assertThat(verifies(stored("alice").orElseThrow(), "pw1")).isTrue();
    assertThat(verifies(stored("bob").orElseThrow(), "pw2")).isTrue();
  }

  @Test
  void onlyTheFirstLineOfStdinIsThePassword() {
    run("first\nsecond\n", "add", "alice", "--password-stdin", "--iterations", FAST, "--db", db());
    assertThat(verifies(stored("alice").orElseThrow(), "first")).isTrue();
  }

  @Test
  void addStoresTheAllowedRangeInCanonicalForm() {
    Run r = run("pw\n", "add", "alice", "--password-stdin", "--allow", "192.168.10.7/24", "--iterations", FAST,
        "--db", db());
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("allowed from 192.168.10.0/24");
    assertThat(stored("alice").orElseThrow().allowedCidr()).isEqualTo("192.168.10.0/24");
  }

  @Test
  void theDefaultIterationCountIsUsedWithoutTheOption() {
    assertThat(run("pw\n", "add", "alice", "--password-stdin", "--db", db()).exitCode()).isZero();
    assertThat(stored("alice").orElseThrow().credential().iterations()).isEqualTo(ScramCredential.DEFAULT_ITERATIONS);
  }

  @Test
  void addingAnExistingUserFails() {
    run("pw\n", "add", "alice", "--password-stdin", "--iterations", FAST, "--db", db());
    Run r = run("other\n", "add", "alice", "--password-stdin", "--iterations", FAST, "--db", db());
    assertOneLineError(r, "user 'alice' already exists");
    assertThat(verifies(stored("alice").orElseThrow(), "pw")).isTrue();
  }

  @Test
  void badNamesRangesIterationsAndPasswordsFail() {
    assertOneLineError(run("pw\n", "add", ".alice", "--password-stdin", "--db", db()), "must start with a letter");
    assertOneLineError(run("pw\n", "add", "alice", "--password-stdin", "--allow", "10.0.0.0/33", "--db", db()),
        "longer than 32 bits");
    assertOneLineError(run("pw\n", "add", "alice", "--password-stdin", "--iterations", "100", "--db", db()),
        "--iterations must be 4096..");
    assertOneLineError(run("\n", "add", "alice", "--password-stdin", "--db", db()), "empty password on stdin");
    assertOneLineError(run("", "add", "alice", "--password-stdin", "--db", db()), "empty password on stdin");
    assertOneLineError(run("x".repeat(UserCommand.MAX_PASSWORD_CHARS + 1), "add", "alice", "--password-stdin",
        "--db", db()), "longer than " + UserCommand.MAX_PASSWORD_CHARS);
    assertThat(stored("alice")).isEmpty();
  }

  @Test
  void withoutAConsoleTheCommandPointsAtPasswordStdin() {
    Run r = runWithPrompt("", null, "add", "alice", "--iterations", FAST, "--db", db());
    assertOneLineError(r, "--password-stdin");
    assertThat(stored("alice")).isEmpty();
  }

  @Test
  void theConsoleIsAskedTwice() {
    ScriptedPrompt prompt = new ScriptedPrompt("from console", "from console");
    Run r = runWithPrompt("", prompt, "add", "alice", "--iterations", FAST, "--db", db());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(prompt.prompts).containsExactly("Password for alice: ", "Confirm password: ");
    assertThat(verifies(stored("alice").orElseThrow(), "from console")).isTrue();
  }

  @Test
  void mismatchedConsoleEntriesFail() {
    assertOneLineError(runWithPrompt("", new ScriptedPrompt("one", "two"), "add", "alice", "--db", db()),
        "passwords do not match");
    assertOneLineError(runWithPrompt("", new ScriptedPrompt(), "add", "alice", "--db", db()), "no password entered");
    assertThat(stored("alice")).isEmpty();
  }

  @Test
  void listPrintsATable() {
    run("pw\n", "add", "bob", "--password-stdin", "--iterations", FAST, "--db", db());
    run("pw\n", "add", "alice", "--password-stdin", "--allow", "fe80::/10", "--iterations", FAST, "--db", db());
    try (Database database = Database.open(db())) {
      new JdbcUserStore(database).recordLastSeen("bob", "127.0.0.1");
    }
    Run r = run("", "list", "--db", db());
    assertThat(r.exitCode()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).matches("NAME +ALLOWED FROM +LAST SEEN IP +CREATED \\(UTC\\)");
    assertThat(lines.get(1)).matches("alice +fe80::/10 +- +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d");
    assertThat(lines.get(2)).matches("bob +- +127\\.0\\.0\\.1 +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d");
    // Columns line up.
    assertThat(lines.get(1).indexOf("fe80")).isEqualTo(lines.get(0).indexOf("ALLOWED"));
    assertThat(lines.get(2).indexOf("127.")).isEqualTo(lines.get(0).indexOf("LAST SEEN"));
  }

  @Test
  void listOfAnEmptyDatabasePrintsTheHeaderOnly() {
    Run r = run("", "list", "--db", db());
    assertThat(r.exitCode()).isZero();
    assertThat(r.out().lines().toList()).hasSize(1);
  }

  @Test
  void passwdSetsANewPasswordWithAFreshSalt() {
    run("old\n", "add", "alice", "--password-stdin", "--iterations", FAST, "--db", db());
    byte[] oldSalt = stored("alice").orElseThrow().credential().salt();
    Run r = run("new\n", "passwd", "alice", "--password-stdin", "--iterations", FAST, "--db", db());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("changed the password of user alice");
    User alice = stored("alice").orElseThrow();
    assertThat(verifies(alice, "new")).isTrue();
    assertThat(verifies(alice, "old")).isFalse();
    assertThat(alice.credential().salt()).isNotEqualTo(oldSalt);
  }

  @Test
  void passwdOfAnUnknownUserFails() {
    assertOneLineError(run("pw\n", "passwd", "ghost", "--password-stdin", "--db", db()), "user 'ghost' not found");
  }

  @Test
  void delRemovesTheUser() {
    run("pw\n", "add", "alice", "--password-stdin", "--iterations", FAST, "--db", db());
    Run r = run("", "del", "alice", "--db", db());
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("deleted user alice");
    assertThat(stored("alice")).isEmpty();
    assertOneLineError(run("", "del", "alice", "--db", db()), "user 'alice' not found");
  }

  @Test
  void aBadDatabaseIsOneLine() throws Exception {
    Path blocker = Files.writeString(dir.resolve("blocker"), "x");
    assertOneLineError(run("", "list", "--db", blocker.resolve("causerie.db").toString()), "cannot create directory");
    assertOneLineError(run("", "list", "--db", "jdbc:mysql://localhost/x"), "unsupported database URL");
  }

  @Test
  void aMissingSubcommandIsAUsageError() {
    Run r = run("", new String[0]);
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("missing subcommand");
  }

  @Test
  void theDatabaseOptionDefaultsToTheServersFile() {
    CommandLine cl = new CommandLine(new UserCommand());
    String defaultDb = cl.getSubcommands().get("list").getCommandSpec().findOption("--db").defaultValue();
    assertThat(defaultDb).isEqualTo("data/causerie.db");
  }
}
