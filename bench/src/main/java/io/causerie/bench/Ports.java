package io.causerie.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;

/** Finds free UDP ports on 127.0.0.1 for the server the bench spawns. */
public final class Ports {
  private Ports() {}

  /** Where the search for a media port range starts: below Linux's ephemeral range (32768+). */
  public static final int MEDIA_SEARCH_FROM = 20_000;
  public static final int MEDIA_SEARCH_TO = 32_000;

  /** A UDP port that was free a moment ago (bound to port 0, read, closed). */
  public static int freeUdpPort() throws IOException {
    try (DatagramChannel ch = DatagramChannel.open()) {
      ch.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return ((InetSocketAddress) ch.getLocalAddress()).getPort();
    }
  }

  /**
   * The first range of {@code count} consecutive ports in [from, to] that can all be bound on 127.0.0.1 right
   * now (each is bound and released), as {first, last}.
   *
   * @throws IOException if there is none
   */
  public static int[] freeRange(int count, int from, int to) throws IOException {
    int start = from;
    while (start + count - 1 <= to) {
      int taken = firstTaken(start, count);
      if (taken < 0) {
        return new int[] {start, start + count - 1};
      }
      start = taken + 1;
    }
    throw new IOException("no " + count + " consecutive free UDP ports in " + from + "-" + to);
  }

  /** Random starts tried by {@link #randomFreeRange} before it falls back to a first-fit search. */
  public static final int RANDOM_RANGE_ATTEMPTS = 100;

  /**
   * A range of {@code count} ports in [{@link #MEDIA_SEARCH_FROM}, {@link #MEDIA_SEARCH_TO}] that can all be bound
   * now, starting at a random port: benches and tests running at the same time on one machine search the same
   * range, and a first-fit choice raced them for the same ports between the check and the server's bind.
   */
  public static int[] randomFreeRange(int count) throws IOException {
    java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
    int span = MEDIA_SEARCH_TO - MEDIA_SEARCH_FROM + 1 - count;
    for (int attempt = 0; attempt < RANDOM_RANGE_ATTEMPTS; attempt++) {
      int start = MEDIA_SEARCH_FROM + r.nextInt(Math.max(1, span));
      if (firstTaken(start, count) < 0) {
        return new int[] {start, start + count - 1};
      }
    }
    return freeRange(count, MEDIA_SEARCH_FROM, MEDIA_SEARCH_TO);
  }

  /** The first port of [start, start+count) that cannot be bound, or -1. */
  private static int firstTaken(int start, int count) throws IOException {
    List<DatagramChannel> open = new ArrayList<>();
    try {
      for (int p = start; p < start + count; p++) {
        DatagramChannel ch = DatagramChannel.open();
        open.add(ch);
        try {
          ch.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), p));
        } catch (IOException e) {
          return p;
        }
      }
      return -1;
    } finally {
      for (DatagramChannel ch : open) {
        ch.close();
      }
    }
  }
}
