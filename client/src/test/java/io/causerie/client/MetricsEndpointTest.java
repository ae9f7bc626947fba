package io.causerie.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.causerie.server.MetricsEndpoint;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scrapes the metrics endpoint of a real server during a real call. */
class MetricsEndpointTest {
  private static final Duration T = Duration.ofSeconds(10);

  @TempDir Path dir;

  private static HttpResponse<String> get(InetSocketAddress at, String path) throws Exception {
    return HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + at.getPort() + path)).timeout(T).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aCallAndItsPacketsShowInTheMetrics() throws Exception {
    try (ServerFixture fx = new ServerFixture(dir, "alice", "bob").start();
        MetricsEndpoint metrics = MetricsEndpoint.start(fx.server, new InetSocketAddress("127.0.0.1", 0))) {
      assertThat(get(metrics.address(), "/health").statusCode()).isEqualTo(200);
      RecordingListener a = new RecordingListener();
      RecordingListener b = new RecordingListener();
      SignallingClient alice = fx.connect("alice", a);
      SignallingClient bob = fx.connect("bob", b);
      alice.call("bob");
      b.await("incoming", T);
      bob.answer();
      CallInfo ca = a.await("call-started", T).call();
      CallInfo cb = b.await("call-started", T).call();
      try (DatagramChannel ma = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
          DatagramChannel mb = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
        for (int i = 0; i < 20; i++) {
          ma.send(ByteBuffer.wrap(new byte[172]), new InetSocketAddress("127.0.0.1", ca.mediaPort()));
          mb.send(ByteBuffer.wrap(new byte[172]), new InetSocketAddress("127.0.0.1", cb.mediaPort()));
          Thread.sleep(5);
        }
      }
      HttpResponse<String> during = get(metrics.address(), "/metrics");
      assertThat(during.statusCode()).isEqualTo(200);
      assertThat(during.body())
          .contains("causerie_sessions 2.0")
          .contains("causerie_calls_active 1.0")
          .contains("causerie_logins_total 2.0")
          .contains("causerie_call_attempts_total 1.0")
          .contains("jvm_memory_used_bytes")
          .contains("causerie_call_setup_seconds_count 1")
          .contains("causerie_call_setup_seconds_bucket{le=\"0.1\"} 1");
      assertThat(value(during.body(), "causerie_relay_packets_total")).isGreaterThan(30);
      assertThat(value(during.body(), "causerie_relay_bytes_total")).isGreaterThan(30 * 172);
      alice.hangup();
      b.await("call-ended", T);
      String after = get(metrics.address(), "/metrics").body();
      assertThat(after).contains("causerie_calls_active 0.0").contains("causerie_calls_ended_total{outcome=\"remote-hangup\"} 1.0");
    }
  }

  private static double value(String body, String name) {
    return body.lines().filter(l -> l.startsWith(name + " ")).mapToDouble(l -> Double.parseDouble(l.split(" ")[1]))
        .findFirst().orElseThrow(() -> new AssertionError(name + " missing"));
  }
}
