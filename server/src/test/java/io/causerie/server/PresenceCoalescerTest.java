package io.causerie.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.causerie.protocol.PresenceEntry;
import io.causerie.protocol.PresenceState;
import org.junit.jupiter.api.Test;

/** Presence batching on a fake clock: when a batch is due, what it holds, and its seq (PROTOCOL.md §6.9). */
class PresenceCoalescerTest {
  private static final long MS = 1_000_000L;
  private static final long INTERVAL = 200 * MS;

  private final PresenceCoalescer p = new PresenceCoalescer(INTERVAL);

  @Test
  void theFirstChangeAfterAQuietSpellGoesAtOnceAndTheNextWaitsForTheInterval() {
    assertThat(p.poll(0)).isNull(); // nothing to send
    p.changed("alice", PresenceState.ONLINE);
    assertThat(p.poll(50 * MS)).containsExactly(new PresenceEntry("alice", PresenceState.ONLINE));
    assertThat(p.seq()).isEqualTo(1);

    p.changed("bob", PresenceState.ONLINE);
    assertThat(p.poll(100 * MS)).isNull();
    assertThat(p.poll(249 * MS)).isNull();
    assertThat(p.poll(250 * MS)).containsExactly(new PresenceEntry("bob", PresenceState.ONLINE));
    assertThat(p.seq()).isEqualTo(2);
  }

  @Test
  void aBurstOfChangesIsOneBatchWithEachUserOnceAtTheirLatestState() {
    p.changed("x", PresenceState.ONLINE);
    p.poll(0);
    for (int i = 0; i < 100; i++) {
      p.changed("x", i % 2 == 0 ? PresenceState.IN_CALL : PresenceState.OFFLINE);
      p.changed("u" + i, PresenceState.ONLINE);
    }
    assertThat(p.poll(INTERVAL - 1)).isNull();
    var batch = p.poll(INTERVAL);
    assertThat(batch).hasSize(101);
    assertThat(batch.get(0)).isEqualTo(new PresenceEntry("x", PresenceState.OFFLINE)); // first changed, latest state
    assertThat(batch.subList(1, 101)).allSatisfy(e -> assertThat(e.state()).isEqualTo(PresenceState.ONLINE));
    assertThat(p.seq()).isEqualTo(2); // one batch, one seq
  }

  @Test
  void aChangeThatIsUndoneBeforeTheBatchIsNotSentAndUsesNoSeq() {
    p.changed("alice", PresenceState.ONLINE);
    p.changed("bob", PresenceState.ONLINE);
    p.poll(0);
    // A short call: in-call and back before the next batch. A sign-in and sign-out likewise.
    p.changed("alice", PresenceState.IN_CALL);
    p.changed("bob", PresenceState.IN_CALL);
    p.changed("alice", PresenceState.ONLINE);
    p.changed("bob", PresenceState.ONLINE);
    p.changed("carol", PresenceState.ONLINE);
    p.changed("carol", PresenceState.OFFLINE);
    assertThat(p.poll(INTERVAL)).isNull();
    assertThat(p.seq()).isEqualTo(1);
    // Nothing was sent, so the next change is not held back.
    p.changed("alice", PresenceState.OFFLINE);
    assertThat(p.poll(INTERVAL + 1)).containsExactly(new PresenceEntry("alice", PresenceState.OFFLINE));
    assertThat(p.seq()).isEqualTo(2);
  }

  @Test
  void aPassingStateShownInASnapshotIsCorrectedByTheNextBatch() {
    p.changed("alice", PresenceState.ONLINE);
    p.poll(0);
    p.changed("alice", PresenceState.IN_CALL);
    // A snapshot now shows alice in-call (with seq 1)...
    assertThat(p.pendingForSnapshot()).containsEntry("alice", PresenceState.IN_CALL);
    assertThat(p.seq()).isEqualTo(1);
    // ...and the call ends before the batch: everyone else never saw it, the snapshot's reader did.
    p.changed("alice", PresenceState.ONLINE);
    assertThat(p.poll(INTERVAL)).containsExactly(new PresenceEntry("alice", PresenceState.ONLINE));
    assertThat(p.seq()).isEqualTo(2);
  }

  @Test
  void aSnapshotOfUnchangedStatesForcesNothing() {
    p.changed("alice", PresenceState.ONLINE);
    p.poll(0);
    p.changed("alice", PresenceState.IN_CALL);
    p.changed("alice", PresenceState.ONLINE);
    assertThat(p.pendingForSnapshot()).containsEntry("alice", PresenceState.ONLINE); // as published
    assertThat(p.poll(INTERVAL)).isNull();
  }

  @Test
  void aUserWhoLeavesAndComesBackIsNotSentAndAUserWhoLeavesIsForgotten() {
    p.changed("alice", PresenceState.ONLINE);
    p.poll(0);
    p.changed("alice", PresenceState.OFFLINE);
    p.changed("alice", PresenceState.ONLINE); // replaced session: a new sign-in of the same user
    assertThat(p.poll(INTERVAL)).isNull();
    p.changed("alice", PresenceState.OFFLINE);
    assertThat(p.poll(2 * INTERVAL)).containsExactly(new PresenceEntry("alice", PresenceState.OFFLINE));
    // Offline again is no change from "never seen".
    p.changed("alice", PresenceState.ONLINE);
    p.changed("alice", PresenceState.OFFLINE);
    assertThat(p.poll(4 * INTERVAL)).isNull();
  }

  @Test
  void aZeroIntervalSendsEveryTick() {
    PresenceCoalescer every = new PresenceCoalescer(0);
    every.changed("alice", PresenceState.ONLINE);
    assertThat(every.poll(0)).hasSize(1);
    every.changed("bob", PresenceState.ONLINE);
    assertThat(every.poll(0)).hasSize(1);
    assertThat(every.seq()).isEqualTo(2);
  }
}
