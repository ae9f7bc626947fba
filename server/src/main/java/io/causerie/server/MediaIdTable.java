package io.causerie.server;

/**
 * The single-port relay's demultiplexing table: media id (the SSRC a client sends with) to that client's
 * {@link RelayLeg}. Open addressing with linear probing and backward-shift deletion over two parallel arrays, so a
 * lookup allocates nothing and touches one or two cache lines. Key 0 marks an empty slot (0 is never assigned).
 * Relay thread only.
 */
final class MediaIdTable {
  /** Starting capacity (a power of two); the table doubles when it is half full. */
  static final int INITIAL_CAPACITY = 1024;

  private int[] keys = new int[INITIAL_CAPACITY];
  private RelayLeg[] values = new RelayLeg[INITIAL_CAPACITY];
  private int size;

  /** The leg sending with {@code id}, or null. */
  RelayLeg get(int id) {
    if (id == 0) {
      return null;
    }
    int[] k = keys;
    int mask = k.length - 1;
    for (int i = mix(id) & mask; ; i = (i + 1) & mask) {
      int key = k[i];
      if (key == id) {
        return values[i];
      }
      if (key == 0) {
        return null;
      }
    }
  }

  /** Maps {@code id} (not 0) to {@code leg}, replacing any previous mapping. */
  void put(int id, RelayLeg leg) {
    if (id == 0) {
      throw new IllegalArgumentException("media id 0 is reserved");
    }
    if (2 * (size + 1) > keys.length) {
      grow();
    }
    int mask = keys.length - 1;
    int i = mix(id) & mask;
    while (keys[i] != 0 && keys[i] != id) {
      i = (i + 1) & mask;
    }
    if (keys[i] == 0) {
      size++;
    }
    keys[i] = id;
    values[i] = leg;
  }

  /** Removes {@code id} if it maps to {@code leg} (a newer mapping of the same id is kept). */
  void remove(int id, RelayLeg leg) {
    if (id == 0) {
      return;
    }
    int mask = keys.length - 1;
    int i = mix(id) & mask;
    while (keys[i] != id) {
      if (keys[i] == 0) {
        return;
      }
      i = (i + 1) & mask;
    }
    if (values[i] != leg) {
      return;
    }
    // Backward-shift deletion: move later entries of the probe run into the hole so lookups never stop early.
    int hole = i;
    for (int j = (hole + 1) & mask; keys[j] != 0; j = (j + 1) & mask) {
      int home = mix(keys[j]) & mask;
      // j's entry may fill the hole if its home is not cyclically in (hole, j].
      if (((j - home) & mask) >= ((j - hole) & mask)) {
        keys[hole] = keys[j];
        values[hole] = values[j];
        hole = j;
      }
    }
    keys[hole] = 0;
    values[hole] = null;
    size--;
  }

  int size() {
    return size;
  }

  private void grow() {
    int[] oldKeys = keys;
    RelayLeg[] oldValues = values;
    keys = new int[oldKeys.length * 2];
    values = new RelayLeg[oldKeys.length * 2];
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != 0) {
        put(oldKeys[i], oldValues[i]);
      }
    }
  }

  /** Spreads ids (random, but tests use small ones) over the table: the murmur3 finaliser. */
  private static int mix(int h) {
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }
}
