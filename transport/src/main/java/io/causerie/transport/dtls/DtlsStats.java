package io.causerie.transport.dtls;

import java.util.Map;

/**
 * A snapshot of a DTLS layer's counters (monotonic since the layer was created) and gauges.
 *
 * @param cookiesSent HelloVerifyRequests sent (server)
 * @param handshakesStarted handshakes started (server: after a verified ClientHello)
 * @param handshakesCompleted handshakes that produced a connection
 * @param handshakesFailed handshakes that failed (timeout, alert, pinning, replaced by a newer one)
 * @param handshakesDroppedAtCap verified ClientHellos dropped because the handshake pool was full
 * @param connectionsRefusedAtCap verified ClientHellos dropped because of the connection cap
 * @param admissionRefused ClientHellos refused by the admission hook
 * @param recordsRejected dropped datagrams and records, per reason
 * @param connectionsOpen established connections now
 * @param handshakesInProgress handshakes running now
 */
public record DtlsStats(
    long cookiesSent,
    long handshakesStarted,
    long handshakesCompleted,
    long handshakesFailed,
    long handshakesDroppedAtCap,
    long connectionsRefusedAtCap,
    long admissionRefused,
    Map<RejectReason, Long> recordsRejected,
    int connectionsOpen,
    int handshakesInProgress) {

  /** Copies the map. */
  public DtlsStats {
    recordsRejected = Map.copyOf(recordsRejected);
  }

  /** Records rejected for one reason. */
  public long rejected(RejectReason reason) {
    return recordsRejected.getOrDefault(reason, 0L);
  }

  /** Records rejected for any reason. */
  public long rejectedTotal() {
    return recordsRejected.values().stream().mapToLong(Long::longValue).sum();
  }
}
