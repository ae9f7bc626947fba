package io.causerie.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The single-port generator's three ways of sending, each against a plain echo on 127.0.0.1 that returns every
 * datagram to its source (the relay does the same per SSRC): every packet arrives as its own datagram of the
 * payload size, comes back to its stream with its SSRC, and is counted once. Loose counts, no timing bounds.
 */
class SinglePortLoadTest {
  private static final int PAYLOAD = 188;

  @ParameterizedTest
  @EnumSource(SinglePortLoad.Sending.class)
  @Timeout(30)
  void everyPacketIsOneDatagramAndComesBackToItsStream(SinglePortLoad.Sending sending) throws Exception {
    try (Echo echo = new Echo(); SinglePortLoad load = new SinglePortLoad(echo.port(), sending)) {
      int[] active = new int[10];
      for (int i = 0; i < active.length; i++) {
        active[i] = i;
        load.register(i, 0x7000_0000 + i);
      }
      MediaLoad.Result r = runBriefly(load, active);

      // 10 streams at 50/s for 0.6 s: 300 packets, give or take one per stream at the window's edges.
      assertThat(r.sent()).isBetween(290L, 310L);
      assertThat(r.sendFailures()).isZero();
      assertThat(r.misrouted()).isZero();
      assertThat(r.invalid()).isZero();
      assertThat(r.duplicates()).isZero();
      assertThat(r.received()).isGreaterThan(r.sent() * 9 / 10).isLessThanOrEqualTo(r.sent());
      assertThat(r.latency().count()).isEqualTo(r.received());
      assertThat(echo.wrongSize.get()).isZero();
      assertThat(echo.datagrams.get()).isGreaterThanOrEqualTo(r.sent() + r.warmupSent());
      // Clients share the generator's sockets: at most its socket count of source addresses.
      assertThat(echo.sources).hasSizeBetween(1, SinglePortLoad.SOCKETS);
      // Where the machine lacks what was asked for, the next cheaper way runs (and says so).
      SinglePortLoad.Sending ran = SinglePortLoad.Sending.available(sending);
      assertThat(load.transport()).contains(switch (ran) {
        case SEGMENTED -> "UDP_SEGMENT";
        case SENDMMSG -> "sendmmsg/recvmmsg";
        case NIO -> "nio";
      });
    }
  }

  @ParameterizedTest
  @EnumSource(value = SinglePortLoad.Sending.class, names = {"SENDMMSG", "NIO"})
  @Timeout(30)
  void inPortsModeEachClientsPacketsGoToItsOwnServerPort(SinglePortLoad.Sending sending) throws Exception {
    int clients = 6;
    Echo[] ports = new Echo[clients];
    try (SinglePortLoad load = SinglePortLoad.forPorts(sending)) {
      int[] active = new int[clients];
      for (int i = 0; i < clients; i++) {
        ports[i] = new Echo();
        active[i] = i;
        load.register(i, SinglePortLoad.portsModeSsrc(i), ports[i].port());
      }
      MediaLoad.Result r = runBriefly(load, active);

      // 6 streams at 50/s for 0.6 s: 180 packets, give or take one per stream at the window's edges.
      assertThat(r.sent()).isBetween(174L, 186L);
      assertThat(r.sendFailures()).isZero();
      assertThat(r.misrouted()).isZero();
      assertThat(r.invalid()).isZero();
      assertThat(r.received()).isGreaterThan(r.sent() * 9 / 10).isLessThanOrEqualTo(r.sent());
      long total = 0;
      for (int i = 0; i < clients; i++) {
        // Each port heard only its own client's stream, about a sixth of the packets, in ordinary datagrams.
        assertThat(ports[i].streams).as("port %d", i).containsExactly(i);
        assertThat(ports[i].wrongSize.get()).isZero();
        total += ports[i].datagrams.get();
      }
      assertThat(total).isGreaterThanOrEqualTo(r.sent() + r.warmupSent());
      assertThat(load.transport()).contains(sending == SinglePortLoad.Sending.NIO ? "nio" : "sendmmsg");
    } finally {
      for (Echo e : ports) {
        if (e != null) {
          e.close();
        }
      }
    }
  }

  /** 0.2 s of warm-up, 0.6 s measured, 0.2 s to drain. */
  private static MediaLoad.Result runBriefly(SinglePortLoad load, int[] active) throws InterruptedException {
    return load.run(active, TimeUnit.MILLISECONDS.toNanos(200), TimeUnit.MILLISECONDS.toNanos(600),
        TimeUnit.MILLISECONDS.toNanos(200), PAYLOAD, MediaLoad.WindowProbe.NONE);
  }

  /** Returns every datagram to where it came from, on its own thread, until closed. */
  private static final class Echo implements AutoCloseable {
    final DatagramChannel ch = DatagramChannel.open();
    final AtomicLong datagrams = new AtomicLong();
    final AtomicLong wrongSize = new AtomicLong();
    final java.util.Set<SocketAddress> sources = ConcurrentHashMap.newKeySet();
    /** The stream numbers (bench clients) heard. */
    final java.util.Set<Integer> streams = ConcurrentHashMap.newKeySet();
    final Thread thread;

    Echo() throws Exception {
      ch.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      thread = new Thread(this::run, "echo");
      thread.setDaemon(true);
      thread.start();
    }

    int port() throws Exception {
      return ((InetSocketAddress) ch.getLocalAddress()).getPort();
    }

    private void run() {
      ByteBuffer b = ByteBuffer.allocateDirect(65_536);
      try {
        while (true) {
          b.clear();
          SocketAddress from = ch.receive(b);
          b.flip();
          datagrams.incrementAndGet();
          if (b.remaining() != PAYLOAD) {
            wrongSize.incrementAndGet();
          }
          sources.add(from);
          if (b.remaining() >= MediaPacket.MIN_BYTES) {
            streams.add(MediaPacket.stream(b));
          }
          ch.send(b, from);
        }
      } catch (ClosedChannelException e) {
        // closed: done
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void close() throws java.io.IOException {
      ch.close();
      try {
        thread.join(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
