package io.causerie.media.jitter;

/** What the playout clock should produce for one 20 ms tick. */
public enum PlayoutAction {
  /** Decode the payload in {@link PlayoutFrame#payload()}. */
  FRAME,
  /**
   * The frame is missing: try {@code recoverFromNext} on {@link PlayoutFrame#nextPayload()} when
   * {@link PlayoutFrame#fecAvailable()}, otherwise conceal.
   */
  CONCEAL,
  /** Nothing to play (not started yet, or a long gap/DTX): play comfort silence. */
  SILENCE
}
