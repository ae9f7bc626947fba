package io.causerie.media.jitter;

import static org.assertj.core.api.Assertions.assertThat;

import io.causerie.media.jitter.JitterSim.Out;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class JitterBufferPropertiesTest {
  private static final long MS = 1_000_000L;

  @Property(tries = 200)
  void playedSequenceNumbersStrictlyIncreaseAndTheCapHolds(
      @ForAll long seed,
      @ForAll @DoubleRange(min = 0, max = 0.3) double lossProbability,
      @ForAll @DoubleRange(min = 0, max = 0.2) double duplicateProbability,
      @ForAll @IntRange(min = 0, max = 150) int maxJitterMillis,
      @ForAll @IntRange(min = 0, max = 65_535) int startSeq,
      @ForAll @LongRange(min = 0, max = 0xFFFF_FFFFL) long startTimestamp,
      @ForAll @IntRange(min = 40, max = 400) int capMillis,
      @ForAll @IntRange(min = -20_000, max = 20_000) int driftPpm) {
    Random r = new Random(seed);
    JitterSim sim = new JitterSim();
    sim.startSeq = startSeq;
    sim.startTimestamp = startTimestamp;
    long senderFrame = JitterSim.FRAME_NANOS + JitterSim.FRAME_NANOS * driftPpm / 1_000_000;
    int frames = 400;
    sim.send(0, frames, senderFrame, i -> {
      if (r.nextDouble() < lossProbability) {
        return -1;
      }
      // Heavy-tailed jitter: mostly small, sometimes up to the maximum.
      double u = r.nextDouble();
      return 10 * MS + (long) (u * u * u * maxJitterMillis * MS);
    });
    int extra = 0;
    for (int i = 0; i < frames; i++) {
      if (r.nextDouble() < duplicateProbability) {
        sim.sendAt(i, i * senderFrame + 10 * MS + (long) (r.nextDouble() * 300 * MS));
        extra++;
      }
    }
    JitterBufferConfig config = JitterBufferConfig.DEFAULTS.withMaxDelayMillis(capMillis);
    JitterBuffer jb = JitterSim.buffer(config);
    List<Out> outs = sim.run(jb, frames + 30, 0);

    long capNanos = capMillis * MS;
    long lastSeq = Long.MIN_VALUE;
    for (Out o : outs) {
      assertThat(o.bufferedDelayMillis()).isLessThanOrEqualTo(capMillis);
      if (o.action() == PlayoutAction.FRAME) {
        assertThat(o.extSeq()).isGreaterThan(lastSeq);
        assertThat(o.payloadExtSeq() & 0xFFFF).isEqualTo(o.extSeq() & 0xFFFF);
        assertThat(o.delayNanos()).isBetween(0L, capNanos);
        lastSeq = o.extSeq();
      } else if (o.action() == PlayoutAction.CONCEAL && o.nextPayloadSeq() >= 0) {
        assertThat((long) o.nextPayloadSeq() & 0xFFFF).isEqualTo((o.extSeq() + 1) & 0xFFFF);
      }
    }
    JitterStats st = jb.stats();
    assertThat(st.duplicates()).isLessThanOrEqualTo(extra);
    assertThat(st.resyncs()).isZero();
    assertThat(st.concealed()).isEqualTo(JitterSim.count(outs, PlayoutAction.CONCEAL));
    long played = JitterSim.count(outs, PlayoutAction.FRAME);
    assertThat(played + st.dropped() + st.late() + st.duplicates() + jb.bufferedPackets())
        .as("every received packet is accounted for")
        .isEqualTo(st.received());
  }
}
