package io.causerie.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ServerJvmTest {
  @Test
  void withoutExtraOptionsTheDefaultsAreUsedAsTheyAre() {
    assertThat(ServerJvm.merge(List.of())).isEqualTo(ServerJvm.defaultOptions());
    assertThat(ServerJvm.defaultOptions()).startsWith(ServerJvm.DEFAULT_OPTIONS.toArray(String[]::new));
  }

  @Test
  void nativeHeapTrimmingIsAskedForOnlyWhereTheJvmHasIt() {
    boolean has = ServerJvm.jvmHasOption("TrimNativeHeapInterval");
    assertThat(ServerJvm.defaultOptions().contains(ServerJvm.TRIM_NATIVE_HEAP)).isEqualTo(has);
    assertThat(ServerJvm.jvmHasOption("NoSuchOptionAnywhere")).isFalse();
    assertThat(ServerJvm.jvmHasOption("MaxMetaspaceSize")).isTrue();
  }

  @Test
  void extraOptionsComeAfterTheDefaultsTheyDoNotReplace() {
    List<String> merged = ServerJvm.merge(List.of("-XX:NativeMemoryTracking=summary", "-Dfoo=bar"));
    assertThat(merged.subList(0, ServerJvm.defaultOptions().size())).isEqualTo(ServerJvm.defaultOptions());
    assertThat(merged).endsWith("-XX:NativeMemoryTracking=summary", "-Dfoo=bar")
        .hasSize(ServerJvm.defaultOptions().size() + 2);
  }

  @Test
  void anotherCollectorReplacesTheDefaultOneSinceTheJvmRefusesTwo() {
    assertThat(ServerJvm.merge(List.of("-XX:+UseG1GC"))).doesNotContain(ServerJvm.GC).endsWith("-XX:+UseG1GC");
    assertThat(ServerJvm.merge(List.of("-XX:+UseParallelGC"))).doesNotContain(ServerJvm.GC);
  }

  @Test
  void heapSizesAndXxSettingsReplaceTheirDefaultsByName() {
    List<String> merged = ServerJvm.merge(List.of("-Xmx512m", "-XX:MaxMetaspaceSize=128m"));
    assertThat(merged).doesNotContain(ServerJvm.HEAP_MAX, ServerJvm.METASPACE_MAX)
        .contains(ServerJvm.GC, ServerJvm.HEAP_MIN, ServerJvm.CODE_CACHE, "-Xmx512m", "-XX:MaxMetaspaceSize=128m");
    assertThat(ServerJvm.merge(List.of("-Xms64m"))).doesNotContain(ServerJvm.HEAP_MIN).contains(ServerJvm.HEAP_MAX);
  }

  @Test
  void aSimilarNameIsNotTheSameSetting() {
    assertThat(ServerJvm.replaces("-XX:ReservedCodeCacheSizeX=1m", ServerJvm.CODE_CACHE)).isFalse();
    assertThat(ServerJvm.replaces("-XX:+UseCompressedOops", ServerJvm.GC)).isFalse();
    assertThat(ServerJvm.replaces("-Xss512k", ServerJvm.HEAP_MAX)).isFalse();
  }
}
