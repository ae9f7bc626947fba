package io.causerie.bench.reliability;

import io.causerie.bench.BenchUsers;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Small helpers shared by the scenarios. */
final class Util {
  private Util() {}

  /** The {@code q}-quantile (0..1) of {@code values}, NaN if empty. */
  static double quantile(List<Double> values, double q) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(v);
    int i = (int) Math.ceil(q * v.length) - 1;
    return v[Math.max(0, Math.min(v.length - 1, i))];
  }

  static String f1(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  static String f2(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }

  static double seconds(long nanos) {
    return nanos / 1e9;
  }

  /** Creates bench users 0..n-1 in {@code db} (before the server starts). */
  static void users(String db, int n) {
    new BenchUsers(db).ensure(n);
  }

  /**
   * Signs in users {@code from..from+n-1}, {@code parallel} at a time; the ones that failed are left out (their
   * failure is counted in {@code failures}).
   */
  static List<Party> signInAll(int from, int n, InetSocketAddress server, Duration timeout, int parallel,
      List<String> failures) throws InterruptedException {
    return signInAll(from, n, server, timeout, parallel, 0, failures);
  }

  /** The same, starting one sign-in every {@code paceMillis} (people arrive over time; 0: all at once). */
  static List<Party> signInAll(int from, int n, InetSocketAddress server, Duration timeout, int parallel,
      long paceMillis, List<String> failures) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, parallel));
    try {
      List<Future<Party>> fs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int u = from + i;
        long start = System.nanoTime() + i * paceMillis * 1_000_000L;
        fs.add(pool.submit(() -> {
          long wait = (start - System.nanoTime()) / 1_000_000L;
          if (wait > 0) {
            sleep(wait);
          }
          try {
            return Party.signIn(u, server, timeout);
          } catch (java.util.concurrent.ExecutionException e) {
            // As a user would: try once more, and report that it was needed.
            synchronized (failures) {
              failures.add("first attempt of " + BenchUsers.name(u) + ": " + e.getCause());
            }
            return Party.signIn(u, server, timeout);
          }
        }));
      }
      List<Party> out = new ArrayList<>();
      for (Future<Party> f : fs) {
        try {
          out.add(f.get());
        } catch (java.util.concurrent.ExecutionException e) {
          synchronized (failures) {
            failures.add(String.valueOf(e.getCause()));
          }
          out.add(null);
        }
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  static void sleep(long millis) {
    ServerUnderTest.sleep(millis);
  }

  static Map<String, Object> map() {
    return new java.util.LinkedHashMap<>();
  }
}
