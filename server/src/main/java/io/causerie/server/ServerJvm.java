package io.causerie.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JVM options and environment the server is started with by default: {@code ./causerie server}, the
 * distribution's {@code bin/causerie server} and the benches' {@code ServerProcess} (docs/OPERATIONS.md "Memory",
 * measured in docs/BENCHMARKS.md "Server memory"). Without them the JVM sizes its heap from the machine's memory
 * (a quarter of it at most, a 64th committed at once: 378 MB on a 24 GB machine) while a server with 2,000 calls
 * up keeps about 20 MB of live objects (plus 3 KB per client's own DTLS association), and 44 MB at the peak of 4,000
 * sign-ins.
 *
 * <p>Operators override them: options given after these ({@code CAUSERIE_JAVA_OPTS}) win, and {@link #merge}
 * drops a default that an extra option replaces (another collector, heap size, ...), since the JVM refuses two
 * collectors.
 */
public final class ServerJvm {
  /** The collector: one thread, no concurrent threads competing with the relay on one or two cores, least memory. */
  public static final String GC = "-XX:+UseSerialGC";
  /** Heap, committed at once so that sign-in bursts do not grow it through full collections. */
  public static final String HEAP_MIN = "-Xms112m";
  /**
   * Heap cap: the live set at the peak of 4,000 sign-ins was 44 MB, at 2,000 calls 20 MB. 96 MB, and 104 MB with a
   * smaller young generation, starved call set-ups in the benches.
   */
  public static final String HEAP_MAX = "-Xmx112m";
  /** Class metadata cap (about 21 MB used): a leak of classes stops the server rather than the machine. */
  public static final String METASPACE_MAX = "-XX:MaxMetaspaceSize=64m";
  /** Compiled code cap (about 15 MB used). */
  public static final String CODE_CACHE = "-XX:ReservedCodeCacheSize=48m";

  /** The default options every JVM 17 accepts, in order. */
  public static final List<String> DEFAULT_OPTIONS = List.of(GC, HEAP_MIN, HEAP_MAX, METASPACE_MAX, CODE_CACHE);

  /**
   * Hands the memory glibc's malloc keeps free back to the system every 10 s: the JIT compilers' peak (about 20 MB
   * while the server warms up) otherwise stays resident for good (15 MB given back at 2,000 calls). Only where the
   * JVM has the option (recent builds of 17 do); {@link #defaultOptions()} leaves it out elsewhere.
   */
  public static final String TRIM_NATIVE_HEAP = "-XX:TrimNativeHeapInterval=10000";

  /**
   * glibc's malloc arenas: by default up to eight per core, each kept at its high-water mark; the JVM's own
   * allocations (compiler, symbols, NIO) need no more than two. Set unless the environment already has it.
   */
  public static final Map<String, String> DEFAULT_ENVIRONMENT = Map.of("MALLOC_ARENA_MAX", "2");

  private ServerJvm() {}

  /** {@link #DEFAULT_OPTIONS}, and {@link #TRIM_NATIVE_HEAP} when this JVM (the one that starts servers) has it. */
  public static List<String> defaultOptions() {
    List<String> out = new ArrayList<>(DEFAULT_OPTIONS);
    if (jvmHasOption(name(TRIM_NATIVE_HEAP))) {
      out.add(TRIM_NATIVE_HEAP);
    }
    return List.copyOf(out);
  }

  /** Whether the running JVM knows the -XX option {@code name}. */
  static boolean jvmHasOption(String name) {
    try {
      java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
          .getVMOption(name);
      return true;
    } catch (IllegalArgumentException | NullPointerException e) {
      return false;
    }
  }

  /**
   * {@link #defaultOptions()} followed by {@code extra}, leaving out each default that {@code extra} replaces:
   * any collector choice replaces {@link #GC}, {@code -Xms}/{@code -Xmx} their defaults, {@code -XX:Foo=}
   * and {@code -XX:±Foo} the default of the same name.
   */
  public static List<String> merge(List<String> extra) {
    List<String> out = new ArrayList<>();
    for (String d : defaultOptions()) {
      if (extra.stream().noneMatch(e -> replaces(e, d))) {
        out.add(d);
      }
    }
    out.addAll(extra);
    return out;
  }

  /** Whether option {@code e} sets what default {@code d} sets. */
  static boolean replaces(String e, String d) {
    if (isCollector(d)) {
      return isCollector(e);
    }
    if (d.startsWith("-Xms") || d.startsWith("-Xmx")) {
      return e.startsWith(d.substring(0, 4));
    }
    return d.startsWith("-XX:") && e.startsWith("-XX:") && name(e).equals(name(d));
  }

  private static boolean isCollector(String o) {
    return o.matches("-XX:[+-]Use[A-Za-z0-9]*GC");
  }

  private static String name(String xx) {
    String s = xx.substring(4);
    if (s.startsWith("+") || s.startsWith("-")) {
      s = s.substring(1);
    }
    int eq = s.indexOf('=');
    return eq < 0 ? s : s.substring(0, eq);
  }
}
