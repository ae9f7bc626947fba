package io.causerie.media.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.causerie.media.jitter.InsertResult;
import io.causerie.media.jitter.JitterBuffer;
import io.causerie.media.jitter.JitterBufferConfig;
import io.causerie.media.jitter.JitterStats;
import io.causerie.media.jitter.PlayoutAction;
import io.causerie.media.jitter.PlayoutFrame;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Fuzz target for {@link JitterBuffer}: an arbitrary interleaving of packet arrivals (sequence numbers stepping,
 * reordering, duplicating, jumping and wrapping; SSRC changes; any payload length up to twice the limit) and
 * playout polls, at arbitrary (monotonic) times, under a fuzzed cap and floor.
 *
 * <p>Invariants, checked after every step: nothing throws; buffered packets never exceed the cap in frames and the
 * buffered delay never exceeds {@code maxDelayMillis}; the target delay stays within [one frame, cap]; a played
 * frame is a packet that was inserted, from the current source, played once only, with its own sequence number and
 * arrival time, and it waited at most {@code maxDelayMillis} (the documented hard cap); played sequence numbers
 * increase within a source; the first frame after a restart is flagged as a discontinuity; an FEC companion is the
 * packet that follows the concealed one; oversized payloads are discarded; the counters add up.
 */
class JitterBufferFuzzTest {
  private record Sent(int ssrc, int seq, long arrivalNanos) {}

  @FuzzTest
  void insertAndPoll(FuzzedDataProvider in) {
    boolean opus = in.consumeBoolean();
    int clock = opus ? 48_000 : 8_000;
    int frameSamples = opus ? 960 : 160;
    int maxDelay = in.consumeInt(20, 400);
    int maxPayload = 64;
    JitterBufferConfig config = new JitterBufferConfig(maxDelay, in.consumeInt(0, maxDelay), in.consumeInt(0, 400),
        JitterBufferConfig.DEFAULT_DELAY_QUANTILE, in.consumeInt(1, 300), in.consumeInt(1, 120),
        in.consumeInt(0, 60), in.consumeInt(0, 10), in.consumeInt(0, 30), in.consumeInt(1, 4), in.consumeInt(0, 5),
        maxPayload);
    JitterBuffer jb = new JitterBuffer(config, clock, frameSamples, (p, off, len) -> len < 8);
    PlayoutFrame out = new PlayoutFrame(maxPayload);
    long capNanos = maxDelay * 1_000_000L;

    Map<Integer, Sent> sent = new HashMap<>();
    Set<Integer> played = new HashSet<>();
    long now = 1_000_000_000L;
    int ssrc = in.consumeInt(0, 2);
    int seq = in.consumeInt(0, 0xFFFF);
    int currentSsrc = 0;
    boolean haveSource = false;
    boolean expectDiscontinuity = false;
    long lastFrameSeq = Long.MIN_VALUE;
    long lastSeq = Long.MIN_VALUE;
    int inserts = 0;
    int nextId = 0;

    for (int step = 0; step < 3000 && in.remainingBytes() > 0; step++) {
      if (in.consumeBoolean()) {
        now += in.consumeInt(0, 60) * 1_000_000L + in.consumeInt(0, 999_999);
        switch (in.consumeInt(0, 7)) {
          case 0 -> seq = in.consumeInt(0, 0xFFFF); // jump anywhere
          case 1 -> ssrc = in.consumeInt(0, 2); // maybe a new source
          case 2 -> seq = (seq - in.consumeInt(1, 8)) & 0xFFFF; // reorder / duplicate
          default -> seq = (seq + in.consumeInt(0, 3)) & 0xFFFF; // mostly in order, some holes
        }
        int id = nextId++;
        int len = in.consumeInt(0, 2 * maxPayload);
        byte[] payload = new byte[len + 3];
        if (len >= 4) {
          payload[3] = (byte) (id >>> 24);
          payload[4] = (byte) (id >>> 16);
          payload[5] = (byte) (id >>> 8);
          payload[6] = (byte) id;
        }
        long ts = (seq * (long) frameSamples + in.consumeInt(0, 3) * (long) frameSamples) & 0xFFFF_FFFFL;
        InsertResult r = jb.insert(ssrc, seq, ts, payload, 3, len, now);
        inserts++;
        assertNotNull(r);
        if (len > maxPayload) {
          assertEquals(InsertResult.DISCARDED, r, "oversized payload not discarded");
        }
        if (r == InsertResult.RESYNCED) {
          currentSsrc = ssrc;
          haveSource = true;
          expectDiscontinuity = true;
          lastFrameSeq = Long.MIN_VALUE;
          lastSeq = Long.MIN_VALUE;
        } else if (r == InsertResult.ACCEPTED) {
          assertTrue(haveSource && ssrc == currentSsrc, "accepted a packet of another source without a restart");
        }
        if ((r == InsertResult.ACCEPTED || r == InsertResult.RESYNCED) && len >= 4) {
          sent.put(id, new Sent(ssrc, seq, now));
        }
      } else {
        now += in.consumeInt(0, 45) * 1_000_000L;
        PlayoutAction a = jb.poll(now, out);
        assertEquals(a, out.action());
        if (a == PlayoutAction.FRAME) {
          assertTrue(out.payloadLength() >= 0 && out.payloadLength() <= maxPayload);
          if (out.payloadLength() >= 4) {
            int id = id(out.payload());
            Sent s = sent.get(id);
            assertNotNull(s, "played a frame that was never accepted");
            assertTrue(played.add(id), "played the same packet twice");
            assertEquals(currentSsrc, s.ssrc(), "played a packet of an old source");
            assertEquals(s.seq(), out.sequenceNumber(), "frame played under another sequence number");
            assertEquals(s.arrivalNanos(), out.arrivalNanos(), "frame carries another arrival time");
          }
          assertTrue(now - out.arrivalNanos() <= capNanos,
              "frame waited " + (now - out.arrivalNanos()) / 1e6 + " ms, cap " + maxDelay + " ms");
          assertTrue(out.extendedSequence() > lastFrameSeq, "played sequence went backwards");
          assertTrue(out.extendedSequence() >= lastSeq, "sequence went backwards");
          assertEquals(expectDiscontinuity, out.discontinuity(), "discontinuity flag");
          expectDiscontinuity = false;
          lastFrameSeq = out.extendedSequence();
          lastSeq = out.extendedSequence();
        } else if (a == PlayoutAction.CONCEAL) {
          assertTrue(out.extendedSequence() >= lastSeq, "concealed sequence went backwards");
          lastSeq = out.extendedSequence();
          if (out.fecAvailable() && out.nextPayloadLength() >= 4) {
            Sent s = sent.get(id(out.nextPayload()));
            assertNotNull(s, "FEC companion was never accepted");
            assertEquals((out.sequenceNumber() + 1) & 0xFFFF, s.seq(), "FEC companion is not the next packet");
          }
        }
      }
      assertTrue(jb.bufferedPackets() >= 0 && jb.bufferedPackets() <= jb.capFrames(),
          jb.bufferedPackets() + " packets buffered, cap " + jb.capFrames());
      assertTrue(jb.bufferedDelayMillis() <= maxDelay, "buffered " + jb.bufferedDelayMillis() + " ms");
      int target = jb.targetDelayMillis();
      assertTrue(target >= jb.frameMillis() && target <= jb.capFrames() * jb.frameMillis(), "target " + target);
    }
    JitterStats st = jb.stats();
    assertEquals(inserts, st.received());
    assertTrue(st.duplicates() >= 0 && st.late() >= 0 && st.lost() >= 0 && st.concealed() >= 0
        && st.dropped() >= 0 && st.discarded() >= 0 && st.underruns() >= 0 && st.resyncs() >= 0);
    assertTrue(st.duplicates() + st.late() + st.discarded() <= st.received());
  }

  private static int id(byte[] p) {
    return ((p[0] & 0xFF) << 24) | ((p[1] & 0xFF) << 16) | ((p[2] & 0xFF) << 8) | (p[3] & 0xFF);
  }
}
