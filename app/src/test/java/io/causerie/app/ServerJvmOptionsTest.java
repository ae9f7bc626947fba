package io.causerie.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.causerie.server.ServerJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The launchers start the server with the same JVM defaults as the benches, and this JVM accepts them. */
class ServerJvmOptionsTest {
  private static final Pattern GC = Pattern.compile("(?m)^server_gc=\"([^\"]*)\"$");
  private static final Pattern REST = Pattern.compile("(?m)^server_jvm_defaults=\"([^\"]*)\"$");
  private static final Pattern TRIM = Pattern.compile("(?m)^server_trim=\"([^\"]*)\"$");

  private static List<String> defaultsIn(Path script) throws Exception {
    String text = Files.readString(script, StandardCharsets.UTF_8);
    Matcher gc = GC.matcher(text);
    Matcher rest = REST.matcher(text);
    assertThat(gc.find()).as("server_gc in " + script).isTrue();
    assertThat(rest.find()).as("server_jvm_defaults in " + script).isTrue();
    List<String> out = new ArrayList<>();
    out.add(gc.group(1));
    out.addAll(Arrays.asList(rest.group(1).split(" ")));
    return out;
  }

  private static String trimIn(Path script) throws Exception {
    Matcher m = TRIM.matcher(Files.readString(script, StandardCharsets.UTF_8));
    assertThat(m.find()).as("server_trim in " + script).isTrue();
    return m.group(1);
  }

  @Test
  void bothLaunchersCarryTheServerDefaults() throws Exception {
    for (Path script : List.of(Path.of("src/dist/bin/causerie"), Path.of("..", "causerie"))) {
      assertThat(defaultsIn(script)).as(script.toString()).isEqualTo(ServerJvm.DEFAULT_OPTIONS);
      assertThat(trimIn(script)).as(script.toString()).isEqualTo(ServerJvm.TRIM_NATIVE_HEAP);
    }
  }

  @Test
  void theJvmAcceptsTheDefaults() throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(ServerJvm.defaultOptions());
    cmd.add("-version");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }
}
