package io.causerie.server.store;

import io.causerie.protocol.scram.ScramCredential;

/**
 * One account: its SCRAM verifier (never the password), the address range it may sign in from (null = anywhere),
 * the address it was last seen at (null = never), and when it was created.
 */
public record User(
    long id, String name, ScramCredential credential, String lastSeenIp, String allowedCidr, long createdAtMillis) {}
