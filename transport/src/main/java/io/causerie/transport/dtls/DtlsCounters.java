package io.causerie.transport.dtls;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Thread-safe counters behind {@link DtlsStats}. */
final class DtlsCounters {
  final AtomicLong cookiesSent = new AtomicLong();
  final AtomicLong handshakesStarted = new AtomicLong();
  final AtomicLong handshakesCompleted = new AtomicLong();
  final AtomicLong handshakesFailed = new AtomicLong();
  final AtomicLong handshakesDroppedAtCap = new AtomicLong();
  final AtomicLong connectionsRefusedAtCap = new AtomicLong();
  final AtomicLong admissionRefused = new AtomicLong();
  private final Map<RejectReason, AtomicLong> rejected = new EnumMap<>(RejectReason.class);

  DtlsCounters() {
    for (RejectReason r : RejectReason.values()) {
      rejected.put(r, new AtomicLong());
    }
  }

  void reject(RejectReason reason) {
    rejected.get(reason).incrementAndGet();
  }

  DtlsStats snapshot(int connectionsOpen, int handshakesInProgress) {
    Map<RejectReason, Long> r = new EnumMap<>(RejectReason.class);
    rejected.forEach((k, v) -> r.put(k, v.get()));
    return new DtlsStats(cookiesSent.get(), handshakesStarted.get(), handshakesCompleted.get(),
        handshakesFailed.get(), handshakesDroppedAtCap.get(), connectionsRefusedAtCap.get(),
        admissionRefused.get(), r, connectionsOpen, handshakesInProgress);
  }
}
