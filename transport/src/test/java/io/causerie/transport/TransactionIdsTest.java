package io.causerie.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TransactionIdsTest {
  /** A generator whose bytes count up from 0, 8 per id, so every id can be predicted by the test. */
  private static final class CountingRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    long calls;
    private long counter;

    @Override
    public void nextBytes(byte[] bytes) {
      calls++;
      for (int i = 0; i < bytes.length; i += 8) {
        long v = counter++;
        for (int k = 0; k < 8; k++) {
          bytes[i + k] = (byte) (v >>> (8 * (7 - k)));
        }
      }
    }
  }

  @Test
  void idsAreTheGeneratorsBytesInOrderFetchedInBatchesAndNeverZero() {
    CountingRandom r = new CountingRandom();
    TransactionIds ids = new TransactionIds(r);
    assertThat(ids.next()).isEqualTo(1); // 0 is skipped
    assertThat(ids.next()).isEqualTo(2);
    int perBatch = TransactionIds.BATCH_BYTES / 8;
    for (int i = 3; i < perBatch; i++) {
      assertThat(ids.next()).isEqualTo(i);
    }
    assertThat(r.calls).isEqualTo(1);
    assertThat(ids.next()).isEqualTo(perBatch); // the next batch follows on
    assertThat(r.calls).isEqualTo(2);
  }

  @Test
  void theDefaultGeneratorGivesDistinctIds() {
    TransactionIds ids = new TransactionIds();
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < 3 * TransactionIds.BATCH_BYTES / 8; i++) {
      assertThat(seen.add(ids.next())).isTrue();
    }
    assertThat(seen).doesNotContain(0L);
  }
}
