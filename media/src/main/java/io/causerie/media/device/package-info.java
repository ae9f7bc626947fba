/**
 * Audio device adapters over {@code javax.sound.sampled}: listing capture and playback devices,
 * and 20 ms frame sources and sinks on them. Unlike the rest of the media module these touch
 * hardware; everything they need to decide is in the pure {@link
 * io.causerie.media.device.SoundDevices#match} so it can be tested without a sound card.
 */
package io.causerie.media.device;
