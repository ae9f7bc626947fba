package io.causerie.desktop;

/**
 * A short message above the call history: how the last call ended, or an error.
 *
 * @param id increases with every notice, so that dismissing an old one never hides a newer one
 * @param level how loud to show it
 * @param text one sentence
 */
public record Notice(long id, Level level, String text) {
  /** How loud a notice is. */
  public enum Level {
    INFO,
    WARNING,
    ERROR
  }
}
