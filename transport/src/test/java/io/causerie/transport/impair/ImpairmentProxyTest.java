package io.causerie.transport.impair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.causerie.transport.impair.ImpairmentProxy.Counters;
import io.causerie.transport.impair.ImpairmentProxy.Direction;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Exercises the proxy on 127.0.0.1 only, in front of a loopback echo server. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ImpairmentProxyTest {

  private static final int DATAGRAMS = 200;
  private static final int REPLY_TIMEOUT_MILLIS = 2_000;
  private static final int EXPECT_SILENCE_MILLIS = 300;
  private static final long SETTLE_TIMEOUT_MILLIS = 10_000;
  private static final long POLL_MILLIS = 10;
  private static final int SEND_BATCH = 20;

  private LoopbackEchoServer echo;
  private DatagramSocket client;

  @BeforeEach
  void setUp() throws IOException {
    echo = new LoopbackEchoServer();
    client = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    client.setSoTimeout(REPLY_TIMEOUT_MILLIS);
  }

  @AfterEach
  void tearDown() {
    client.close();
    echo.close();
  }

  private static byte[] payload(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  private void send(ImpairmentProxy proxy, String text) throws IOException {
    byte[] bytes = payload(text);
    client.send(new DatagramPacket(bytes, bytes.length, proxy.address()));
  }

  private String receive() throws IOException {
    byte[] buffer = new byte[1_500];
    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
    client.receive(packet);
    return new String(buffer, 0, packet.getLength(), StandardCharsets.US_ASCII);
  }

  private void assertNoReply() throws IOException {
    client.setSoTimeout(EXPECT_SILENCE_MILLIS);
    try {
      assertThatThrownBy(this::receive).isInstanceOf(SocketTimeoutException.class);
    } finally {
      client.setSoTimeout(REPLY_TIMEOUT_MILLIS);
    }
  }

  private InetSocketAddress clientAddress() {
    return (InetSocketAddress) client.getLocalSocketAddress();
  }

  private static void await(BooleanSupplier condition, String description)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_TIMEOUT_MILLIS);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() - deadline).as("timed out waiting for " + description)
          .isNegative();
      Thread.sleep(POLL_MILLIS);
    }
  }

  @Test
  void withoutImpairmentEchoesEveryDatagramExactly() throws Exception {
    try (ImpairmentProxy proxy =
        ImpairmentProxy.start(echo.address(), ImpairmentSpec.NONE, ImpairmentSpec.NONE)) {
      assertThat(proxy.address().getAddress().isLoopbackAddress()).isTrue();

      for (int i = 0; i < DATAGRAMS; i++) {
        send(proxy, "ping-" + i);
        assertThat(receive()).isEqualTo("ping-" + i);
      }

      // The reply can reach us a moment before the proxy's thread has counted it as sent.
      await(
          () -> proxy.counters(Direction.SERVER_TO_CLIENT).sent() == DATAGRAMS,
          "the last reply to be counted");
      assertThat(echo.received()).isEqualTo(DATAGRAMS);
      assertThat(echo.sourcePorts()).containsOnly(proxy.upstreamSourceOf(clientAddress())
          .orElseThrow().getPort());
      for (Direction direction : Direction.values()) {
        Counters counters = proxy.counters(direction);
        assertThat(counters.received()).isEqualTo(DATAGRAMS);
        assertThat(counters.sent()).isEqualTo(DATAGRAMS);
        assertThat(counters.forcedDrops()).isZero();
        assertThat(counters.sendFailures()).isZero();
        assertThat(counters.impairment().delivered()).isEqualTo(DATAGRAMS);
      }
    }
  }

  @Test
  void halfLossLosesRoughlyHalfInEachDirection() throws Exception {
    ImpairmentSpec halfLoss = ImpairmentSpec.parse("loss=50,seed=11");
    List<String> replies = new CopyOnWriteArrayList<>();
    try (ImpairmentProxy proxy = ImpairmentProxy.start(echo.address(), halfLoss, halfLoss)) {
      Thread receiver = new Thread(() -> collectReplies(replies), "proxy-test-receiver");
      receiver.setDaemon(true);
      receiver.start();
      try {
        for (int i = 0; i < DATAGRAMS; i++) {
          send(proxy, "ping-" + i);
          if (i % SEND_BATCH == SEND_BATCH - 1) {
            Thread.sleep(POLL_MILLIS);
          }
        }
        await(
            () -> {
              Counters up = proxy.counters(Direction.CLIENT_TO_SERVER);
              Counters down = proxy.counters(Direction.SERVER_TO_CLIENT);
              return up.received() == DATAGRAMS
                  && echo.received() == up.sent()
                  && down.received() == echo.received()
                  && replies.size() == down.sent();
            },
            "all datagrams to settle");
      } finally {
        receiver.interrupt();
        client.close();
        receiver.join(REPLY_TIMEOUT_MILLIS);
      }

      Counters up = proxy.counters(Direction.CLIENT_TO_SERVER);
      Counters down = proxy.counters(Direction.SERVER_TO_CLIENT);
      assertThat(up.impairment().dropped()).isBetween(70L, 130L);
      assertThat(echo.received()).isEqualTo(DATAGRAMS - (int) up.impairment().dropped());
      assertThat((double) down.impairment().dropped() / echo.received()).isBetween(0.3, 0.7);
      assertThat(replies).hasSize(echo.received() - (int) down.impairment().dropped());
      assertThat(replies).doesNotHaveDuplicates().allMatch(reply -> reply.startsWith("ping-"));
      assertThat(up.sendFailures() + down.sendFailures()).isZero();
    }
  }

  private void collectReplies(List<String> replies) {
    while (!Thread.currentThread().isInterrupted() && !client.isClosed()) {
      try {
        replies.add(receive());
      } catch (SocketTimeoutException e) {
        // Keep listening until interrupted or closed.
      } catch (IOException e) {
        return;
      }
    }
  }

  @Test
  void dropNextMatchingDropsExactlyOneDatagramPerRule() throws Exception {
    try (ImpairmentProxy proxy =
        ImpairmentProxy.start(echo.address(), ImpairmentSpec.NONE, ImpairmentSpec.NONE)) {
      CompletableFuture<byte[]> upDrop =
          proxy.dropNextMatching(
              Direction.CLIENT_TO_SERVER, bytes -> Arrays.equals(bytes, payload("m-3")));
      CompletableFuture<byte[]> downDrop =
          proxy.dropNextMatching(
              Direction.SERVER_TO_CLIENT, bytes -> Arrays.equals(bytes, payload("m-6")));

      for (int i = 0; i < 10; i++) {
        send(proxy, "m-" + i);
        if (i == 3 || i == 6) {
          assertNoReply();
        } else {
          assertThat(receive()).isEqualTo("m-" + i);
        }
      }
      send(proxy, "m-3");
      assertThat(receive()).isEqualTo("m-3");
      send(proxy, "m-6");
      assertThat(receive()).isEqualTo("m-6");

      assertThat(upDrop.get(1, TimeUnit.SECONDS)).isEqualTo(payload("m-3"));
      assertThat(downDrop.get(1, TimeUnit.SECONDS)).isEqualTo(payload("m-6"));
      assertThat(proxy.counters(Direction.CLIENT_TO_SERVER).forcedDrops()).isEqualTo(1);
      assertThat(proxy.counters(Direction.SERVER_TO_CLIENT).forcedDrops()).isEqualTo(1);
      assertThat(echo.received()).isEqualTo(11);
    }
  }

  @Test
  void rebindChangesTheSourcePortTheServerSees() throws IOException {
    try (ImpairmentProxy proxy =
        ImpairmentProxy.start(echo.address(), ImpairmentSpec.NONE, ImpairmentSpec.NONE)) {
      send(proxy, "before");
      assertThat(receive()).isEqualTo("before");
      int portBefore = echo.lastSourcePort();
      assertThat(proxy.upstreamSourceOf(clientAddress()).orElseThrow().getPort())
          .isEqualTo(portBefore);

      InetSocketAddress rebound = proxy.rebind(clientAddress());

      send(proxy, "after");
      assertThat(receive()).isEqualTo("after");
      assertThat(echo.lastSourcePort()).isEqualTo(rebound.getPort()).isNotEqualTo(portBefore);
      assertThat(proxy.upstreamSourceOf(clientAddress())).contains(rebound);
    }
  }

  @Test
  void rebindOfAnUnknownClientIsRejected() throws IOException {
    try (ImpairmentProxy proxy =
        ImpairmentProxy.start(echo.address(), ImpairmentSpec.NONE, ImpairmentSpec.NONE)) {
      assertThatThrownBy(() -> proxy.rebind(clientAddress()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(String.valueOf(clientAddress().getPort()));
      assertThat(proxy.upstreamSourceOf(clientAddress())).isEmpty();
    }
  }

  @Test
  void eachDirectionHasItsOwnSpec() throws IOException {
    try (ImpairmentProxy proxy =
        ImpairmentProxy.start(
            echo.address(), ImpairmentSpec.NONE, ImpairmentSpec.parse("delay=100"))) {
      long start = System.nanoTime();
      send(proxy, "slow");
      assertThat(receive()).isEqualTo("slow");
      long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

      assertThat(elapsedMillis).isGreaterThanOrEqualTo(100);
      assertThat(proxy.counters(Direction.SERVER_TO_CLIENT).impairment().delivered()).isEqualTo(1);
    }
  }

  @Test
  void closeStopsTheThreadAndTheSockets() throws Exception {
    ImpairmentProxy proxy =
        ImpairmentProxy.start(echo.address(), ImpairmentSpec.NONE, ImpairmentSpec.NONE);
    String threadName = ImpairmentProxy.THREAD_NAME_PREFIX + proxy.address().getPort();
    send(proxy, "hello");
    assertThat(receive()).isEqualTo("hello");
    assertThat(threadsNamed(threadName)).isNotEmpty();
    CompletableFuture<byte[]> pendingRule =
        proxy.dropNextMatching(Direction.CLIENT_TO_SERVER, bytes -> false);

    proxy.close();
    proxy.close();

    assertThat(threadsNamed(threadName)).isEmpty();
    assertThat(pendingRule).isCompletedExceptionally();
    assertThatThrownBy(() -> proxy.rebind(clientAddress()))
        .isInstanceOf(IllegalStateException.class);
    // The listening port is free again: binding it succeeds.
    try (DatagramSocket reuse = new DatagramSocket(proxy.address())) {
      assertThat(reuse.getLocalPort()).isEqualTo(proxy.address().getPort());
    }
  }

  private static List<Thread> threadsNamed(String name) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.getName().equals(name) && thread.isAlive())
        .toList();
  }
}
