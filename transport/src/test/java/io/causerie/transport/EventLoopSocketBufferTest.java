package io.causerie.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import org.junit.jupiter.api.Test;

/** Each bind asks the kernel for its own socket buffer size; the default stays the large one. */
class EventLoopSocketBufferTest {
  private static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

  @Test
  void aSmallBufferIsAskedForPerBindAndTheDefaultStaysLarge() throws Exception {
    try (EventLoop loop = new EventLoop("buffers", Clock.SYSTEM).start()) {
      int small = 64 * 1024;
      UdpEndpoint perPeer = loop.bind(ANY_LOOPBACK, (e, buf, len, src) -> { }, small);
      UdpEndpoint shared = loop.bind(ANY_LOOPBACK, (e, buf, len, src) -> { });
      int smallRcv = perPeer.channel().getOption(StandardSocketOptions.SO_RCVBUF);
      int smallSnd = perPeer.channel().getOption(StandardSocketOptions.SO_SNDBUF);
      int largeRcv = shared.channel().getOption(StandardSocketOptions.SO_RCVBUF);
      // Linux doubles what it is asked for (its bookkeeping), and caps it at rmem_max/wmem_max.
      assertTrue(smallRcv <= 2 * small, "receive buffer " + smallRcv);
      assertTrue(smallSnd <= 2 * small, "send buffer " + smallSnd);
      // The default asks for more than the small size: larger wherever the kernel's cap lets it be.
      if (rmemMax() > small) {
        assertTrue(largeRcv > smallRcv, "default " + largeRcv + " against small " + smallRcv);
      } else {
        assertTrue(largeRcv >= smallRcv, "default " + largeRcv + " against small " + smallRcv);
      }
      perPeer.close();
      shared.close();
    }
  }

  @Test
  void aBufferBelowTheFloorIsRefusedBeforeAnySocketIsOpened() {
    try (EventLoop loop = new EventLoop("buffers", Clock.SYSTEM).start()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> loop.bind(ANY_LOOPBACK, (ep, buf, len, src) -> { }, EventLoop.MIN_SOCKET_BUFFER_BYTES - 1));
      assertTrue(e.getMessage().contains(Integer.toString(EventLoop.MIN_SOCKET_BUFFER_BYTES)));
      assertEquals(EventLoop.MIN_SOCKET_BUFFER_BYTES - 1,
          Integer.parseInt(e.getMessage().replaceAll("^socket buffer of (\\d+) bytes.*$", "$1")));
    }
  }

  /** net.core.rmem_max, or -1 where it cannot be read (not Linux). */
  private static long rmemMax() {
    try {
      String v = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/net/core/rmem_max"));
      return Long.parseLong(v.trim());
    } catch (java.io.IOException | RuntimeException e) {
      return -1;
    }
  }
}
