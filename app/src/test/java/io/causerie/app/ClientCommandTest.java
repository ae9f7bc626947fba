package io.causerie.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.causerie.protocol.scram.ScramCredential;
import io.causerie.server.CauserieServer;
import io.causerie.server.ServerConfig;
import io.causerie.server.store.Database;
import io.causerie.server.store.JdbcUserStore;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The headless client as a script uses it: flags in, JSON lines and an exit code out, against a real server. */
class ClientCommandTest {
  @TempDir Path dir;
  private CauserieServer server;

  /** One run of the command: its exit code and its stdout lines. */
  record Run(int exit, List<String> lines, String stderr) {
    boolean has(String fragment) {
      return lines.stream().anyMatch(l -> l.contains(fragment));
    }
  }

  private void startServer(Duration noAnswer) throws Exception {
    Path db = dir.resolve("c.db");
    try (Database d = Database.open(db.toString())) {
      JdbcUserStore users = new JdbcUserStore(d);
      for (String u : List.of("alice", "bob", "carol")) {
        users.add(u, ScramCredential.generate((u + "-pw").toCharArray(), 4096, new SecureRandom()), null);
      }
    }
    server = CauserieServer.start(ServerConfig.forTests(db.toString())
        .withTimeouts(Duration.ofSeconds(15), Duration.ofSeconds(45), noAnswer));
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private String addr() {
    return "127.0.0.1:" + server.signallingAddress().getPort();
  }

  private Run run(String stdin, String... args) {
    ClientCommand cmd = new ClientCommand();
    cmd.in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
    cmd.knownServers = dir.resolve("known_servers"); // never the real user's file
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(cmd);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    List<String> lines = Arrays.stream(out.toString().split("\n")).filter(l -> !l.isBlank()).toList();
    return new Run(code, lines, err.toString());
  }

  private CompletableFuture<Run> runAsync(String stdin, String... args) {
    return CompletableFuture.supplyAsync(() -> run(stdin, args));
  }

  private String[] as(String user, String... more) {
    String[] base = {"--server", addr(), "--user", user, "--password-stdin"};
    String[] all = Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  /** Waits until the user is signed in, so a call placed next finds them. */
  private void awaitOnline(String user) throws InterruptedException {
    for (int i = 0; i < 200 && server.<Integer>inspect(c -> c.mediaPortOf(user)) < 0; i++) {
      Thread.sleep(25);
    }
  }

  @Test
  void aScriptedCallIsAnsweredAndEndsWithExitZero() throws Exception {
    startServer(Duration.ofSeconds(30));
    CompletableFuture<Run> bob = runAsync("bob-pw\n", as("bob", "--answer", "--wait", "20"));
    awaitOnline("bob");
    Run alice = run("alice-pw\n", as("alice", "--call", "bob", "--duration", "0.5"));
    Run b = bob.get(20, TimeUnit.SECONDS);
    assertThat(alice.exit()).as(alice.toString()).isZero();
    assertThat(b.exit()).as(b.toString()).isZero();
    assertThat(alice.lines()).allSatisfy(l -> assertThat(l).startsWith("{\"event\":\"").endsWith("}"));
    assertThat(alice.has("\"event\":\"registered\"")).isTrue();
    assertThat(alice.has("\"event\":\"ringing\"")).isTrue();
    assertThat(alice.has("\"event\":\"call-started\"")).isTrue();
    // Both print the same short authentication string.
    String sas = alice.lines().stream().filter(l -> l.contains("\"event\":\"call-started\"")).findFirst()
        .map(l -> l.replaceAll(".*\"sas\":\"([0-9]{4})\".*", "$1")).orElseThrow();
    assertThat(sas).matches("[0-9]{4}");
    assertThat(b.has("\"sas\":\"" + sas + "\"")).isTrue();
    assertThat(alice.has("\"reason\":\"hangup\"")).isTrue();
    assertThat(b.has("\"event\":\"incoming\"")).isTrue();
    assertThat(b.has("\"reason\":\"remote-hangup\"")).isTrue();
    // Both clients told the server how the call sounded: the history has the figures.
    try (Database d = Database.open(dir.resolve("c.db").toString())) {
      var history = new io.causerie.server.store.JdbcCallHistoryStore(d);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (history.query("alice", 0, 10).isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(history.query("alice", 0, 10)).singleElement().satisfies(call -> {
        assertThat(call.mos()).isNotNull().isGreaterThan(3.0);
        assertThat(call.lossPercent()).isNotNull();
      });
    }
    // Presence changes are batched: alice may show up online, or already in the call.
    assertThat(b.has("\"user\":\"alice\",\"state\":\"online\"")
        || b.has("\"user\":\"alice\",\"state\":\"in-call\"")).isTrue();
  }

  @Test
  void refusedBusyNoAnswerAndUnknownHaveTheirOwnExitCodes() throws Exception {
    startServer(Duration.ofSeconds(1));
    CompletableFuture<Run> bob = runAsync("bob-pw\n", as("bob", "--refuse", "--wait", "20"));
    awaitOnline("bob");
    Run refused = run("alice-pw\n", as("alice", "--call", "bob"));
    assertThat(refused.exit()).as(refused.toString()).isEqualTo(ExitCodes.REFUSED);
    assertThat(refused.has("\"reason\":\"refused\"")).isTrue();
    assertThat(bob.get(20, TimeUnit.SECONDS).exit()).isZero();

    CompletableFuture<Run> idle = runAsync("bob-pw\n", as("bob", "--wait", "4"));
    awaitOnline("bob");
    Run noAnswer = run("alice-pw\n", as("alice", "--call", "bob"));
    assertThat(noAnswer.exit()).as(noAnswer.toString()).isEqualTo(ExitCodes.NO_ANSWER);
    assertThat(idle.get(20, TimeUnit.SECONDS).exit()).isZero();

    Run unknown = run("alice-pw\n", as("alice", "--call", "nobody"));
    assertThat(unknown.exit()).isEqualTo(ExitCodes.UNKNOWN_OR_OFFLINE);
    assertThat(unknown.has("\"reason\":\"unknown-user\"")).isTrue();
    Run offline = run("alice-pw\n", as("alice", "--call", "carol"));
    assertThat(offline.exit()).isEqualTo(ExitCodes.UNKNOWN_OR_OFFLINE);
    assertThat(offline.has("\"reason\":\"offline\"")).isTrue();
  }

  @Test
  void busy() throws Exception {
    startServer(Duration.ofSeconds(30));
    CompletableFuture<Run> bob = runAsync("bob-pw\n", as("bob", "--answer", "--wait", "20"));
    awaitOnline("bob");
    CompletableFuture<Run> alice = runAsync("alice-pw\n", as("alice", "--call", "bob", "--duration", "3"));
    for (int i = 0; i < 200 && server.<Integer>inspect(c -> c.callCount()) == 0; i++) {
      Thread.sleep(25);
    }
    Run carol = run("carol-pw\n", as("carol", "--call", "bob"));
    assertThat(carol.exit()).as(carol.toString()).isEqualTo(ExitCodes.BUSY);
    assertThat(carol.has("\"reason\":\"busy\"")).isTrue();
    assertThat(alice.get(20, TimeUnit.SECONDS).exit()).isZero();
    assertThat(bob.get(20, TimeUnit.SECONDS).exit()).isZero();
  }

  @Test
  void aServerWhoseKeyChangedIsRefusedWithBothFingerprintsNamed() throws Exception {
    startServer(Duration.ofSeconds(30));
    String real = server.fingerprint();
    // Trust on first use, then pinned up front: the right fingerprint signs in, another is refused before any
    // password is sent.
    assertThat(run("alice-pw\n", as("alice", "--wait", "0.2")).exit()).isZero();
    assertThat(run("alice-pw\n", as("alice", "--wait", "0.2", "--server-fingerprint", real)).exit()).isZero();
    String other = "SHA256:" + "00:".repeat(31) + "00";
    Run pinned = run("alice-pw\n", as("alice", "--wait", "0.2", "--server-fingerprint", other));
    assertThat(pinned.exit()).as(pinned.toString()).isEqualTo(ExitCodes.SERVER_KEY_CHANGED);
    assertThat(pinned.has("\"code\":\"server-key-changed\"")).isTrue();
    assertThat(pinned.has(real)).isTrue();
    assertThat(pinned.has(other)).isTrue();
    // The file remembered the server; a different line for it is refused.
    Path known = dir.resolve("known_servers");
    assertThat(java.nio.file.Files.readString(known)).contains(addr() + " " + real);
    java.nio.file.Files.writeString(known, addr() + " " + other + "\n");
    Run changed = run("alice-pw\n", as("alice", "--wait", "0.2"));
    assertThat(changed.exit()).isEqualTo(ExitCodes.SERVER_KEY_CHANGED);
    assertThat(changed.has(known.toString())).isTrue();
  }

  @Test
  void badCredentialsAndAnUnreachableServer() throws Exception {
    startServer(Duration.ofSeconds(30));
    Run wrong = run("nope\n", as("alice", "--wait", "1"));
    assertThat(wrong.exit()).isEqualTo(ExitCodes.BAD_CREDENTIALS);
    assertThat(wrong.has("\"code\":\"auth-failed\"")).isTrue();
    try (DatagramChannel silent = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
      int port = ((InetSocketAddress) silent.getLocalAddress()).getPort();
      Run down = run("x\n", "--server", "127.0.0.1:" + port, "--user", "alice", "--password-stdin",
          "--connect-timeout", "1", "--wait", "1");
      assertThat(down.exit()).isEqualTo(ExitCodes.UNREACHABLE);
      assertThat(down.has("\"code\":\"unreachable\"")).isTrue();
      assertThat(down.has("127.0.0.1:" + port)).isTrue();
    }
  }

  @Test
  void thePasswordMayComeFromAFile() throws Exception {
    startServer(Duration.ofSeconds(30));
    Path pw = Files.writeString(dir.resolve("pw"), "alice-pw\n");
    Run r = run("", "--server", addr(), "--user", "alice", "--password-file", pw.toString(), "--wait", "0.2");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.has("\"event\":\"registered\"")).isTrue();
  }

  @Test
  void theConsoleTakesCommandsFromStdin() throws Exception {
    startServer(Duration.ofSeconds(30));
    CompletableFuture<Run> bob = runAsync("bob-pw\n", as("bob", "--wait", "3"));
    awaitOnline("bob");
    // "who", then a command it does not know; the end of stdin ends the console with exit 0.
    Run alice = run("alice-pw\nwho\nbogus\n", as("alice"));
    assertThat(alice.exit()).isZero();
    assertThat(alice.has("\"user\":\"bob\",\"state\":\"online\"")).isTrue();
    assertThat(alice.has("unknown command 'bogus'")).isTrue();
    assertThat(bob.get(20, TimeUnit.SECONDS).exit()).isZero();
  }

  @Test
  void contradictoryFlagsAreUsageErrors() {
    Run r = run("", "--server", "127.0.0.1", "--user", "a", "--password-stdin", "--call", "b", "--answer");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.stderr()).contains("exclude each other");
    Run noPw = run("", "--server", "127.0.0.1", "--user", "a");
    assertThat(noPw.exit()).isEqualTo(2);
    Run badServer = run("x\n", "--server", "127.0.0.1:99999", "--user", "a", "--password-stdin");
    assertThat(badServer.exit()).isEqualTo(2);
    assertThat(badServer.stderr()).contains("port must be 1-65535");
  }
}
