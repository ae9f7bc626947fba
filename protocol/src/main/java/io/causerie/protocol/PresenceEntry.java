package io.causerie.protocol;

/** One user and their presence state. */
public record PresenceEntry(String name, PresenceState state) {}
