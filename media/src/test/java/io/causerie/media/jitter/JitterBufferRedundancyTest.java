package io.causerie.media.jitter;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link JitterBuffer#insertRedundant}: when a copy is kept, when it is not, and the floor it raises. */
class JitterBufferRedundancyTest {
  private static final long FRAME = 20_000_000L;
  private static final int SSRC = 7;
  private final JitterBuffer jb = new JitterBuffer(
      new JitterBufferConfig(200, 40, 40, 0.95, 250, 100, 50, 2, 25, 2, 3, 1500), 48000, 960,
      QuietFrameDetector.NEVER);
  private final PlayoutFrame out = new PlayoutFrame(1500);

  private void insert(int seq, long now) {
    jb.insert(SSRC, seq, seq * 960L, new byte[] {(byte) seq, 1}, 0, 2, now);
  }

  private boolean copy(int seq, int distance) {
    return jb.insertRedundant(SSRC, seq, seq * 960L, distance, new byte[] {(byte) seq, 2}, 0, 2);
  }

  @Test
  void aCopyFillsAHoleAheadOfPlayoutOnly() {
    insert(100, 0);
    insert(101, FRAME);
    assertThat(jb.poll(FRAME, out)).isEqualTo(PlayoutAction.FRAME); // plays 100
    insert(104, 2 * FRAME); // 102 and 103 lost
    assertThat(copy(102, 2)).isTrue();
    assertThat(copy(102, 2)).as("already buffered").isFalse();
    assertThat(copy(101, 3)).as("buffered as itself").isFalse();
    assertThat(copy(100, 4)).as("already played").isFalse();
    assertThat(copy(104, 0)).as("not a copy of an earlier frame").isFalse();
    assertThat(jb.insertRedundant(SSRC + 1, 103, 103 * 960L, 1, new byte[] {1}, 0, 1)).as("other source")
        .isFalse();
    assertThat(jb.insertRedundant(SSRC, 103, 103 * 960L, 1, new byte[0], 0, 0)).as("empty").isFalse();
    assertThat(jb.poll(2 * FRAME, out)).isEqualTo(PlayoutAction.FRAME);
    assertThat(out.sequenceNumber()).isEqualTo(101);
    assertThat(jb.poll(3 * FRAME, out)).isEqualTo(PlayoutAction.FRAME);
    assertThat(out.sequenceNumber()).isEqualTo(102);
    assertThat(out.payload()[1]).as("the copy").isEqualTo((byte) 2);
    assertThat(jb.poll(4 * FRAME, out)).isEqualTo(PlayoutAction.CONCEAL);
    assertThat(out.fecAvailable()).isTrue();
    JitterStats st = jb.stats();
    assertThat(st.recoveredByRedundancy()).isEqualTo(1);
    assertThat(st.lost()).isEqualTo(1);
    // The original of 102 arriving late is a duplicate of the copy, not a second frame.
    assertThat(jb.insert(SSRC, 102, 102 * 960L, new byte[] {1}, 0, 1, 4 * FRAME))
        .isIn(InsertResult.DUPLICATE, InsertResult.LATE);
  }

  @Test
  void copiesRaiseTheFloorWhileTheyComeThenItFallsBack() {
    long now = 0;
    int seq = 0;
    for (; seq < 60; seq++, now += FRAME) {
      insert(seq, now);
      jb.poll(now, out);
    }
    assertThat(jb.targetDelayMillis()).isEqualTo(40);
    copy(seq - 1, 2); // even a copy not needed shows the sender's distance
    assertThat(jb.targetDelayMillis()).isEqualTo(60);
    for (int i = 0; i < JitterBuffer.REDUNDANCY_FLOOR_HOLD_PACKETS; i++, seq++, now += FRAME) {
      insert(seq, now);
      jb.poll(now, out);
    }
    assertThat(jb.stats().stretched()).as("grew once, after waiting for a quiet frame").isEqualTo(1);
    assertThat(jb.targetDelayMillis()).isEqualTo(40);
  }
}
