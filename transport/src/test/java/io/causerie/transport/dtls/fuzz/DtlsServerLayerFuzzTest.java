package io.causerie.transport.dtls.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.causerie.transport.dtls.DtlsConfig;
import io.causerie.transport.dtls.DtlsServerLayer;
import io.causerie.transport.dtls.DtlsStats;
import io.causerie.transport.dtls.ServerIdentity;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzz target for {@link DtlsServerLayer#onDatagram}: arbitrary datagrams (the first input byte picks one of four
 * source addresses) into one long-lived server layer.
 *
 * <p>Invariants: {@code onDatagram} never throws; garbage creates no state: no handshake starts, no connection
 * opens, over the whole run (a ClientHello without a valid cookie only earns a HelloVerifyRequest); nothing
 * reaches the plaintext handler; a datagram causes at most one reply, sent to its source, only for something
 * shaped like a DTLS handshake record, and no larger than a HelloVerifyRequest can be.
 */
class DtlsServerLayerFuzzTest {
  /** Record header + handshake header + version + cookie length + the longest cookie. */
  private static final int MAX_HELLO_VERIFY_BYTES = 13 + 12 + 2 + 1 + 255;

  private record Sent(int len, InetSocketAddress to) {}

  private static final List<Sent> SENT = new ArrayList<>();
  private static final List<Integer> PLAINTEXT = new ArrayList<>();
  private static final DtlsServerLayer LAYER = new DtlsServerLayer(
      ServerIdentity.generate(new SecureRandom()), DtlsConfig.defaults(),
      (data, off, len, to) -> SENT.add(new Sent(len, to)),
      (buf, len, src) -> PLAINTEXT.add(len),
      Runnable::run, src -> true);

  private static final InetSocketAddress[] SOURCES = {
      new InetSocketAddress("192.0.2.1", 40000), new InetSocketAddress("192.0.2.1", 40001),
      new InetSocketAddress("198.51.100.7", 5000), new InetSocketAddress("2001:db8::1", 6000)};

  @FuzzTest
  void onDatagram(byte[] data) {
    if (data.length == 0) {
      return;
    }
    InetSocketAddress src = SOURCES[data[0] & 3];
    byte[] datagram = Arrays.copyOfRange(data, 1, data.length);
    SENT.clear();
    try {
      LAYER.onDatagram(datagram, datagram.length, src);
    } catch (RuntimeException e) {
      throw new AssertionError("onDatagram threw " + e, e);
    }
    assertTrue(SENT.size() <= 1, SENT.size() + " replies to one datagram");
    for (Sent s : SENT) {
      assertEquals(src, s.to(), "reply to another address");
      assertTrue(datagram.length > 1 && (datagram[0] & 0xFF) == 22 && (datagram[1] & 0xFF) == 0xFE,
          "reply to something that is not a DTLS handshake record");
      assertTrue(s.len() <= MAX_HELLO_VERIFY_BYTES, "reply of " + s.len() + " bytes");
    }
    assertTrue(PLAINTEXT.isEmpty(), "garbage reached the plaintext handler");
    DtlsStats st = LAYER.stats();
    assertEquals(0, st.handshakesStarted(), "garbage started a handshake");
    assertEquals(0, st.handshakesInProgress(), "garbage started a handshake");
    assertEquals(0, st.connectionsOpen(), "garbage opened a connection");
  }
}
