package io.causerie.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.causerie.server.MediaMode;
import io.causerie.server.ServerConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Start-up failures end with one clear line; settings come from flags over the config file. */
class ServerCommandTest {
  @TempDir Path dir;

  record Result(int exit, String err) {}

  private Result run(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new ServerCommand());
    cl.setErr(new PrintWriter(err, true));
    return new Result(cl.execute(args), err.toString());
  }

  private static void oneLine(Result r, String contains) {
    assertThat(r.exit()).isNotZero();
    assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
    assertThat(r.err()).startsWith("causerie server: ").contains(contains);
  }

  @Test
  void aPortInUseIsOneClearLine() throws Exception {
    try (DatagramChannel taken = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
      int port = ((InetSocketAddress) taken.getLocalAddress()).getPort();
      oneLine(run("--bind", "127.0.0.1", "--port", String.valueOf(port), "--media-ports", "0",
          "--db", dir.resolve("a.db").toString()), "cannot listen on udp 127.0.0.1:" + port);
    }
  }

  @Test
  void aBadDatabaseIsOneClearLine() throws Exception {
    oneLine(run("--bind", "127.0.0.1", "--port", "0", "--db", "jdbc:nosuch://x"), "jdbc:nosuch://x");
    Path notADir = Files.writeString(dir.resolve("file"), "a file, not a folder");
    oneLine(run("--bind", "127.0.0.1", "--port", "0", "--media-ports", "0", "--db", notADir.resolve("x").toString()),
        notADir.toString());
  }

  @Test
  void configFileErrorsAreOneClearLine() throws Exception {
    oneLine(run("--config", dir.resolve("missing.conf").toString()), "cannot read --config");
    Path unknown = Files.writeString(dir.resolve("u.conf"), "port = 6100\ncolour = blue\n");
    oneLine(run("--config", unknown.toString()), "unknown setting 'colour'");
    Path bad = Files.writeString(dir.resolve("b.conf"), "port = six\n");
    oneLine(run("--config", bad.toString()), "bad port 'six'");
    oneLine(run("--media-ports", "6099-6001"), "bad media port range");
    oneLine(run("--media-ports", "lots"), "bad media-ports 'lots'");
  }

  @Test
  void flagsOverrideTheFile() throws Exception {
    Path conf = Files.writeString(dir.resolve("c.conf"),
        "port = 7100\nmedia-ports = 7001-7010\nno-answer-timeout = 12\nsession-timeout = 60\n");
    ServerCommand cmd = new ServerCommand();
    new CommandLine(cmd).parseArgs("--config", conf.toString(), "--port", "7200");
    ServerConfig c = cmd.buildConfig();
    assertThat(c.signallingPort()).isEqualTo(7200);
    assertThat(c.mediaPortFrom()).isEqualTo(7001);
    assertThat(c.mediaPortTo()).isEqualTo(7010);
    assertThat(c.noAnswerTimeout()).isEqualTo(Duration.ofSeconds(12));
    assertThat(c.sessionTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.db()).isEqualTo(ServerConfig.DEFAULT_DB);
  }

  @Test
  void everySettingIsAlsoAFlagAndIsPrinted() throws Exception {
    CommandLine cl = new CommandLine(new ServerCommand());
    for (String key : ServerCommand.CONFIG_KEYS) {
      assertThat(cl.getCommandSpec().findOption("--" + key)).as("flag --" + key).isNotNull();
    }
    StringWriter out = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    assertThat(cl.execute("--print-config")).isZero();
    java.util.Set<String> printed = new java.util.TreeSet<>();
    out.toString().lines().filter(l -> l.contains(" = ")).forEach(l -> printed.add(l.substring(0, l.indexOf(" = "))));
    assertThat(printed).containsExactlyInAnyOrderElementsOf(ServerCommand.CONFIG_KEYS);
  }

  /** Each flag's help states its default by hand: it must be the default the server really uses (printed). */
  @Test
  void theDefaultsInTheHelpAreTheServersDefaults() {
    CommandLine cl = new CommandLine(new ServerCommand());
    StringWriter out = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    assertThat(cl.execute("--print-config")).isZero();
    java.util.Map<String, String> printed = new java.util.TreeMap<>();
    out.toString().lines().filter(l -> l.contains(" = "))
        .forEach(l -> printed.put(l.substring(0, l.indexOf(" = ")), l.substring(l.indexOf(" = ") + 3)));
    java.util.regex.Pattern stated = java.util.regex.Pattern.compile("\\(default: (\\d[\\d-]*)[;,)]");
    int checked = 0;
    for (String key : ServerCommand.CONFIG_KEYS) {
      String help = String.join(" ", cl.getCommandSpec().findOption("--" + key).description());
      java.util.regex.Matcher m = stated.matcher(help);
      if (m.find()) {
        assertThat(m.group(1)).as("--" + key + " help: " + help).isEqualTo(printed.get(key));
        checked++;
      }
    }
    assertThat(checked).as("flags whose help states a numeric default").isGreaterThanOrEqualTo(15);
  }

  @Test
  void tuningComesFromFlagsOverTheFileAndIsChecked() throws Exception {
    Path conf = Files.writeString(dir.resolve("t.conf"),
        "presence-interval = 500\ndtls-max-handshakes = 16\nmax-sessions = 300\n");
    ServerCommand cmd = new ServerCommand();
    new CommandLine(cmd).parseArgs("--config", conf.toString(), "--dtls-max-associations", "2000",
        "--max-sessions-per-address", "4", "--media-max-packets", "120", "--keepalive-interval", "10");
    ServerConfig c = cmd.buildConfig();
    assertThat(c.tuning().presenceInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.tuning().dtlsMaxHandshakes()).isEqualTo(16);
    assertThat(c.tuning().dtlsMaxAssociations()).isEqualTo(2000);
    assertThat(c.tuning().dtls().maxConnections()).isEqualTo(2000);
    assertThat(c.tuning().dtlsIdleTimeout()).isEqualTo(ServerConfig.Tuning.DEFAULTS.dtlsIdleTimeout());
    assertThat(c.maxSessions()).isEqualTo(300);
    assertThat(c.maxSessionsPerAddress()).isEqualTo(4);
    assertThat(c.abuse().mediaPacketsPerSecond()).isEqualTo(120);
    assertThat(c.keepaliveInterval()).isEqualTo(Duration.ofSeconds(10));

    // A longer session timeout takes the association's idle timeout with it, unless that is set too short.
    ServerCommand longer = new ServerCommand();
    new CommandLine(longer).parseArgs("--session-timeout", "120");
    assertThat(longer.buildConfig().tuning().dtlsIdleTimeout()).isEqualTo(Duration.ofSeconds(120));
    oneLine(run("--session-timeout", "120", "--dtls-idle-timeout", "60"),
        "dtls-idle-timeout (60 s) must be at least the session timeout (120 s)");
    oneLine(run("--presence-interval", "6000"), "presence-interval must be between 0 and 5000 ms");
    oneLine(run("--dtls-max-handshakes", "0"), "dtls-max-handshakes and dtls-max-associations must be at least 1");
  }

  @Test
  void theMediaModeComesFromTheFileOrTheFlagAndIsPortsByDefault() throws Exception {
    ServerCommand dflt = new ServerCommand();
    new CommandLine(dflt).parseArgs();
    assertThat(dflt.buildConfig().mediaMode()).isEqualTo(MediaMode.PORTS);
    Path conf = Files.writeString(dir.resolve("m.conf"), "media-mode = single-port\n");
    ServerCommand fromFile = new ServerCommand();
    new CommandLine(fromFile).parseArgs("--config", conf.toString());
    assertThat(fromFile.buildConfig().mediaMode()).isEqualTo(MediaMode.SINGLE_PORT);
    ServerCommand flag = new ServerCommand();
    new CommandLine(flag).parseArgs("--config", conf.toString(), "--media-mode", "ports");
    assertThat(flag.buildConfig().mediaMode()).isEqualTo(MediaMode.PORTS);
    oneLine(run("--media-mode", "one-port"), "bad media mode 'one-port'");
  }

  @Test
  void aSinglePortInUseIsOneClearLine() throws Exception {
    try (DatagramChannel taken = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
      int port = ((InetSocketAddress) taken.getLocalAddress()).getPort();
      oneLine(run("--bind", "127.0.0.1", "--port", "0", "--media-ports", port + "-" + port, "--media-mode",
          "single-port", "--db", dir.resolve("s.db").toString()), "cannot bind the media port udp 127.0.0.1:" + port);
    }
  }
}
