package io.causerie.protocol.scram;

/** Thrown for a SCRAM message that is malformed, over a limit, or asks for something this implementation refuses. */
public class ScramException extends Exception {
  private static final long serialVersionUID = 1L;

  public ScramException(String message) {
    super(message);
  }
}
