package io.causerie.desktop;

/** Whether the peer's voice is arriving, as reported by {@link CallAudio}. */
public enum AudioFlow {
  /** Nothing reported yet (or no voice path at all): show nothing. */
  UNKNOWN,
  /** Voice packets arrive. */
  FLOWING,
  /** No voice packets arrive: show the "No incoming audio" indicator. */
  SILENT
}
