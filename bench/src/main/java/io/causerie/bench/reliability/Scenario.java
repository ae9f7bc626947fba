package io.causerie.bench.reliability;

/** One row of the reliability suite: starts its own server, drives real clients, measures, judges. */
public interface Scenario {
  /** Short name, as {@code --only} takes it. */
  String name();

  /** The target, in words. */
  String target();

  /** Runs the scenario; a failed target is a row with {@code pass == false}, not an exception. */
  Row run(Context ctx) throws Exception;
}
