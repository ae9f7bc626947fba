package io.causerie.bench;

import io.causerie.transport.Clock;
import io.causerie.transport.EventLoop;
import io.causerie.transport.UdpEndpoint;
import io.causerie.transport.dtls.DtlsClientLayer;
import io.causerie.transport.dtls.DtlsConfig;
import io.causerie.transport.dtls.FingerprintMismatchException;
import io.causerie.transport.dtls.ServerFingerprintPolicy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Fresh DTLS 1.2 handshakes with the server, each from a new UDP socket (so the server sees a new client: cookie
 * round trip, then the ECDHE/ECDSA flights), as a product client does before every first sign-in. Used to tell
 * when a spawned DTLS server is ready, and to measure what a handshake costs.
 */
public final class DtlsHandshakes {
  private DtlsHandshakes() {}

  /** Trust on first use for this run only: the first fingerprint seen per server address is the one accepted. */
  public static ServerFingerprintPolicy trustOnFirstUse() {
    Map<String, String> seen = new ConcurrentHashMap<>();
    return (server, presented) -> {
      String first = seen.putIfAbsent(server.toString(), presented);
      if (first != null && !first.equals(presented)) {
        throw new FingerprintMismatchException(server, presented, first, "the bench's memory of this run",
            "restart the bench");
      }
    };
  }

  /** What {@link #measure} found; latencies in nanoseconds, connect to established. */
  public record Result(int attempted, int completed, int failed, long wallNanos, LatencyHistogram latency,
      String lastError) {
    public double perSecond() {
      return wallNanos == 0 ? 0 : completed * 1e9 / wallNanos;
    }

    Json toJson() {
      return Json.object().put("attempted", attempted).put("completed", completed).put("failed", failed)
          .put("perSecond", perSecond()).put("latencyMillis", SignallingBench.millisJson(latency))
          .put("lastError", lastError);
    }
  }

  /**
   * One handshake from a new socket; true once established, false if it did not complete within {@code
   * timeout}. Throws on a fingerprint mismatch (retrying would not help).
   */
  static boolean once(InetSocketAddress server, ServerFingerprintPolicy policy, Duration timeout)
      throws IOException {
    DtlsConfig config = DtlsConfig.defaults().withHandshakeTimeout(timeout);
    config = new DtlsConfig(config.mtu(), config.handshakeTimeout(), 100, config.idleTimeout(),
        config.maxConcurrentHandshakes(), config.maxConnections(), config.queueCapacity());
    Result r = run(server, policy, 1, 1, config, timeout.plusSeconds(2));
    if (r.completed() == 1) {
      return true;
    }
    if (r.lastError() != null && r.lastError().startsWith(FingerprintMismatchException.class.getSimpleName())) {
      throw new IOException(r.lastError());
    }
    return false;
  }

  /** {@code count} handshakes, at most {@code concurrency} at once, each from a new socket. */
  public static Result measure(InetSocketAddress server, ServerFingerprintPolicy policy, int count, int concurrency)
      throws IOException {
    return run(server, policy, count, concurrency, DtlsConfig.defaults(), Duration.ofSeconds(30 + count / 10));
  }

  private static Result run(InetSocketAddress server, ServerFingerprintPolicy policy, int count, int concurrency,
      DtlsConfig config, Duration overall) throws IOException {
    LatencyHistogram latency = new LatencyHistogram();
    CompletableFuture<Void> done = new CompletableFuture<>();
    // Loop thread only.
    int[] state = new int[3]; // started, completed, failed
    String[] lastError = new String[1];
    long t0 = System.nanoTime();
    try (EventLoop loop = new EventLoop("bench-dtls-handshakes", Clock.SYSTEM).start()) {
      Runnable[] next = new Runnable[1];
      next[0] = () -> {
        if (state[0] >= count) {
          return;
        }
        state[0]++;
        UdpEndpoint[] ep = new UdpEndpoint[1];
        DtlsClientLayer[] layer = new DtlsClientLayer[1];
        long start = System.nanoTime();
        boolean[] over = new boolean[1];
        Runnable finished = () -> {
          layer[0].close();
          loop.execute(() -> ep[0].close()); // after close_notify went out
          if (state[1] + state[2] >= count) {
            done.complete(null);
          } else {
            next[0].run();
          }
        };
        layer[0] = new DtlsClientLayer(config, (b, off, len, to) -> ep[0].send(ByteBuffer.wrap(b, off, len), to),
            (buf, len, src) -> {}, policy, loop, new DtlsClientLayer.Listener() {
              @Override
              public void onEstablished() {
                if (over[0]) {
                  return;
                }
                over[0] = true;
                latency.record(System.nanoTime() - start);
                state[1]++;
                finished.run();
              }

              @Override
              public void onFailed(Exception e) {
                if (over[0]) {
                  return;
                }
                over[0] = true;
                state[2]++;
                lastError[0] = e.getClass().getSimpleName() + ": " + e.getMessage();
                finished.run();
              }
            });
        try {
          ep[0] = loop.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
              (e, buf, len, src) -> layer[0].onDatagram(buf, len, src));
        } catch (IOException e) {
          over[0] = true;
          state[2]++;
          lastError[0] = "bind: " + e.getMessage();
          if (state[1] + state[2] >= count) {
            done.complete(null);
          } else {
            loop.execute(next[0]);
          }
          return;
        }
        layer[0].connect(server);
      };
      loop.execute(() -> {
        for (int i = 0; i < Math.max(1, Math.min(concurrency, count)); i++) {
          next[0].run();
        }
      });
      try {
        done.get(overall.toMillis(), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        lastError[0] = "not done after " + overall.toSeconds() + " s";
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (java.util.concurrent.ExecutionException e) {
        lastError[0] = String.valueOf(e.getCause());
      }
      long wall = System.nanoTime() - t0;
      Result[] out = new Result[1];
      loop.runAndWait(() -> out[0] = new Result(state[0], state[1], state[2], wall, latency, lastError[0]));
      return out[0];
    }
  }
}
