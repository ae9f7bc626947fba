package io.causerie.media.jitter;

import io.causerie.media.rtp.SequenceNumbers;

/**
 * Reusable holder the {@link JitterBuffer} fills on every poll: the action plus, for {@code FRAME},
 * a copy of the payload and, for {@code CONCEAL}, a copy of the next packet when FEC is possible.
 */
public final class PlayoutFrame {
  private final byte[] payload;
  private final byte[] nextPayload;
  PlayoutAction action = PlayoutAction.SILENCE;
  int payloadLength;
  int nextPayloadLength = -1;
  long extendedSequence;
  long timestamp;
  long arrivalNanos;
  boolean discontinuity;

  /** A holder able to carry payloads of up to {@code maxPayloadBytes}. */
  public PlayoutFrame(int maxPayloadBytes) {
    payload = new byte[maxPayloadBytes];
    nextPayload = new byte[maxPayloadBytes];
  }

  /** The action for this tick. */
  public PlayoutAction action() {
    return action;
  }

  /** Payload to decode (valid for {@code FRAME}), starting at index 0. */
  public byte[] payload() {
    return payload;
  }

  /** Length of {@link #payload()}. */
  public int payloadLength() {
    return payloadLength;
  }

  /** Whether a {@code CONCEAL} tick has the next packet available for in-band FEC. */
  public boolean fecAvailable() {
    return action == PlayoutAction.CONCEAL && nextPayloadLength >= 0;
  }

  /** The next packet's payload (valid when {@link #fecAvailable()}), starting at index 0. */
  public byte[] nextPayload() {
    return nextPayload;
  }

  /** Length of {@link #nextPayload()}, or -1 when none. */
  public int nextPayloadLength() {
    return nextPayloadLength;
  }

  /** Extended (wrap-free) sequence number of the frame played or concealed. */
  public long extendedSequence() {
    return extendedSequence;
  }

  /** 16-bit RTP sequence number of the frame played or concealed. */
  public int sequenceNumber() {
    return (int) (extendedSequence & SequenceNumbers.SEQ_MASK);
  }

  /** 32-bit RTP timestamp of the frame (expected value for a concealed frame). */
  public long timestamp() {
    return timestamp & SequenceNumbers.TIMESTAMP_MASK;
  }

  /** Arrival time of the packet played ({@code FRAME} only). */
  public long arrivalNanos() {
    return arrivalNanos;
  }

  /**
   * True on the first frame after a new source or a sequence restart: the caller should reset its
   * decoder before decoding.
   */
  public boolean discontinuity() {
    return discontinuity;
  }

  @Override
  public String toString() {
    return "PlayoutFrame[" + action + " seq=" + sequenceNumber() + " len=" + payloadLength
        + (fecAvailable() ? " fec=" + nextPayloadLength : "") + "]";
  }
}
