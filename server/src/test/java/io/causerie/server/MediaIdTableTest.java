package io.causerie.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The open-addressing id table agrees with a HashMap through growth and deletions. */
class MediaIdTableTest {
  private static RelayLeg leg(int n) {
    return new RelayLeg("u" + n, InetAddress.getLoopbackAddress(), null, UdpMediaRelay.Limits.DEFAULTS, 0);
  }

  @Test
  void agreesWithAHashMapUnderRandomPutsAndRemoves() {
    MediaIdTable table = new MediaIdTable();
    Map<Integer, RelayLeg> model = new HashMap<>();
    Random random = new Random(42);
    for (int step = 0; step < 200_000; step++) {
      // Small ids collide often, which exercises the probe runs and backward shifts.
      int id = 1 + random.nextInt(step < 100_000 ? 5_000 : Integer.MAX_VALUE);
      if (random.nextInt(3) == 0 && model.containsKey(id)) {
        table.remove(id, model.remove(id));
      } else {
        RelayLeg l = leg(step);
        table.put(id, l);
        model.put(id, l);
      }
      if (step % 997 == 0) {
        for (Map.Entry<Integer, RelayLeg> e : model.entrySet()) {
          assertThat(table.get(e.getKey())).isSameAs(e.getValue());
        }
      }
    }
    assertThat(table.size()).isEqualTo(model.size());
    for (Map.Entry<Integer, RelayLeg> e : model.entrySet()) {
      assertThat(table.get(e.getKey())).isSameAs(e.getValue());
    }
    assertThat(table.get(0)).isNull();
  }

  @Test
  void removeKeepsANewerMappingOfTheSameId() {
    MediaIdTable table = new MediaIdTable();
    RelayLeg old = leg(1);
    RelayLeg fresh = leg(2);
    table.put(7, old);
    table.put(7, fresh);
    table.remove(7, old);
    assertThat(table.get(7)).isSameAs(fresh);
    table.remove(7, fresh);
    assertThat(table.get(7)).isNull();
    assertThat(table.size()).isZero();
  }

  @Test
  void idZeroIsReserved() {
    assertThatThrownBy(() -> new MediaIdTable().put(0, leg(0))).isInstanceOf(IllegalArgumentException.class);
  }
}
