package io.causerie.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.causerie.media.audio.ToneGenerator;
import io.causerie.media.audio.WavReader;
import io.causerie.media.audio.WavWriter;
import io.causerie.media.device.SoundDevice;
import io.causerie.protocol.scram.ScramCredential;
import io.causerie.server.CauserieServer;
import io.causerie.server.ServerConfig;
import io.causerie.server.store.Database;
import io.causerie.server.store.JdbcUserStore;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
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

/** The client's audio flags as a script uses them: a tone or a file in, a WAV file and quality events out. */
class ClientMediaCommandTest {
  @TempDir Path dir;
  private CauserieServer server;

  record Run(int exit, List<String> lines, String stderr) {
    List<String> events(String name) {
      return lines.stream().filter(l -> l.contains("\"event\":\"" + name + "\"")).toList();
    }
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private void startServer() throws Exception {
    Path db = dir.resolve("m.db");
    try (Database d = Database.open(db.toString())) {
      JdbcUserStore users = new JdbcUserStore(d);
      for (String u : List.of("alice", "bob")) {
        users.add(u, ScramCredential.generate((u + "-pw").toCharArray(), 4096, new SecureRandom()), null);
      }
    }
    server = CauserieServer.start(ServerConfig.forTests(db.toString())
        .withTimeouts(Duration.ofSeconds(15), Duration.ofSeconds(45), Duration.ofSeconds(30)));
  }

  private Run run(Object command, String stdin, String... args) {
    if (command instanceof ClientCommand c) {
      c.in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
      c.knownServers = dir.resolve("known_servers"); // never the real user's file
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(command);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    List<String> lines = Arrays.stream(out.toString().split("\n")).filter(l -> !l.isBlank()).toList();
    return new Run(code, lines, err.toString());
  }

  private Run client(String user, String... more) {
    return run(new ClientCommand(), user + "-pw\n", as(user, more));
  }

  private String[] as(String user, String... more) {
    String addr = server == null ? "127.0.0.1:9" : "127.0.0.1:" + server.signallingAddress().getPort();
    String[] base = {"--server", addr, "--user", user, "--password-stdin"};
    String[] all = Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  private void awaitOnline(String user) throws InterruptedException {
    for (int i = 0; i < 200 && server.<Integer>inspect(c -> c.mediaPortOf(user)) < 0; i++) {
      Thread.sleep(25);
    }
  }

  /** Share of the power of the recording's loud 20 ms frames that lies at {@code hz}, and how many there are. */
  private static double[] tone(Path wav, double hz) throws Exception {
    short[] pcm;
    int rate;
    try (WavReader r = WavReader.open(wav)) {
      rate = r.sampleRateHz();
      pcm = new short[rate * 30];
      int n = Math.max(0, r.read(pcm, 0, pcm.length));
      pcm = Arrays.copyOf(pcm, n);
    }
    int frame = rate / 50;
    int loud = 0;
    double ratioSum = 0;
    for (int f = 1; (f + 2) * frame <= pcm.length; f++) { // skip the frames where the tone starts or stops
      double ms = 0;
      for (int i = 0; i < frame; i++) {
        ms += (double) pcm[f * frame + i] * pcm[f * frame + i];
      }
      ms /= frame;
      double prevMs = 0;
      double nextMs = 0;
      for (int i = 0; i < frame; i++) {
        prevMs += (double) pcm[(f - 1) * frame + i] * pcm[(f - 1) * frame + i] / frame;
        nextMs += (double) pcm[(f + 1) * frame + i] * pcm[(f + 1) * frame + i] / frame;
      }
      if (ms > 1e5 && prevMs > 1e5 && nextMs > 1e5) {
        loud++;
        ratioSum += goertzel(pcm, f * frame, frame, hz, rate) / ms;
      }
    }
    return new double[] {loud == 0 ? 0 : ratioSum / loud, loud};
  }

  private static double goertzel(short[] x, int off, int n, double hz, int rate) {
    double coeff = 2 * Math.cos(2 * Math.PI * hz / rate);
    double s1 = 0;
    double s2 = 0;
    for (int i = 0; i < n; i++) {
      double s0 = x[off + i] + coeff * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
    return 2 * (s1 * s1 + s2 * s2 - coeff * s1 * s2) / ((double) n * n);
  }

  @Test
  void aToneSentByOneClientIsRecordedByTheOtherWithQualityEvents() throws Exception {
    startServer();
    Path out = dir.resolve("out.wav");
    CompletableFuture<Run> bob = CompletableFuture.supplyAsync(() ->
        client("bob", "--answer", "--record", out.toString(), "--wait", "20"));
    awaitOnline("bob");
    Run alice = client("alice", "--call", "bob", "--tone", "440", "--duration", "2");
    Run b = bob.get(20, TimeUnit.SECONDS);
    assertThat(alice.exit()).as(alice.toString()).isZero();
    assertThat(b.exit()).as(b.toString()).isZero();

    double[] t = tone(out, 440);
    assertThat(t[1]).as("loud frames (about 2 s of tone)").isGreaterThan(70);
    assertThat(t[0]).as("share of their power at 440 Hz").isGreaterThan(0.9);

    for (Run r : List.of(alice, b)) {
      assertThat(r.events("quality")).as(r.toString()).hasSizeGreaterThanOrEqualTo(1);
      assertThat(r.events("quality").get(0)).contains("\"sent\":", "\"received\":", "\"lost\":", "\"late\":",
          "\"concealed\":", "\"fecRecovered\":", "\"jitterMs\":", "\"rttMs\":", "\"jbDelayMs\":", "\"mos\":",
          "\"codec\":\"opus\"");
      String ended = r.events("call-ended").get(0);
      assertThat(ended).contains("\"reason\":", "\"durationSeconds\":", "\"sent\":", "\"received\":", "\"mos\":",
          "\"codec\":\"opus\"");
      // Events stay in order: the last quality event comes before call-ended.
      assertThat(r.lines().indexOf(ended)).isGreaterThan(r.lines().indexOf(r.events("quality").get(0)));
    }
    assertThat(b.events("call-ended").get(0)).doesNotContain("\"received\":0,");
  }

  @Test
  void aWavFileWithAPreferredCodecThroughAnImpairedPath() throws Exception {
    startServer();
    Path in = dir.resolve("in.wav");
    try (WavWriter w = WavWriter.create(in, 16_000)) {
      short[] pcm = new short[16_000];
      new ToneGenerator(700, 0.3, 16_000).generate(pcm, 0, pcm.length);
      w.write(pcm, 0, pcm.length);
    }
    Path out = dir.resolve("heard.wav");
    CompletableFuture<Run> bob = CompletableFuture.supplyAsync(() ->
        client("bob", "--answer", "--record", out.toString(), "--impair", "loss=5,seed=1", "--wait", "20"));
    awaitOnline("bob");
    Run alice = client("alice", "--call", "bob", "--play", in.toString(), "--codec", "pcma", "--duration", "1.5");
    Run b = bob.get(20, TimeUnit.SECONDS);
    assertThat(alice.exit()).as(alice.toString()).isZero();
    assertThat(alice.events("call-started").get(0)).contains("\"codec\":\"pcma\"");
    double[] t = tone(out, 700);
    assertThat(t[1]).as("about 1 s of tone").isGreaterThan(30);
    assertThat(t[0]).isGreaterThan(0.8);
    assertThat(b.events("call-ended").get(0)).contains("\"codec\":\"pcma\"");
  }

  @Test
  void anAbsentDeviceIsOneClearErrorAndExitOne() {
    Run r = run(new ClientCommand(), "x\n", "--server", "127.0.0.1:9", "--user", "a", "--password-stdin",
        "--input", "no-such-microphone-xyz");
    assertThat(r.exit()).isEqualTo(ExitCodes.FAILED);
    assertThat(r.lines()).hasSize(1);
    assertThat(r.lines().get(0)).contains("\"code\":\"no-audio-device\"", "no-such-microphone-xyz");
  }

  @Test
  void badAudioFlagsAreUsageErrors() {
    String[][] cases = {
      {"--tone", "440", "--play", "x.wav"},
      {"--impair", "loss=500"},
      {"--impair", "loss=5", "--impair-direction", "sideways"},
      {"--codec", "g729"},
      {"--jitter-cap", "10"},
      {"--play", dir.resolve("missing.wav").toString()},
      {"--record", dir.resolve("no/such/dir/x.wav").toString()},
    };
    for (String[] c : cases) {
      Run r = run(new ClientCommand(), "x\n", as("a", c));
      assertThat(r.exit()).as(String.join(" ", c) + ": " + r.stderr()).isEqualTo(ExitCodes.USAGE);
      assertThat(r.stderr()).isNotBlank();
    }
  }

  @Test
  void devicesListsWhatThereIsOrSaysThereIsNone() {
    DevicesCommand none = new DevicesCommand();
    none.capture = List::of;
    none.playback = List::of;
    Run r = run(none, "");
    assertThat(r.exit()).isZero();
    assertThat(r.lines()).containsExactly("no audio devices found");

    DevicesCommand some = new DevicesCommand();
    some.capture = () -> List.of(new SoundDevice("USB Headset [plughw:1,0]", "Direct Audio Device", List.of(48_000)));
    some.playback = List::of;
    r = run(some, "");
    assertThat(r.exit()).isZero();
    assertThat(r.lines()).containsExactly("capture devices (--input NAME):",
        "  \"USB Headset [plughw:1,0]\"  Direct Audio Device (48 kHz)", "playback devices (--output NAME):", "  none");

    Run real = run(new DevicesCommand(), "");
    assertThat(real.exit()).isZero();
    assertThat(real.lines()).isNotEmpty();
  }
}
