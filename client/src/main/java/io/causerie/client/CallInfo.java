package io.causerie.client;

import io.causerie.media.crypto.CallKeys;

/**
 * A call as the client sees it.
 *
 * @param callId the server's call id (0 until the server assigned one)
 * @param peer the other party
 * @param outgoing true when this client placed the call
 * @param codec the codec chosen, or null before the call started
 * @param mediaPort the server's media port for this client
 * @param sas the short authentication string both users should see (4 digits), or null before the keys are agreed
 * @param keys this call's end-to-end media keys, or null before they are agreed (never printed)
 * @param mediaId the SSRC this client must send its media with when the server relays every call on one port
 *     (docs/PROTOCOL.md §8.7), or 0 when the client picks its own (the server's port-per-client mode)
 * @param redundancy whether the call negotiated redundant copies (RFC 2198) with its codec ("opus+red"
 *     on the wire; {@code codec} is then "opus")
 */
public record CallInfo(long callId, String peer, boolean outgoing, String codec, int mediaPort, String sas,
    CallKeys keys, int mediaId, boolean redundancy) {
  /** A call on a port of its own (no media id), without redundancy. */
  public CallInfo(long callId, String peer, boolean outgoing, String codec, int mediaPort, String sas,
      CallKeys keys) {
    this(callId, peer, outgoing, codec, mediaPort, sas, keys, 0, false);
  }

  /** A call whose keys are not agreed yet. */
  public CallInfo(long callId, String peer, boolean outgoing, String codec, int mediaPort) {
    this(callId, peer, outgoing, codec, mediaPort, null, null, 0, false);
  }

  public String idHex() {
    return Long.toHexString(callId);
  }
}
