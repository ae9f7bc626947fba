package io.causerie.client;

/**
 * A call as the client sees it.
 *
 * @param callId the server's call id (0 until the server assigned one)
 * @param peer the other party
 * @param outgoing true when this client placed the call
 * @param codec the codec chosen, or null before the call started
 * @param mediaPort the server's media port for this client
 */
public record CallInfo(long callId, String peer, boolean outgoing, String codec, int mediaPort) {
  public String idHex() {
    return Long.toHexString(callId);
  }
}
