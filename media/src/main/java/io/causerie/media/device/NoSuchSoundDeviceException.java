package io.causerie.media.device;

import java.io.IOException;

/** Thrown when a device asked for by name does not exist (or there are no devices at all). */
public final class NoSuchSoundDeviceException extends IOException {
  private static final long serialVersionUID = 1L;

  public NoSuchSoundDeviceException(String message) {
    super(message);
  }
}
