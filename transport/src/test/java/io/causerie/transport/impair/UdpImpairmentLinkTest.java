package io.causerie.transport.impair;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Sends through the link between two channels on 127.0.0.1, with explicit (not real) times. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class UdpImpairmentLinkTest {

  private static final long MILLIS = 1_000_000L;

  private DatagramChannel sender;
  private DatagramChannel receiver;

  @BeforeEach
  void setUp() throws IOException {
    InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    sender = DatagramChannel.open().bind(loopback);
    receiver = DatagramChannel.open().bind(loopback);
  }

  @AfterEach
  void tearDown() throws IOException {
    sender.close();
    receiver.close();
  }

  private String receiveOne() throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(1_500);
    SocketAddress source = receiver.receive(buffer);
    assertThat(source).isEqualTo(sender.getLocalAddress());
    buffer.flip();
    return StandardCharsets.US_ASCII.decode(buffer).toString();
  }

  private static ByteBuffer text(String text) {
    return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void withoutImpairmentSendsOnFlushAtTheSameTime() throws IOException {
    UdpImpairmentLink link = new UdpImpairmentLink(sender, ImpairmentSpec.NONE);
    ByteBuffer first = text("one");

    assertThat(link.send(first, receiver.getLocalAddress(), 100)).isTrue();
    assertThat(first.hasRemaining()).isFalse();
    link.send(text("two"), receiver.getLocalAddress(), 100);

    assertThat(link.nextDeliveryNanos()).isEqualTo(100);
    assertThat(link.flushDue(100)).isEqualTo(2);
    assertThat(receiveOne()).isEqualTo("one");
    assertThat(receiveOne()).isEqualTo("two");
    assertThat(link.nextDeliveryNanos()).isEqualTo(Long.MAX_VALUE);
    assertThat(link.counters().delivered()).isEqualTo(2);
    assertThat(link.sendFailures()).isZero();
  }

  @Test
  void delayedDatagramsWaitForTheirTime() throws IOException {
    UdpImpairmentLink link = new UdpImpairmentLink(sender, ImpairmentSpec.parse("delay=10"));

    link.send(text("later"), receiver.getLocalAddress(), 0);

    assertThat(link.flushDue(10 * MILLIS - 1)).isZero();
    assertThat(link.nextDeliveryNanos()).isEqualTo(10 * MILLIS);
    assertThat(link.flushDue(10 * MILLIS)).isEqualTo(1);
    assertThat(receiveOne()).isEqualTo("later");
  }

  @Test
  void totalLossSendsNothing() throws IOException {
    UdpImpairmentLink link = new UdpImpairmentLink(sender, ImpairmentSpec.parse("loss=100"));

    assertThat(link.send(text("gone"), receiver.getLocalAddress(), 0)).isFalse();

    assertThat(link.flushDue(Long.MAX_VALUE)).isZero();
    assertThat(link.counters().dropped()).isEqualTo(1);
  }
}
