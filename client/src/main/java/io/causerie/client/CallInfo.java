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
 * @param redundancy whether the call negotiated redundant copies (RFC 2198) with its codec ("opus+red"
 *     on the wire; {@code codec} is then "opus")
 */
public record CallInfo(long callId, String peer, boolean outgoing, String codec, int mediaPort, String sas,
    CallKeys keys, boolean redundancy) {
  /** A call without redundancy. */
  public CallInfo(long callId, String peer, boolean outgoing, String codec, int mediaPort, String sas,
      CallKeys keys) {
    this(callId, peer, outgoing, codec, mediaPort, sas, keys, false);
  }

  /** A call whose keys are not agreed yet. */
  public CallInfo(long callId, String peer, boolean outgoing, String codec, int mediaPort) {
    this(callId, peer, outgoing, codec, mediaPort, null, null);
  }

  public String idHex() {
    return Long.toHexString(callId);
  }
}
