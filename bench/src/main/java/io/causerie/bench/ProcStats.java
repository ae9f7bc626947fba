package io.causerie.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** CPU time and resident memory of a process, read from Linux's /proc (proc(5)); -1 where unavailable. */
public final class ProcStats {
  private ProcStats() {}

  /** Fields 14 and 15 of /proc/PID/stat, counted from 1: user and system time in clock ticks. */
  static final int UTIME_FIELD = 14;

  private static volatile long ticksPerSecond;

  /** CPU time (user + system) the process has used so far, in nanoseconds, or -1. */
  public static long cpuNanos(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
      long ticks = parseCpuTicks(stat);
      return ticks < 0 ? -1 : ticks * 1_000_000_000L / clockTicksPerSecond();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Resident set size in bytes (VmRSS), or -1. */
  public static long rssBytes(long pid) {
    try {
      String status = Files.readString(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.US_ASCII);
      long kb = parseRssKb(status);
      return kb < 0 ? -1 : kb * 1024;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * CPU time of the whole machine, all CPUs together, from the first line of /proc/stat (nanoseconds): time in
   * processes (user, nice, system), in interrupt handlers (irq, softirq: loopback delivery shows up here), and
   * stolen by the hypervisor.
   */
  public record MachineCpu(long processNanos, long interruptNanos, long stealNanos) {}

  /** The machine's CPU time so far, or null. */
  public static MachineCpu machineCpu() {
    try {
      String stat = Files.readString(Path.of("/proc/stat"), StandardCharsets.US_ASCII);
      long[] t = parseMachineTicks(stat);
      if (t == null) {
        return null;
      }
      long hz = clockTicksPerSecond();
      return new MachineCpu(t[0] * 1_000_000_000L / hz, t[1] * 1_000_000_000L / hz, t[2] * 1_000_000_000L / hz);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The kernel's UDP counters for this network namespace (/proc/net/snmp): datagrams dropped because a
   * socket's receive buffer was full (RcvbufErrors) or a send buffer was (SndbufErrors). Machine-wide: other
   * programs' drops count too. Null if unreadable.
   */
  public record UdpDrops(long receiveBufferErrors, long sendBufferErrors) {}

  public static UdpDrops udpDrops() {
    try {
      return parseUdpDrops(Files.readString(Path.of("/proc/net/snmp"), StandardCharsets.US_ASCII));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  static UdpDrops parseUdpDrops(String snmp) {
    String[] names = null;
    for (String line : snmp.split("\n")) {
      if (!line.startsWith("Udp: ")) {
        continue;
      }
      String[] f = line.substring(5).trim().split("\\s+");
      if (names == null) {
        names = f;
        continue;
      }
      long rcv = -1;
      long snd = -1;
      for (int i = 0; i < names.length && i < f.length; i++) {
        if (names[i].equals("RcvbufErrors")) {
          rcv = Long.parseLong(f[i]);
        } else if (names[i].equals("SndbufErrors")) {
          snd = Long.parseLong(f[i]);
        }
      }
      return new UdpDrops(rcv, snd);
    }
    return null;
  }

  /** The CPUs this process may run on (Cpus_allowed_list, e.g. {@code 1} or {@code 0-1}), as numbers. */
  public static java.util.List<Integer> allowedCpus() {
    java.util.List<Integer> out = new java.util.ArrayList<>();
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
        if (line.startsWith("Cpus_allowed_list:")) {
          for (String part : line.substring(line.indexOf(':') + 1).trim().split(",")) {
            String[] r = part.split("-");
            int from = Integer.parseInt(r[0].trim());
            int to = r.length > 1 ? Integer.parseInt(r[1].trim()) : from;
            for (int c = from; c <= to; c++) {
              out.add(c);
            }
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // unknown: empty
    }
    return out;
  }

  /**
   * CPU time so far of every process on the machine, by pid, from /proc/PID/stat. The kernel scales these to
   * the scheduler's exact run time, unlike the tick-sampled per-CPU lines of /proc/stat, which miss much of a
   * workload that sleeps and wakes every few microseconds (as a relay does).
   */
  public static java.util.Map<Long, Long> allProcessCpuNanos() {
    java.util.Map<Long, Long> out = new java.util.HashMap<>();
    long hz = clockTicksPerSecond();
    try (var procs = Files.list(Path.of("/proc"))) {
      for (Path p : (Iterable<Path>) procs::iterator) {
        String name = p.getFileName().toString();
        if (name.isEmpty() || !Character.isDigit(name.charAt(0))) {
          continue;
        }
        try {
          long ticks = parseCpuTicks(Files.readString(p.resolve("stat"), StandardCharsets.US_ASCII));
          if (ticks >= 0) {
            out.put(Long.parseLong(name), ticks * 1_000_000_000L / hz);
          }
        } catch (IOException | RuntimeException e) {
          // it exited meanwhile
        }
      }
    } catch (IOException | RuntimeException e) {
      return out;
    }
    return out;
  }

  /** {user + nice + system, irq + softirq, steal} ticks from the aggregate "cpu" line of /proc/stat. */
  static long[] parseMachineTicks(String stat) {
    for (String line : stat.split("\n")) {
      if (line.startsWith("cpu ")) {
        String[] f = line.substring(4).trim().split("\\s+");
        if (f.length < 8) {
          return null;
        }
        long processes = Long.parseLong(f[0]) + Long.parseLong(f[1]) + Long.parseLong(f[2]);
        long interrupts = Long.parseLong(f[5]) + Long.parseLong(f[6]);
        return new long[] {processes, interrupts, Long.parseLong(f[7])};
      }
    }
    return null;
  }

  /**
   * User and system CPU time per thread name of a process (threads of one name added up; Linux keeps the
   * first 15 characters of a name), in nanoseconds, from /proc/PID/task/TID/stat. Empty if unreadable.
   */
  public static java.util.Map<String, long[]> threadCpuNanos(long pid) {
    java.util.Map<String, long[]> out = new java.util.TreeMap<>();
    long hz = clockTicksPerSecond();
    try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path t : (Iterable<Path>) tasks::iterator) {
        try {
          String stat = Files.readString(t.resolve("stat"), StandardCharsets.US_ASCII);
          int open = stat.indexOf('(');
          int close = stat.lastIndexOf(')');
          String name = stat.substring(open + 1, close).replaceAll("#?[0-9]+$", "#");
          String[] f = stat.substring(close + 1).trim().split("\\s+");
          long user = Long.parseLong(f[UTIME_FIELD - 3]) * 1_000_000_000L / hz;
          long system = Long.parseLong(f[UTIME_FIELD - 2]) * 1_000_000_000L / hz;
          long[] sum = out.computeIfAbsent(name, k -> new long[2]);
          sum[0] += user;
          sum[1] += system;
        } catch (IOException | RuntimeException e) {
          // the thread ended meanwhile
        }
      }
    } catch (IOException | RuntimeException e) {
      return out;
    }
    return out;
  }

  /** utime + stime in ticks from a /proc/PID/stat line; the command name may contain spaces and parentheses. */
  static long parseCpuTicks(String stat) {
    int close = stat.lastIndexOf(')');
    if (close < 0) {
      return -1;
    }
    String[] f = stat.substring(close + 1).trim().split("\\s+");
    // f[0] is field 3 (state).
    int utime = UTIME_FIELD - 3;
    if (f.length <= utime + 1) {
      return -1;
    }
    return Long.parseLong(f[utime]) + Long.parseLong(f[utime + 1]);
  }

  static long parseRssKb(String status) {
    for (String line : status.split("\n")) {
      if (line.startsWith("VmRSS:")) {
        String v = line.substring(6).trim();
        int sp = v.indexOf(' ');
        return Long.parseLong(sp < 0 ? v : v.substring(0, sp));
      }
    }
    return -1;
  }

  /** USER_HZ from {@code getconf CLK_TCK}; 100 (Linux's usual value) if that cannot be run. */
  static long clockTicksPerSecond() {
    long t = ticksPerSecond;
    if (t > 0) {
      return t;
    }
    t = 100;
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
      if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) {
        t = Long.parseLong(out);
      }
    } catch (IOException | NumberFormatException e) {
      // keep 100
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ticksPerSecond = t;
    return t;
  }
}
