package io.causerie.media.device;

import java.util.List;

/**
 * One capture or playback device as {@code causerie devices} lists it.
 *
 * @param name the mixer name, as {@code --input}/{@code --output} take it
 * @param description the mixer's description
 * @param sampleRatesHz the pipeline rates (48000, 8000) it opens 16-bit mono lines at, best first
 */
public record SoundDevice(String name, String description, List<Integer> sampleRatesHz) {
  public SoundDevice {
    sampleRatesHz = List.copyOf(sampleRatesHz);
  }
}
