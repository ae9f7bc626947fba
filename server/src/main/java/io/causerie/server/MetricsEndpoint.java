package io.causerie.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.causerie.protocol.EndReason;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's HTTP endpoint for operators: {@code GET /metrics} in Prometheus text format and
 * {@code GET /health} for probes. Off unless {@code --metrics ADDR:PORT} is given.
 */
public final class MetricsEndpoint implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MetricsEndpoint.class);

  /** How long a scrape may wait for the signalling thread before /health reports it stuck. */
  static final long SNAPSHOT_TIMEOUT_MILLIS = 2_000;

  private final CauserieServer server;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final HttpServer http;
  private volatile ServerStats.Snapshot last;
  private final io.micrometer.core.instrument.Timer setupTimer;
  private long setupsRecorded; // guarded by this

  /** Feeds the set-ups completed since the last scrape into the histogram (the core keeps the newest). */
  private synchronized void recordNewSetups(ServerStats.Snapshot s) {
    long fresh = s.setupCount() - setupsRecorded;
    long[] recent = s.recentSetupNanos();
    for (int i = (int) Math.max(0, recent.length - fresh); i < recent.length; i++) {
      setupTimer.record(recent[i], java.util.concurrent.TimeUnit.NANOSECONDS);
    }
    setupsRecorded = s.setupCount();
  }

  private MetricsEndpoint(CauserieServer server, InetSocketAddress address) throws IOException {
    this.server = server;
    this.last = server.snapshot();
    this.setupTimer = io.micrometer.core.instrument.Timer.builder("causerie.call.setup")
        .description("Call set-up time, CALL to ACCEPT").publishPercentileHistogram()
        .serviceLevelObjectives(java.time.Duration.ofMillis(10), java.time.Duration.ofMillis(100),
            java.time.Duration.ofSeconds(1))
        .minimumExpectedValue(java.time.Duration.ofMillis(1)).maximumExpectedValue(java.time.Duration.ofSeconds(60))
        .register(registry);
    this.setupsRecorded = last.setupCount() - last.recentSetupNanos().length;
    recordNewSetups(last);
    register();
    http = HttpServer.create(address, 16);
    http.setExecutor(Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "causerie-metrics");
      t.setDaemon(true);
      return t;
    }));
    http.createContext("/metrics", this::metrics);
    http.createContext("/health", this::health);
    http.start();
  }

  /** Starts serving on {@code address}; throws IOException if it cannot listen. */
  public static MetricsEndpoint start(CauserieServer server, InetSocketAddress address) throws IOException {
    try {
      return new MetricsEndpoint(server, address);
    } catch (IOException e) {
      throw new IOException("cannot serve metrics on " + address.getHostString() + ":" + address.getPort() + ": "
          + e.getMessage(), e);
    }
  }

  public InetSocketAddress address() {
    return http.getAddress();
  }

  private void gauge(String name, String help, ToDoubleFunction<ServerStats.Snapshot> f) {
    Gauge.builder(name, this, m -> f.applyAsDouble(m.last)).description(help).register(registry);
  }

  private void counter(String name, String help, ToDoubleFunction<ServerStats.Snapshot> f) {
    FunctionCounter.builder(name, this, m -> f.applyAsDouble(m.last)).description(help).register(registry);
  }

  private void register() {
    gauge("causerie.sessions", "Signed-in sessions", ServerStats.Snapshot::sessions);
    gauge("causerie.calls.active", "Calls ringing or up", ServerStats.Snapshot::activeCalls);
    gauge("causerie.logins.pending", "Half-done SCRAM sign-ins", ServerStats.Snapshot::pendingLogins);
    gauge("causerie.notifications.pending", "Server requests awaiting an answer", ServerStats.Snapshot::pendingNotifications);
    counter("causerie.logins", "Successful sign-ins", ServerStats.Snapshot::logins);
    counter("causerie.auth.failures", "Failed sign-ins", ServerStats.Snapshot::authFailures);
    counter("causerie.auth.lockouts", "User names or addresses locked out", ServerStats.Snapshot::lockouts);
    counter("causerie.auth.locked.out", "Sign-ins refused during a lockout", ServerStats.Snapshot::lockedOut);
    counter("causerie.signalling.rate.limited", "Unauthenticated datagrams dropped by the per-address limit",
        ServerStats.Snapshot::rateLimited);
    counter("causerie.sessions.expired", "Sessions closed for silence", ServerStats.Snapshot::expiredSessions);
    counter("causerie.sessions.unreachable", "Sessions closed because a notification went unacknowledged",
        ServerStats.Snapshot::unreachableSessions);
    counter("causerie.signalling.notification.rounds",
        "Notifications given another round of resends because their client was heard from meanwhile",
        ServerStats.Snapshot::notificationRounds);
    counter("causerie.call.attempts", "Calls routed to a callee", ServerStats.Snapshot::callAttempts);
    for (EndReason r : EndReason.values()) {
      FunctionCounter.builder("causerie.calls.ended", this, m -> m.last.outcome(r))
          .description("Calls ended, by outcome").tag("outcome", r.jsonName()).register(registry);
    }
    counter("causerie.call.quality.reports", "Quality reports clients sent after their calls",
        ServerStats.Snapshot::qualityReports);
    String[] figures = {"loss.percent", "jitter.ms", "mos"};
    for (int i = 0; i < figures.length; i++) {
      int k = i;
      counter("causerie.call.quality." + figures[i] + ".sum", "Sum of the reported " + figures[i]
          + " (divide by the matching count for the mean)", s -> s.qualitySums()[k]);
      counter("causerie.call.quality." + figures[i] + ".count", "Reports that carried " + figures[i],
          s -> s.qualityCounts()[k]);
    }
    counter("causerie.signalling.malformed", "Malformed signalling datagrams", ServerStats.Snapshot::malformed);
    counter("causerie.signalling.duplicates", "Retransmitted requests answered from the cache",
        ServerStats.Snapshot::duplicates);
    counter("causerie.signalling.retransmissions", "Notifications the server resent",
        ServerStats.Snapshot::retransmissions);
    gauge("causerie.call.setup.p50.seconds", "Call set-up time, median of recent calls", s -> s.setupP50Nanos() / 1e9);
    gauge("causerie.call.setup.p95.seconds", "Call set-up time, 95th percentile", s -> s.setupP95Nanos() / 1e9);
    gauge("causerie.call.setup.p99.seconds", "Call set-up time, 99th percentile", s -> s.setupP99Nanos() / 1e9);
    UdpMediaRelay relay = server.relay();
    FunctionCounter.builder("causerie.relay.packets", relay, UdpMediaRelay::forwardedPackets)
        .description("Media datagrams forwarded").register(registry);
    FunctionCounter.builder("causerie.relay.bytes", relay, UdpMediaRelay::forwardedBytes)
        .description("Media bytes forwarded").register(registry);
    for (UdpMediaRelay.Drop d : UdpMediaRelay.Drop.values()) {
      FunctionCounter.builder("causerie.relay.drops", relay, x -> x.dropped(d))
          .description("Media datagrams not forwarded, by reason")
          .tag("reason", d.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')).register(registry);
    }
    if (server.dtlsStats() != null) {
      FunctionCounter.builder("causerie.dtls.cookies", server, x -> x.dtlsStats().cookiesSent())
          .description("DTLS HelloVerifyRequests sent (stateless cookie exchange)").register(registry);
      FunctionCounter.builder("causerie.dtls.handshakes.completed", server, x -> x.dtlsStats().handshakesCompleted())
          .description("DTLS handshakes completed").register(registry);
      FunctionCounter.builder("causerie.dtls.handshakes.failed", server, x -> x.dtlsStats().handshakesFailed())
          .description("DTLS handshakes failed (timeout, alert, replaced)").register(registry);
      FunctionCounter.builder("causerie.dtls.admission.refused", server, x -> x.dtlsStats().admissionRefused())
          .description("ClientHellos refused by the per-address rate limit").register(registry);
      FunctionCounter.builder("causerie.dtls.rejected", server, x -> x.dtlsStats().rejectedTotal())
          .description("Datagrams and records the DTLS layer dropped (garbage, bad MAC, replays, unknown peers)")
          .register(registry);
      Gauge.builder("causerie.dtls.connections", server, x -> x.dtlsStats().connectionsOpen())
          .description("Established DTLS associations").register(registry);
    }
    FunctionCounter.builder("causerie.uncaught.failures", server, CauserieServer::uncaughtFailures)
        .description("Exceptions that escaped the signalling or relay threads (each is logged): 0 when healthy")
        .register(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  private boolean refresh() {
    try {
      last = server.snapshot();
      recordNewSetups(last);
      return true;
    } catch (RuntimeException e) {
      log.warn("signalling thread did not answer the metrics snapshot: {}", e.getMessage());
      return false;
    }
  }

  private void metrics(HttpExchange ex) throws IOException {
    if (!"GET".equals(ex.getRequestMethod())) {
      reply(ex, 405, "text/plain", "GET only\n");
      return;
    }
    refresh();
    reply(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
  }

  private void health(HttpExchange ex) throws IOException {
    boolean ok = refresh();
    reply(ex, ok ? 200 : 503, "text/plain", ok ? "ok\n" : "signalling thread not responding\n");
  }

  private static void reply(HttpExchange ex, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(bytes);
    }
  }

  @Override
  public void close() {
    http.stop(0);
    registry.close();
  }
}
