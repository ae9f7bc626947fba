package io.causerie.server;

import io.causerie.protocol.PresenceParts;
import java.net.InetSocketAddress;

/** A signed-in client, as the signalling core tracks it. Signalling thread only. */
final class Session {
  final long token;
  final String user;
  /** Where signalling answers and notifications go. */
  InetSocketAddress replyAddress;
  /** Where this client's requests last came from. */
  InetSocketAddress sourceAddress;
  /** True when the client asked for the spec's fixed ports: never follow source-address changes. */
  final boolean fixedReply;
  final MediaRelay.Port media;
  /** How PRESENCE goes to this client: packed if it announced {@code packed-presence} at sign-in, else 16 entries. */
  final PresenceParts presenceParts;
  long lastHeardNanos;
  Call call;
  boolean closed;

  Session(long token, String user, InetSocketAddress replyAddress, InetSocketAddress sourceAddress,
      boolean fixedReply, MediaRelay.Port media, PresenceParts presenceParts, long nowNanos) {
    this.token = token;
    this.user = user;
    this.replyAddress = replyAddress;
    this.sourceAddress = sourceAddress;
    this.fixedReply = fixedReply;
    this.media = media;
    this.presenceParts = presenceParts;
    this.lastHeardNanos = nowNanos;
  }

  @Override
  public String toString() {
    return user + "@" + sourceAddress;
  }
}
