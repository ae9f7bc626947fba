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
