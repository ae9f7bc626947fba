package io.causerie.desktop;

/**
 * What the voice path needs from the settings.
 *
 * @param inputDevice the microphone's mixer name, or null for the system default
 * @param outputDevice the speaker's mixer name, or null for the system default
 * @param jitterBufferCapMillis the most playout delay the jitter buffer may add
 */
public record AudioSettings(String inputDevice, String outputDevice, int jitterBufferCapMillis) {}
