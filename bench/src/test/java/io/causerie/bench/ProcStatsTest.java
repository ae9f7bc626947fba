package io.causerie.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcStatsTest {

  @Test
  void parsesUserAndSystemTicksEvenWithAnAwkwardCommandName() {
    String stat = "4242 (java (main) x) S 1 4242 4242 0 -1 4194560 1000 0 0 0 250 75 0 0 20 0 30 0 100 0 0";
    assertThat(ProcStats.parseCpuTicks(stat)).isEqualTo(325);
  }

  @Test
  void parsesRss() {
    assertThat(ProcStats.parseRssKb("Name:\tjava\nVmPeak:\t 1 kB\nVmRSS:\t  123456 kB\nThreads:\t3\n"))
        .isEqualTo(123_456);
    assertThat(ProcStats.parseRssKb("Name:\tjava\n")).isEqualTo(-1);
  }

  @Test
  void splitsMachineTimeIntoProcessesInterruptsAndSteal() {
    String stat = "cpu  100 5 50 9000 7 3 11 13 0 0\ncpu0 50 2 25 4500 3 1 5 6 0 0\nintr 1 2 3\n";
    assertThat(ProcStats.parseMachineTicks(stat)).containsExactly(155, 14, 13);
    assertThat(ProcStats.machineCpu()).isNotNull();
    assertThat(ProcStats.allowedCpus()).isNotEmpty();
    assertThat(ProcStats.allProcessCpuNanos()).containsKey(ProcessHandle.current().pid());
  }

  @Test
  void readsUdpBufferDrops() {
    String snmp = "Ip: Forwarding DefaultTTL\nIp: 1 64\n"
        + "Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors\n"
        + "Udp: 100 2 7 90 7 3 0\nUdpLite: InDatagrams NoPorts\nUdpLite: 0 0\n";
    assertThat(ProcStats.parseUdpDrops(snmp)).isEqualTo(new ProcStats.UdpDrops(7, 3));
    assertThat(ProcStats.parseUdpDrops("Ip: x\n")).isNull();
  }

  @Test
  void readsThisProcess() {
    long pid = ProcessHandle.current().pid();
    assertThat(ProcStats.cpuNanos(pid)).isPositive();
    assertThat(ProcStats.rssBytes(pid)).isGreaterThan(1_000_000);
  }
}
