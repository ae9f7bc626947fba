package io.causerie.bench;

/**
 * CPU use over one measured window: the server process, this generator process, and everything else on the
 * machine, so a figure taken while other work shares the CPUs says so. Percentages are of one CPU.
 */
final class CpuWindow {
  private final long serverPid;
  private final long selfPid = ProcessHandle.current().pid();
  private long wall0;
  private long server0;
  private long self0;
  private ProcStats.MachineCpu machine0;
  private long wall;
  private long server;
  private long self;
  private java.util.Map<String, long[]> threads0 = java.util.Map.of();
  private java.util.Map<Long, Long> processes0 = java.util.Map.of();
  private ProcStats.UdpDrops udp0;
  private long udpReceiveDrops = -1;
  private long udpSendDrops = -1;
  private final java.util.List<Json> busiestThreads = new java.util.ArrayList<>();
  private long others = -1;
  private long interrupts = -1;
  private long steal = -1;

  /** A window in which other processes used more than this much CPU is measured again (if retries are left). */
  static final double BUSY_OTHERS_PERCENT = 30;
  /** Before a window, the bench waits (a bounded time) for the machine to be at most this busy. */
  static final double IDLE_MACHINE_PERCENT = 20;

  /**
   * Waits up to {@code maxMillis} until all processes on the machine together use less than
   * {@code maxBusyPercent} of a CPU (sampled each second); other users' builds and tests would otherwise land in the
   * measurement. Returns the last sample.
   */
  static double awaitIdleMachine(long maxMillis, double maxBusyPercent) throws InterruptedException {
    long deadline = System.nanoTime() + maxMillis * 1_000_000L;
    double busy = Double.NaN;
    do {
      java.util.Map<Long, Long> a = ProcStats.allProcessCpuNanos();
      long t0 = System.nanoTime();
      Thread.sleep(1_000);
      java.util.Map<Long, Long> b = ProcStats.allProcessCpuNanos();
      long sum = 0;
      for (var e : b.entrySet()) {
        sum += Math.max(0, e.getValue() - a.getOrDefault(e.getKey(), 0L));
      }
      busy = 100.0 * sum / (System.nanoTime() - t0);
      if (busy < maxBusyPercent) {
        break;
      }
    } while (System.nanoTime() < deadline);
    return busy;
  }

  /** How many of the server's threads are reported. */
  static final int THREADS_REPORTED = 5;
  private final StringBuilder threadSummary = new StringBuilder();

  CpuWindow(long serverPid) {
    this.serverPid = serverPid;
  }

  void start() {
    wall0 = System.nanoTime();
    server0 = ProcStats.cpuNanos(serverPid);
    self0 = ProcStats.cpuNanos(selfPid);
    machine0 = ProcStats.machineCpu();
    threads0 = ProcStats.threadCpuNanos(serverPid);
    processes0 = ProcStats.allProcessCpuNanos();
    udp0 = ProcStats.udpDrops();
  }

  void end() {
    wall = Math.max(1, System.nanoTime() - wall0);
    server = ProcStats.cpuNanos(serverPid) - server0;
    self = ProcStats.cpuNanos(selfPid) - self0;
    ProcStats.MachineCpu m = ProcStats.machineCpu();
    if (m != null && machine0 != null) {
      interrupts = m.interruptNanos() - machine0.interruptNanos();
      steal = m.stealNanos() - machine0.stealNanos();
    }
    ProcStats.UdpDrops udp1 = ProcStats.udpDrops();
    if (udp0 != null && udp1 != null) {
      udpReceiveDrops = udp1.receiveBufferErrors() - udp0.receiveBufferErrors();
      udpSendDrops = udp1.sendBufferErrors() - udp0.sendBufferErrors();
    }
    java.util.Map<Long, Long> processes1 = ProcStats.allProcessCpuNanos();
    if (!processes1.isEmpty()) {
      long sum = 0;
      for (var e : processes1.entrySet()) {
        if (e.getKey() != serverPid && e.getKey() != selfPid) {
          sum += Math.max(0, e.getValue() - processes0.getOrDefault(e.getKey(), 0L));
        }
      }
      others = sum;
    }
    java.util.Map<String, long[]> threads1 = ProcStats.threadCpuNanos(serverPid);
    java.util.List<java.util.Map.Entry<String, long[]>> used = new java.util.ArrayList<>();
    threads1.forEach((name, t) -> {
      long[] before = threads0.getOrDefault(name, new long[2]);
      used.add(java.util.Map.entry(name, new long[] {t[0] - before[0], t[1] - before[1]}));
    });
    used.sort((a, b) -> Long.compare(b.getValue()[0] + b.getValue()[1], a.getValue()[0] + a.getValue()[1]));
    for (var e : used.subList(0, Math.min(THREADS_REPORTED, used.size()))) {
      busiestThreads.add(Json.object().put("thread", e.getKey()).put("userPercent", 100.0 * e.getValue()[0] / wall)
          .put("systemPercent", 100.0 * e.getValue()[1] / wall));
      threadSummary.append(threadSummary.length() == 0 ? "" : ", ").append(e.getKey()).append(String.format(
          java.util.Locale.ROOT, " %.0f%%+%.0f%%", 100.0 * e.getValue()[0] / wall, 100.0 * e.getValue()[1] / wall));
    }
  }

  /**
   * The generator's CPU use as a share of the CPUs it may run on (taskset narrows them); above ~90 % its own
   * scheduling delays land in the latency figures.
   */
  double generatorSharePercent() {
    int cpus = Math.max(1, ProcStats.allowedCpus().size());
    return generatorPercent() / cpus;
  }

  /** The server's busiest threads over the window, e.g. {@code causerie-relay 5%+30%} (user + system). */
  String threadSummary() {
    return threadSummary.toString();
  }

  /** UDP datagrams the kernel dropped for full receive buffers during the window (machine-wide), or -1. */
  long udpReceiveDrops() {
    return udpReceiveDrops;
  }

  long wallNanos() {
    return wall;
  }

  long serverNanos() {
    return server;
  }

  double serverPercent() {
    return 100.0 * server / wall;
  }

  double generatorPercent() {
    return 100.0 * self / wall;
  }

  /**
   * Other processes on the machine (other users' builds and tests, say), from every process's own CPU time;
   * processes that ended during the window are missed, so this is a lower bound.
   */
  double othersPercent() {
    return others < 0 ? Double.NaN : 100.0 * others / wall;
  }

  /** Interrupt and softirq time of the whole machine, tick-sampled (much of it the bench's own traffic). */
  double interruptPercent() {
    return interrupts < 0 ? Double.NaN : 100.0 * interrupts / wall;
  }

  double stealPercent() {
    return steal < 0 ? Double.NaN : 100.0 * steal / wall;
  }

  Json toJson() {
    return Json.object().put("serverPercent", serverPercent()).put("generatorPercent", generatorPercent())
        .put("otherProcessesPercent", othersPercent()).put("interruptsPercent", interruptPercent())
        .put("stealPercent", stealPercent()).put("generatorShareOfItsCpusPercent", generatorSharePercent())
        .put("udpReceiveBufferDrops", udpReceiveDrops).put("udpSendBufferDrops", udpSendDrops)
        .putObjects("serverThreads", busiestThreads);
  }
}
