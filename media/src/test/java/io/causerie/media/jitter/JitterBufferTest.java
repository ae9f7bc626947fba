package io.causerie.media.jitter;

import static io.causerie.media.jitter.JitterSim.FRAME_NANOS;
import static io.causerie.media.jitter.JitterSim.count;
import static io.causerie.media.jitter.JitterSim.frames;
import static io.causerie.media.jitter.JitterSim.maxDelayNanos;
import static io.causerie.media.jitter.JitterSim.meanDelayMillis;
import static org.assertj.core.api.Assertions.assertThat;

import io.causerie.media.jitter.JitterSim.Out;
import java.util.List;
import java.util.Random;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JitterBufferTest {
  private static final long MS = 1_000_000L;
  private static final long BASE_TRANSIT = 30 * MS;
  private static final long CAP_NANOS = JitterBufferConfig.DEFAULT_MAX_DELAY_MILLIS * MS;

  /** A table row: a network schedule, how long to run, and what must hold. */
  record Scenario(
      String name,
      JitterBufferConfig config,
      Supplier<JitterSim> network,
      int polls,
      BiConsumer<List<Out>, JitterStats> check) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static List<Out> window(List<Out> outs, int from, int to) {
    return outs.subList(from, Math.min(to, outs.size()));
  }

  /** Invariants every scenario must satisfy. */
  private static void assertInvariants(List<Out> outs) {
    long lastSeq = Long.MIN_VALUE;
    for (Out o : outs) {
      assertThat(o.bufferedDelayMillis()).isLessThanOrEqualTo(200);
      assertThat(o.targetDelayMillis()).isBetween(20, 200);
      if (o.discontinuity()) {
        lastSeq = Long.MIN_VALUE; // a new source numbers afresh
      }
      if (o.action() == PlayoutAction.FRAME) {
        assertThat(o.payloadExtSeq() & 0xFFFF).as("payload matches sequence")
            .isEqualTo(o.extSeq() & 0xFFFF);
        assertThat(o.extSeq()).as("strictly increasing").isGreaterThan(lastSeq);
        assertThat(o.delayNanos()).as("cap holds").isBetween(0L, CAP_NANOS);
        lastSeq = o.extSeq();
      }
      if (o.action() == PlayoutAction.CONCEAL && o.nextPayloadSeq() >= 0) {
        assertThat((long) o.nextPayloadSeq() & 0xFFFF).isEqualTo((o.extSeq() + 1) & 0xFFFF);
      }
    }
  }

  static Stream<Arguments> scenarios() {
    JitterBufferConfig d = JitterBufferConfig.DEFAULTS;
    return Stream.of(
        new Scenario("clean path settles at one frame", d,
            () -> new JitterSim().send(0, 500, FRAME_NANOS, i -> BASE_TRANSIT + 3 * MS), 500,
            (outs, st) -> {
              assertThat(st.lost()).isZero();
              assertThat(st.late()).isZero();
              assertThat(st.targetDelayMillis()).isEqualTo(20);
              assertThat(st.dropped()).isLessThanOrEqualTo(1);
              List<Out> steady = window(outs, 150, 500);
              assertThat(count(steady, PlayoutAction.FRAME)).isEqualTo(steady.size());
              assertThat(meanDelayMillis(steady)).isLessThanOrEqualTo(20);
            }),
        new Scenario("isolated loss is concealed once per lost frame", d,
            () -> new JitterSim().send(0, 500, FRAME_NANOS,
                i -> i % 25 == 12 ? -1 : BASE_TRANSIT + 3 * MS), 495,
            (outs, st) -> {
              assertThat(st.lost()).isEqualTo(20);
              assertThat(st.late()).isZero();
              assertThat(count(outs, PlayoutAction.CONCEAL)).isEqualTo(st.concealed());
              // When the target falls from two frames to one after warm-up, the surplus frame is
              // shed at the first hole: that loss is skipped (free) instead of concealed.
              assertThat(st.concealed()).isEqualTo(19);
              assertThat(st.dropped()).isZero();
              assertThat(count(outs, PlayoutAction.SILENCE)).isLessThanOrEqualTo(3);
            }),
        new Scenario("two-frame floor keeps the next packet ready for FEC",
            new JitterBufferConfig(200, 40, 40, 0.95, 250, 100, 50, 2, 25, 2, 3, 1500),
            () -> new JitterSim().send(0, 500, FRAME_NANOS,
                i -> i % 25 == 12 ? -1 : BASE_TRANSIT + 3 * MS), 495,
            (outs, st) -> {
              List<Out> conceals = outs.stream()
                  .filter(o -> o.action() == PlayoutAction.CONCEAL).toList();
              assertThat(conceals).hasSize(20);
              assertThat(conceals).allSatisfy(o -> assertThat(o.nextPayloadSeq()).isNotNegative());
              assertThat(st.lost()).isEqualTo(20);
              assertThat(st.targetDelayMillis()).isEqualTo(40);
            }),
        new Scenario("burst loss: conceal, then comfort silence, then resume", d,
            () -> new JitterSim().send(0, 400, FRAME_NANOS,
                i -> i >= 200 && i < 205 ? -1 : BASE_TRANSIT + 3 * MS), 400,
            (outs, st) -> {
              assertThat(st.lost()).isEqualTo(5);
              assertThat(st.concealed()).isEqualTo(3);
              assertThat(count(window(outs, 100, 400), PlayoutAction.SILENCE)).isEqualTo(2);
              assertThat(frames(outs).stream().map(Out::extSeq))
                  .contains(1000L + 199, 1000L + 205).doesNotContain(1000L + 200, 1000L + 204);
            }),
        new Scenario("reordering is absorbed without loss", d,
            () -> new JitterSim().send(0, 500, FRAME_NANOS,
                i -> BASE_TRANSIT + (i % 10 == 5 ? 25 * MS : 0)), 500,
            (outs, st) -> {
              assertThat(st.late()).isZero();
              assertThat(st.lost()).isZero();
              assertThat(st.targetDelayMillis()).isBetween(40, 60);
            }),
        new Scenario("duplicates are dropped and counted", d,
            () -> {
              JitterSim s = new JitterSim().send(0, 500, FRAME_NANOS, i -> BASE_TRANSIT)
                  .send(0, 500, FRAME_NANOS, i -> BASE_TRANSIT + MS);
              return s.send(0, 500, FRAME_NANOS, i -> i % 50 == 7 ? BASE_TRANSIT + 150 * MS : -1);
            }, 505,
            (outs, st) -> {
              assertThat(st.duplicates()).isEqualTo(510);
              assertThat(st.late()).isZero();
              assertThat(st.lost()).isZero();
              assertThat(frames(outs).size()).isGreaterThanOrEqualTo(490);
            }),
        new Scenario("late packets are dropped and counted", d,
            () -> new JitterSim().send(0, 500, FRAME_NANOS,
                i -> BASE_TRANSIT + (i == 150 || i == 250 || i == 350 ? 150 * MS : 0)), 500,
            (outs, st) -> {
              assertThat(st.late()).isEqualTo(3);
              assertThat(st.lost()).isEqualTo(3);
              assertThat(st.targetDelayMillis()).isEqualTo(20);
              assertThat(frames(outs).stream().map(Out::extSeq))
                  .doesNotContain(1150L, 1250L, 1350L);
            }),
        new Scenario("300 ms burst: the cap holds, then the delay comes back down", d,
            () -> new JitterSim().send(0, 800, FRAME_NANOS, i -> {
              long nominal = i * FRAME_NANOS + BASE_TRANSIT;
              long release = 200 * FRAME_NANOS + BASE_TRANSIT + 300 * MS;
              return i >= 200 && nominal < release ? release - i * FRAME_NANOS : BASE_TRANSIT;
            }), 800,
            (outs, st) -> {
              assertThat(maxDelayNanos(outs)).isLessThanOrEqualTo(CAP_NANOS);
              assertThat(maxDelayNanos(window(outs, 200, 240))).isGreaterThan(100 * MS);
              assertThat(st.dropped()).isPositive();
              assertThat(st.late()).isZero();
              // The stall raised the 95th percentile for one history window (250 packets)...
              assertThat(meanDelayMillis(window(outs, 300, 440))).isLessThanOrEqualTo(120);
              // ...after which the delay is back at one frame.
              assertThat(meanDelayMillis(window(outs, 700, 800))).isLessThanOrEqualTo(20);
            }),
        new Scenario("sequence number and timestamp wrap", d,
            () -> {
              JitterSim s = new JitterSim();
              s.startSeq = 65_400;
              s.startTimestamp = (1L << 32) - 150L * JitterSim.FRAME_TICKS;
              return s.send(0, 400, FRAME_NANOS, i -> BASE_TRANSIT + (i % 3) * MS);
            }, 400,
            (outs, st) -> {
              assertThat(st.lost()).isZero();
              assertThat(st.resyncs()).isZero();
              assertThat(frames(outs).stream().map(Out::extSeq)).contains(65_535L, 65_536L, 65_537L);
              assertThat(frames(outs).get(frames(outs).size() - 1).extSeq()).isGreaterThan(65_700L);
            }),
        new Scenario("new SSRC resynchronises", d,
            () -> {
              JitterSim s = new JitterSim().send(0, 300, FRAME_NANOS, i -> BASE_TRANSIT);
              for (int i = 300; i < 500; i++) {
                s.sendRaw(0x9999, 7 + (i - 300), 999L * (i - 300) * 960, i * FRAME_NANOS + BASE_TRANSIT);
              }
              return s;
            }, 500,
            (outs, st) -> {
              assertThat(st.resyncs()).isEqualTo(1);
              assertThat(outs.stream().filter(Out::discontinuity).count()).isEqualTo(2);
              assertThat(frames(window(outs, 400, 500))).allSatisfy(
                  o -> assertThat(o.extSeq()).isBetween(7L, 207L));
              assertThat(st.late()).isZero();
            }),
        new Scenario("confirmed big jump resynchronises, a stray one is discarded", d,
            () -> {
              JitterSim s = new JitterSim().send(0, 200, FRAME_NANOS, i -> BASE_TRANSIT);
              s.sendRaw(s.ssrc, 40_000, 5, 100 * FRAME_NANOS + BASE_TRANSIT + MS);
              for (int i = 200; i < 400; i++) {
                s.sendRaw(s.ssrc, 30_000 + i, (long) i * 960, i * FRAME_NANOS + BASE_TRANSIT);
              }
              return s;
            }, 400,
            (outs, st) -> {
              assertThat(st.discarded()).isEqualTo(2); // the stray packet and the first jumped one
              assertThat(st.resyncs()).isEqualTo(1);
              assertThat(frames(window(outs, 300, 400))).allSatisfy(
                  o -> assertThat(o.extSeq()).isGreaterThan(30_200L));
            }),
        new Scenario("DTX pause: silence without counting loss", d,
            () -> {
              JitterSim s = new JitterSim().send(0, 200, FRAME_NANOS, i -> BASE_TRANSIT);
              for (int i = 300; i < 500; i++) { // seq continues at 1200, timestamps jumped 2 s
                s.sendRaw(s.ssrc, s.startSeq + i - 100, s.startTimestamp + (long) i * 960,
                    i * FRAME_NANOS + BASE_TRANSIT);
              }
              return s;
            }, 500,
            (outs, st) -> {
              assertThat(st.lost()).isZero();
              assertThat(st.late()).isZero();
              assertThat(count(window(outs, 200, 300), PlayoutAction.SILENCE)).isGreaterThan(90);
              assertThat(frames(window(outs, 300, 500)).size()).isGreaterThanOrEqualTo(195);
            }),
        new Scenario("quiet frames are dropped first when shrinking", d,
            () -> new JitterSim().send(0, 400, FRAME_NANOS, i -> BASE_TRANSIT).quiet(60, 70), 400,
            (outs, st) -> {
              // Start-up at two frames, the target falls to one after warm-up (50 packets): the
              // surplus frame goes at the first quiet frame instead of after the 25-poll wait.
              assertThat(st.dropped()).isEqualTo(1);
              List<Long> played = frames(outs).stream().map(Out::extSeq).toList();
              long missing = java.util.stream.LongStream.range(1000, 1400)
                  .filter(q -> !played.contains(q) && q < 1395).findFirst().orElse(-1);
              assertThat(missing).isBetween(1060L, 1069L);
            })
    ).map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void scenario(Scenario s) {
    JitterBuffer jb = JitterSim.buffer(s.config());
    List<Out> outs = s.network().get().run(jb, s.polls(), 0);
    if (System.getProperty("jitter.debug") != null) {
      System.out.println(s.name() + ": " + jb.stats());
      outs.forEach(System.out::println);
    }
    assertInvariants(outs);
    s.check().accept(outs, jb.stats());
  }

  /** Sender clock off by {@code ppm}; 10 000 frames with 0–5 ms random network jitter. */
  private static List<Out> runDrift(int ppm, JitterBuffer jb) {
    long senderFrameNanos = FRAME_NANOS + FRAME_NANOS * ppm / 1_000_000;
    Random r = new Random(ppm);
    JitterSim sim = new JitterSim().send(0, 10_000, senderFrameNanos,
        i -> BASE_TRANSIT + (long) (r.nextDouble() * 5 * MS));
    int polls = (int) (10_000 * senderFrameNanos / FRAME_NANOS);
    return sim.run(jb, polls, 0);
  }

  @ParameterizedTest(name = "sender clock {0} ppm")
  @org.junit.jupiter.params.provider.ValueSource(ints = {10_000, -10_000, 1_000, -1_000})
  void senderClockDriftNeverGrowsTheBacklog(int ppm) {
    JitterBuffer jb = JitterSim.buffer(JitterBufferConfig.DEFAULTS);
    List<Out> outs = runDrift(ppm, jb);
    assertInvariants(outs);
    int n = outs.size();
    double early = meanDelayMillis(window(outs, 1000, 3000));
    double late = meanDelayMillis(window(outs, n - 2000, n - 10));
    if (System.getProperty("jitter.debug") != null) {
      System.out.printf("drift %d ppm: early %.1f ms, late %.1f ms, %s%n", ppm, early, late,
          jb.stats());
    }
    assertThat(late).as("no upward trend (early %.1f ms)", early).isLessThanOrEqualTo(early + 10);
    assertThat(late).isLessThanOrEqualTo(60);
    assertThat(outs.stream().skip(1000).mapToInt(Out::bufferedDelayMillis).max().orElse(0))
        .isLessThanOrEqualTo(80);
    JitterStats st = jb.stats();
    assertThat(st.late()).isLessThan(20);
    if (ppm < 0) {
      assertThat(st.dropped()).as("fast sender: must drop").isGreaterThanOrEqualTo(-ppm / 1000 * 9);
    } else {
      assertThat(st.underruns()).as("slow sender: must stretch").isPositive();
    }
  }

  @Test
  void statsTrackTheBuffer() {
    JitterBuffer jb = JitterSim.buffer(JitterBufferConfig.DEFAULTS);
    byte[] p = JitterSim.payloadFor(1, false);
    assertThat(jb.insert(1, 1, 960, p, 0, p.length, 0)).isEqualTo(InsertResult.RESYNCED);
    assertThat(jb.insert(1, 1, 960, p, 0, p.length, 1)).isEqualTo(InsertResult.DUPLICATE);
    assertThat(jb.insert(1, 2, 1920, p, 0, p.length, 2)).isEqualTo(InsertResult.ACCEPTED);
    assertThat(jb.insert(1, 3, 2880, new byte[2000], 0, 2000, 3))
        .isEqualTo(InsertResult.DISCARDED);
    assertThat(jb.bufferedPackets()).isEqualTo(2);
    assertThat(jb.bufferedDelayMillis()).isEqualTo(40);
    PlayoutFrame f = new PlayoutFrame(1500);
    assertThat(jb.poll(3 * MS, f)).isEqualTo(PlayoutAction.FRAME);
    assertThat(f.sequenceNumber()).isEqualTo(1);
    assertThat(f.timestamp()).isEqualTo(960);
    assertThat(f.discontinuity()).isTrue();
    jb.recordFecRecovery();
    assertThat(jb.insert(1, 1, 960, p, 0, p.length, 4)).isEqualTo(InsertResult.DUPLICATE);
    JitterStats st = jb.stats();
    assertThat(st.received()).isEqualTo(5);
    assertThat(st.duplicates()).isEqualTo(2);
    assertThat(st.discarded()).isEqualTo(1);
    assertThat(st.recoveredByFec()).isEqualTo(1);
    assertThat(st.bufferedDelayMillis()).isEqualTo(20);
  }

  @Test
  void nothingToPlayBeforeTheFirstPacket() {
    JitterBuffer jb = JitterSim.buffer(JitterBufferConfig.DEFAULTS);
    PlayoutFrame f = new PlayoutFrame(1500);
    assertThat(jb.poll(0, f)).isEqualTo(PlayoutAction.SILENCE);
    assertThat(jb.started()).isFalse();
    assertThat(jb.stats().underruns()).isZero();
  }
}
