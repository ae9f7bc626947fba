package io.causerie.media.jitter;

/**
 * Tells, from an encoded payload, whether a frame is quiet enough to drop unnoticed when the
 * jitter buffer must shrink (usually {@code AudioCodec::isQuiet}).
 */
@FunctionalInterface
public interface QuietFrameDetector {
  /** A detector that never calls a frame quiet (drops then wait for the forced limit). */
  QuietFrameDetector NEVER = (payload, off, len) -> false;

  /** Whether {@code payload[off, off+len)} is quiet. */
  boolean isQuiet(byte[] payload, int off, int len);
}
