package io.causerie.bench;

/**
 * How many equal-sized datagrams one UDP segmentation offload send ({@code UDP_SEGMENT}, "GSO") carries: the kernel
 * takes one buffer of {@code n} packets and one segment size, runs its send path once, and the receiver gets
 * {@code n} ordinary datagrams. Pure arithmetic.
 */
final class SegmentedSends {
  private SegmentedSends() {}

  /** Segments per send at most (Linux's {@code UDP_MAX_SEGMENTS} is 64 on older kernels, 128 on newer). */
  static final int MAX_SEGMENTS = 64;
  /** Bytes per send at most: one IPv4 UDP datagram's payload limit (65,507) with a margin. */
  static final int MAX_SEND_BYTES = 65_000;

  /** Packets of {@code packetBytes} that fit one send under both limits (at least 1). */
  static int segmentsPerSend(int packetBytes) {
    return segmentsPerSend(packetBytes, MAX_SEGMENTS, MAX_SEND_BYTES);
  }

  static int segmentsPerSend(int packetBytes, int maxSegments, int maxSendBytes) {
    if (packetBytes < 1 || maxSegments < 1 || maxSendBytes < packetBytes) {
      throw new IllegalArgumentException("need 1 <= packetBytes <= maxSendBytes and maxSegments >= 1, got "
          + packetBytes + ", " + maxSegments + ", " + maxSendBytes);
    }
    return Math.min(maxSegments, maxSendBytes / packetBytes);
  }

  /** Sends needed for {@code packets} packets of {@code packetBytes} each. */
  static int sendsFor(int packets, int packetBytes) {
    int per = segmentsPerSend(packetBytes);
    return (packets + per - 1) / per;
  }
}
