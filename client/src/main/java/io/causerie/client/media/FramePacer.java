package io.causerie.client.media;

/**
 * Deadlines of a loop that must do one thing per frame period on a real-time clock (the capture and
 * the playout loops): frame {@code k} is due at {@code start + k × period}, always on that grid.
 *
 * <p>A loop that wakes late is handed the frames it missed, up to {@code maxBacklogFrames} (the
 * newest ones); older missed frames are <em>skipped</em> and reported by {@link #takeSkipped()}, so
 * the caller decides what a frame too late to do means (the capture loop gives it up as lost, the
 * playout loop lets the jitter buffer shed the delay). Either way the loop stays in real time and a
 * stall never turns into a burst of stale audio. Pure; time comes in as {@code nowNanos}.
 */
public final class FramePacer {
  private final long periodNanos;
  private final int maxBacklogFrames;
  private long nextNanos;
  private long frames;
  private long skipped;
  private long skippedNotTaken;
  private long stalls;

  /** A schedule whose first frame is due at {@code startNanos}. */
  public FramePacer(long periodNanos, int maxBacklogFrames, long startNanos) {
    if (periodNanos <= 0 || maxBacklogFrames < 1) {
      throw new IllegalArgumentException("period and backlog must be positive");
    }
    this.periodNanos = periodNanos;
    this.maxBacklogFrames = maxBacklogFrames;
    this.nextNanos = startNanos;
  }

  /**
   * How many frames to do now, at most {@code maxBacklogFrames} (0: sleep until {@link
   * #nextDeadlineNanos()}); they count as done. Frames due before those are skipped.
   */
  public int due(long nowNanos) {
    long late = nowNanos - nextNanos;
    if (late < 0) {
      return 0;
    }
    long count = late / periodNanos + 1;
    nextNanos += count * periodNanos;
    if (count > maxBacklogFrames) {
      stalls++;
      skipped += count - maxBacklogFrames;
      skippedNotTaken += count - maxBacklogFrames;
      count = maxBacklogFrames;
    }
    frames += count;
    return (int) count;
  }

  /** Frames skipped since the last call (they come before the frames {@link #due} handed out). */
  public long takeSkipped() {
    long s = skippedNotTaken;
    skippedNotTaken = 0;
    return s;
  }

  /** When the next frame is due. */
  public long nextDeadlineNanos() {
    return nextNanos;
  }

  /** Frames handed out so far. */
  public long frames() {
    return frames;
  }

  /** Frames skipped so far. */
  public long skipped() {
    return skipped;
  }

  /** Times the loop was more than the backlog behind. */
  public long stalls() {
    return stalls;
  }
}
