package io.causerie.media.jitter;

import io.causerie.media.rtp.SequenceNumbers;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Fake-clock network simulation for jitter-buffer tests: a sender emits one 20 ms packet per
 * (sender-clock) frame, the network delays, drops, duplicates or reorders them, and the receiver
 * polls every 20 ms of receiver time. No threads, no sleeps.
 */
final class JitterSim {
  static final int CLOCK_HZ = 48000;
  static final int FRAME_TICKS = 960;
  static final long FRAME_NANOS = 20_000_000L;
  static final int PAYLOAD_BYTES = 40;

  /** One packet on the wire. */
  record Packet(int ssrc, long extSeq, long extTimestamp, long arrivalNanos, boolean quiet) {}

  /** One poll's outcome. */
  record Out(
      long nowNanos, PlayoutAction action, long extSeq, long payloadExtSeq, long delayNanos,
      int nextPayloadSeq, int bufferedDelayMillis, int targetDelayMillis, boolean discontinuity) {}

  final List<Packet> packets = new ArrayList<>();
  int ssrc = 0x1234;
  long startSeq = 1000;
  long startTimestamp = 123_456;

  /** Adds {@code count} packets sent every {@code senderFrameNanos}, delayed by {@code delay}. */
  JitterSim send(int fromFrame, int count, long senderFrameNanos, java.util.function.LongUnaryOperator delayNanosOfFrame) {
    for (int i = fromFrame; i < fromFrame + count; i++) {
      long sentAt = i * senderFrameNanos;
      long delay = delayNanosOfFrame.applyAsLong(i);
      if (delay >= 0) {
        packets.add(new Packet(ssrc, startSeq + i, startTimestamp + (long) i * FRAME_TICKS,
            sentAt + delay, false));
      }
    }
    return this;
  }

  /** Adds one packet with explicit numbering. */
  JitterSim sendRaw(int ssrc, long extSeq, long extTimestamp, long arrivalNanos) {
    packets.add(new Packet(ssrc, extSeq, extTimestamp, arrivalNanos, false));
    return this;
  }

  /** Marks the packets of frames in [from, to) as quiet. */
  JitterSim quiet(int from, int to) {
    for (int k = 0; k < packets.size(); k++) {
      Packet p = packets.get(k);
      long frame = p.extSeq() - startSeq;
      if (frame >= from && frame < to) {
        packets.set(k, new Packet(p.ssrc(), p.extSeq(), p.extTimestamp(), p.arrivalNanos(), true));
      }
    }
    return this;
  }

  /** Adds one packet of frame {@code i} arriving at {@code arrivalNanos}. */
  JitterSim sendAt(int i, long arrivalNanos) {
    packets.add(new Packet(ssrc, startSeq + i, startTimestamp + (long) i * FRAME_TICKS,
        arrivalNanos, false));
    return this;
  }

  static byte[] payloadFor(long extSeq, boolean quiet) {
    byte[] p = new byte[PAYLOAD_BYTES];
    p[0] = (byte) (extSeq >>> 24);
    p[1] = (byte) (extSeq >>> 16);
    p[2] = (byte) (extSeq >>> 8);
    p[3] = (byte) extSeq;
    p[4] = (byte) (quiet ? 1 : 0);
    return p;
  }

  static long seqOfPayload(byte[] p) {
    return ((p[0] & 0xFFL) << 24) | ((p[1] & 0xFFL) << 16) | ((p[2] & 0xFFL) << 8) | (p[3] & 0xFFL);
  }

  static final QuietFrameDetector QUIET_FLAG = (payload, off, len) -> payload[off + 4] == 1;

  static JitterBuffer buffer(JitterBufferConfig config) {
    return new JitterBuffer(config, CLOCK_HZ, FRAME_TICKS, QUIET_FLAG);
  }

  /** Runs {@code polls} polls at 20 ms intervals starting at {@code firstPollNanos}. */
  List<Out> run(JitterBuffer jb, int polls, long firstPollNanos) {
    return run(jb, polls, firstPollNanos, FRAME_NANOS);
  }

  List<Out> run(JitterBuffer jb, int polls, long firstPollNanos, long pollPeriodNanos) {
    List<Packet> sorted = new ArrayList<>(packets);
    sorted.sort(Comparator.comparingLong(Packet::arrivalNanos)); // stable: keeps send order on ties
    List<Out> outs = new ArrayList<>();
    PlayoutFrame frame = new PlayoutFrame(JitterBufferConfig.DEFAULT_MAX_PAYLOAD_BYTES);
    int next = 0;
    for (int k = 0; k < polls; k++) {
      long now = firstPollNanos + k * pollPeriodNanos;
      while (next < sorted.size() && sorted.get(next).arrivalNanos() <= now) {
        Packet p = sorted.get(next++);
        byte[] payload = payloadFor(p.extSeq(), p.quiet());
        jb.insert(p.ssrc(), (int) (p.extSeq() & SequenceNumbers.SEQ_MASK),
            p.extTimestamp() & SequenceNumbers.TIMESTAMP_MASK, payload, 0, payload.length,
            p.arrivalNanos());
      }
      PlayoutAction a = jb.poll(now, frame);
      long payloadSeq = a == PlayoutAction.FRAME ? seqOfPayload(frame.payload()) : -1;
      int nextSeq = frame.fecAvailable() ? (int) seqOfPayload(frame.nextPayload()) : -1;
      outs.add(new Out(now, a, frame.extendedSequence(), payloadSeq,
          a == PlayoutAction.FRAME ? now - frame.arrivalNanos() : -1, nextSeq,
          jb.bufferedDelayMillis(), jb.targetDelayMillis(), frame.discontinuity()));
    }
    return outs;
  }

  static long count(List<Out> outs, PlayoutAction a) {
    return outs.stream().filter(o -> o.action() == a).count();
  }

  static List<Out> frames(List<Out> outs) {
    return outs.stream().filter(o -> o.action() == PlayoutAction.FRAME).toList();
  }

  static double meanDelayMillis(List<Out> outs) {
    return frames(outs).stream().mapToLong(Out::delayNanos).average().orElse(0) / 1e6;
  }

  static long maxDelayNanos(List<Out> outs) {
    return frames(outs).stream().mapToLong(Out::delayNanos).max().orElse(0);
  }
}
