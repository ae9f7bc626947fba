package io.causerie.media.audio;

import java.io.IOException;

/** Thrown for a WAV file that is malformed or in a format {@link WavReader} does not support. */
public final class WavFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public WavFormatException(String message) {
    super(message);
  }
}
