package io.causerie.bench.reliability;

import io.causerie.protocol.MessageCodec;
import io.causerie.protocol.MessageType;
import io.causerie.protocol.ProtocolException;

/** What a captured signalling datagram was, for the report only: its type while signalling is plaintext. */
final class Wire {
  private Wire() {}

  /** The message type, or "opaque N bytes" when the datagram is not plaintext signalling (e.g. DTLS). */
  static String describe(byte[] d) {
    try {
      MessageType t = MessageCodec.decodeHeader(d, 0, d.length).type();
      return t == null ? "unknown type, " + d.length + " bytes" : t.name();
    } catch (ProtocolException | RuntimeException e) {
      return "opaque " + d.length + " bytes";
    }
  }

  /** Header fields (type, txid, session) of a plaintext datagram, or null. */
  static MessageCodec.Header header(byte[] d) {
    try {
      return MessageCodec.decodeHeader(d, 0, d.length);
    } catch (ProtocolException | RuntimeException e) {
      return null;
    }
  }
}
