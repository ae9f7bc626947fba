package io.causerie.protocol.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.causerie.protocol.Message;
import io.causerie.protocol.MessageCodec;
import io.causerie.protocol.MessageType;
import io.causerie.protocol.ProtocolException;
import io.causerie.protocol.ProtocolLimits;
import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * Fuzz target for {@link MessageCodec#decode}: any datagram, of any message type.
 *
 * <p>Invariants: only {@link ProtocolException} escapes; a decoded message re-encodes to the same bytes
 * (the codec is canonical except for the undefined flag bits of PRESENCE and CALL_STARTED, which the decoder
 * ignores and the encoder writes as zero), and the re-encoding decodes to an equal message; the header decoder
 * agrees with the full decoder; decoding at an offset inside a larger array gives the same result as decoding
 * the slice; a decode allocates no more than the datagram can justify.
 *
 * <p>Regression inputs: {@code src/test/resources/io/causerie/protocol/fuzz/MessageCodecFuzzTestInputs/decode/}.
 */
class MessageCodecFuzzTest {
  /** Generous bound on what one decode may allocate: fixed overhead plus a multiple of the input. */
  private static final long ALLOCATION_BASE_BYTES = 64 * 1024;
  private static final long ALLOCATION_PER_INPUT_BYTE = 64;

  @FuzzTest
  void decode(byte[] data) {
    Message m;
    try {
      m = MessageCodec.decode(data);
    } catch (ProtocolException e) {
      assertNotNull(e.code(), "a ProtocolException carries an error code");
      assertSliceRejectedToo(data);
      return;
    } catch (RuntimeException e) {
      throw new AssertionError("decode threw " + e + " instead of ProtocolException", e);
    }
    assertTrue(data.length >= ProtocolLimits.HEADER_BYTES && data.length <= ProtocolLimits.MAX_DATAGRAM_BYTES);

    MessageCodec.Header h;
    try {
      h = MessageCodec.decodeHeader(data, 0, data.length);
    } catch (ProtocolException e) {
      throw new AssertionError("decode accepted what decodeHeader rejects", e);
    }
    assertEquals(m.type(), h.type());
    assertEquals(m.txid(), h.txid());
    assertEquals(m.session(), h.session());
    assertEquals(ProtocolLimits.VERSION, h.version());

    byte[] again = MessageCodec.encode(m);
    assertEquals(data.length, again.length, "re-encoding changed the length");
    if (!Arrays.equals(data, again)) {
      assertOnlyFlagBitsDiffer(m.type(), data, again);
    }
    try {
      assertEquals(m, MessageCodec.decode(again), "re-encoding decodes to another message");
    } catch (ProtocolException e) {
      throw new AssertionError("the encoder produced bytes its decoder rejects", e);
    }

    // The same datagram inside a larger buffer must decode identically.
    byte[] padded = new byte[data.length + 7];
    Arrays.fill(padded, (byte) 0x5A);
    System.arraycopy(data, 0, padded, 3, data.length);
    try {
      assertEquals(m, MessageCodec.decode(padded, 3, data.length));
    } catch (ProtocolException e) {
      throw new AssertionError("decoding at an offset failed where the slice decodes", e);
    }

    assertAllocationBounded(data);
  }

  /** Flags (PRESENCE snapshot/last, CALL_STARTED caller) are the only non-canonical bytes. */
  private static void assertOnlyFlagBitsDiffer(MessageType type, byte[] in, byte[] out) {
    int flagsAt;
    int known;
    if (type == MessageType.PRESENCE) {
      flagsAt = ProtocolLimits.HEADER_BYTES + 8;
      known = 0x03;
    } else if (type == MessageType.CALL_STARTED) {
      int peerLen = in[ProtocolLimits.HEADER_BYTES + 8] & 0xFF;
      int codecAt = ProtocolLimits.HEADER_BYTES + 8 + 1 + peerLen;
      int codecLen = in[codecAt] & 0xFF;
      flagsAt = codecAt + 1 + codecLen + 2;
      known = 0x01;
    } else {
      assertArrayEquals(in, out, type + " did not re-encode to the same bytes");
      return;
    }
    for (int i = 0; i < in.length; i++) {
      if (i == flagsAt) {
        assertEquals(in[i] & known, out[i] & 0xFF, "flag byte of " + type + " re-encoded wrongly");
      } else if (in[i] != out[i]) {
        fail(type + " re-encoded differently at byte " + i + " (flags at " + flagsAt + ")");
      }
    }
  }

  private static void assertSliceRejectedToo(byte[] data) {
    byte[] padded = new byte[data.length + 4];
    System.arraycopy(data, 0, padded, 2, data.length);
    try {
      Message m = MessageCodec.decode(padded, 2, data.length);
      fail("decoding at an offset accepted " + m + " where the slice is rejected");
    } catch (ProtocolException expected) {
      // consistent
    } catch (RuntimeException e) {
      throw new AssertionError("decode at an offset threw " + e, e);
    }
  }

  private static void assertAllocationBounded(byte[] data) {
    long bound = ALLOCATION_BASE_BYTES + ALLOCATION_PER_INPUT_BYTE * data.length;
    // The first call may load classes; only a repeatable excess counts.
    for (int attempt = 0; attempt < 2; attempt++) {
      long used = allocatedDuring(data);
      if (used < 0 || used <= bound) {
        return;
      }
      if (attempt == 1) {
        fail("decoding " + data.length + " bytes allocated " + used + " bytes (bound " + bound + ")");
      }
    }
  }

  private static long allocatedDuring(byte[] data) {
    if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean bean)
        || !bean.isThreadAllocatedMemorySupported() || !bean.isThreadAllocatedMemoryEnabled()) {
      return -1;
    }
    long tid = Thread.currentThread().getId();
    long before = bean.getThreadAllocatedBytes(tid);
    try {
      MessageCodec.decode(data);
    } catch (ProtocolException e) {
      throw new AssertionError(e);
    }
    return bean.getThreadAllocatedBytes(tid) - before;
  }
}
