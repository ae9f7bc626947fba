package io.causerie.desktop;

/** Plays the ring tone while a call rings in. Both methods are called on the Swing event thread and return at once. */
public interface Ringer {
  void start();

  void stop();

  /** A ringer that makes no sound (tests, or no sound wanted). */
  Ringer SILENT = new Ringer() {
    @Override
    public void start() {}

    @Override
    public void stop() {}
  };
}
