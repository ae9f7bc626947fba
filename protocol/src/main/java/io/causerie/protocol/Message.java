package io.causerie.protocol;

import java.util.List;

/**
 * A signalling message: requests (which the receiver answers, keyed by transaction id) and answers.
 *
 * <p>Every message carries a random 64-bit transaction id and the sender's session token (0 before
 * sign-in). The layouts are in docs/PROTOCOL.md §3; the codec is {@link MessageCodec}.
 */
public sealed interface Message {

  /** Transaction id: chosen at random by the requester, echoed by the answer. */
  long txid();

  /** Session token issued by AUTH_OK; 0 when there is none yet. */
  long session();

  MessageType type();

  /** True for messages that expect an answer and are retransmitted until they get one. */
  default boolean isRequest() {
    return type().isRequest();
  }

  // ---- client → server requests ----

  /** SCRAM client-first-message; optional fixed reply ports for the spec's legacy port layout. */
  record AuthStart(long txid, long session, String clientFirst, int replySignalPort, int replyMediaPort)
      implements Message {
    public MessageType type() {
      return MessageType.AUTH_START;
    }
  }

  /** SCRAM client-final-message for the login the server named in AUTH_CHALLENGE. */
  record AuthFinish(long txid, long session, long loginId, String clientFinal) implements Message {
    public MessageType type() {
      return MessageType.AUTH_FINISH;
    }
  }

  /** Ends the session. */
  record Logout(long txid, long session) implements Message {
    public MessageType type() {
      return MessageType.LOGOUT;
    }
  }

  /**
   * Keeps the session (and the NAT binding) alive. {@code sentMillis} is the sender's clock, for logs;
   * it also makes the request large enough that a NO_SESSION answer never exceeds it (§6).
   */
  record Keepalive(long txid, long session, long sentMillis) implements Message {
    public MessageType type() {
      return MessageType.KEEPALIVE;
    }
  }

  /**
   * Asks the server to call {@code callee}, offering codecs in order of preference.
   *
   * @param keyCommit the caller's commitment to its key-agreement public key, forwarded untouched to the callee
   */
  record Call(long txid, long session, String callee, List<String> codecs, Octets keyCommit) implements Message {
    public Call {
      codecs = List.copyOf(codecs);
      keyCommit = java.util.Objects.requireNonNull(keyCommit);
    }

    /** A call request without key material (load generators; a real client always commits to a key). */
    public Call(long txid, long session, String callee, List<String> codecs) {
      this(txid, session, callee, codecs, Octets.EMPTY);
    }

    public MessageType type() {
      return MessageType.CALL;
    }
  }

  /**
   * The callee accepts the call, picking one of the offered codecs.
   *
   * @param keyShare the callee's key-agreement public key, forwarded untouched to the caller in CALL_STARTED
   */
  record Accept(long txid, long session, long callId, String codec, Octets keyShare) implements Message {
    public Accept {
      keyShare = java.util.Objects.requireNonNull(keyShare);
    }

    /** An answer without key material (load generators). */
    public Accept(long txid, long session, long callId, String codec) {
      this(txid, session, callId, codec, Octets.EMPTY);
    }

    public MessageType type() {
      return MessageType.ACCEPT;
    }
  }

  /** The callee refuses the call. */
  record Refuse(long txid, long session, long callId) implements Message {
    public MessageType type() {
      return MessageType.REFUSE;
    }
  }

  /** The caller gives up before the callee answered. */
  record Cancel(long txid, long session, long callId) implements Message {
    public MessageType type() {
      return MessageType.CANCEL;
    }
  }

  /** Either party ends an established call. */
  record Hangup(long txid, long session, long callId) implements Message {
    public MessageType type() {
      return MessageType.HANGUP;
    }
  }

  /** The caller reveals its key-agreement public key, once the call has started; forwarded as PEER_KEY. */
  record CallKey(long txid, long session, long callId, Octets publicKey) implements Message {
    public CallKey {
      publicKey = java.util.Objects.requireNonNull(publicKey);
    }

    public MessageType type() {
      return MessageType.CALL_KEY;
    }
  }

  /** Asks for a fresh presence snapshot. */
  record Who(long txid, long session) implements Message {
    public MessageType type() {
      return MessageType.WHO;
    }
  }

  /**
   * After a call, how it sounded to this client, for the server's history and metrics. Each figure is a
   * u16 in fixed point; {@link #UNKNOWN} where the client has no figure.
   *
   * @param lossPermille packets lost of those expected, in 1/1000
   * @param jitterTenthsMs interarrival jitter, in 0.1 ms
   * @param rttTenthsMs round-trip time through the relay, in 0.1 ms
   * @param mosHundredths E-model MOS estimate, in 1/100
   */
  record CallQuality(long txid, long session, long callId, int lossPermille, int jitterTenthsMs, int rttTenthsMs,
      int mosHundredths) implements Message {
    /** The value of a figure the client does not know. */
    public static final int UNKNOWN = 0xFFFF;

    public MessageType type() {
      return MessageType.CALL_QUALITY;
    }

    /** Builds a report from figures in natural units; NaN or negative means unknown, large values saturate. */
    public static CallQuality of(long txid, long session, long callId, double lossPercent, double jitterMs,
        double rttMs, double mos) {
      return new CallQuality(txid, session, callId, fixed(lossPercent * 10), fixed(jitterMs * 10), fixed(rttMs * 10),
          fixed(mos * 100));
    }

    private static int fixed(double v) {
      return Double.isNaN(v) || v < 0 ? UNKNOWN : (int) Math.min(UNKNOWN - 1, Math.round(v));
    }

    /** A figure back in its unit ({@code scale} per unit), or null when unknown. */
    public static Double value(int fixed, double scale) {
      return fixed == UNKNOWN ? null : fixed / scale;
    }
  }

  // ---- server → client requests (notifications, answered with OK) ----

  /**
   * Presence entries. {@code seq} orders updates: a client applies an entry only if its seq is newer
   * than the last one it applied for that user. A snapshot comes in parts; the last part has {@code last}.
   */
  record Presence(long txid, long session, long seq, boolean snapshot, boolean last, List<PresenceEntry> entries)
      implements Message {
    public Presence {
      entries = List.copyOf(entries);
    }

    public MessageType type() {
      return MessageType.PRESENCE;
    }
  }

  /** Someone is calling this client; {@code keyCommit} is the caller's, as it sent it. */
  record Incoming(long txid, long session, long callId, String caller, List<String> codecs, Octets keyCommit)
      implements Message {
    public Incoming {
      codecs = List.copyOf(codecs);
      keyCommit = java.util.Objects.requireNonNull(keyCommit);
    }

    public Incoming(long txid, long session, long callId, String caller, List<String> codecs) {
      this(txid, session, callId, caller, codecs, Octets.EMPTY);
    }

    public MessageType type() {
      return MessageType.INCOMING;
    }
  }

  /** The callee's client has been told and is ringing. */
  record Ringing(long txid, long session, long callId) implements Message {
    public MessageType type() {
      return MessageType.RINGING;
    }
  }

  /**
   * The call is up: media may flow to the server's media port for this client.
   *
   * @param peerKey to the caller, the callee's key-agreement public key from its ACCEPT; empty to the callee
   * @param mediaId in the server's single-port media mode, the SSRC the recipient must send its RTP and RTCP with
   *     (the relay tells the calls apart by it, docs/PROTOCOL.md §8.7); 0 when the server gives each client its own
   *     port (then it is not on the wire)
   */
  record CallStarted(long txid, long session, long callId, String peer, String codec, int mediaPort, boolean caller,
      Octets peerKey, int mediaId) implements Message {
    public CallStarted {
      peerKey = java.util.Objects.requireNonNull(peerKey);
    }

    /** Without a media id: the server's port-per-client mode. */
    public CallStarted(long txid, long session, long callId, String peer, String codec, int mediaPort, boolean caller,
        Octets peerKey) {
      this(txid, session, callId, peer, codec, mediaPort, caller, peerKey, 0);
    }

    public CallStarted(long txid, long session, long callId, String peer, String codec, int mediaPort,
        boolean caller) {
      this(txid, session, callId, peer, codec, mediaPort, caller, Octets.EMPTY, 0);
    }

    public MessageType type() {
      return MessageType.CALL_STARTED;
    }
  }

  /** The call is over, for the given reason. */
  record CallEnded(long txid, long session, long callId, EndReason reason) implements Message {
    public MessageType type() {
      return MessageType.CALL_ENDED;
    }
  }

  /** The caller's key-agreement public key (from its CALL_KEY), for the callee to check against the commitment. */
  record PeerKey(long txid, long session, long callId, Octets publicKey) implements Message {
    public PeerKey {
      publicKey = java.util.Objects.requireNonNull(publicKey);
    }

    public MessageType type() {
      return MessageType.PEER_KEY;
    }
  }

  // ---- answers ----

  /** Plain success. */
  record Ok(long txid, long session) implements Message {
    public MessageType type() {
      return MessageType.OK;
    }
  }

  /** Failure, with a machine-readable code and an English text. */
  record Error(long txid, long session, ErrorCode code, String text) implements Message {
    public MessageType type() {
      return MessageType.ERROR;
    }
  }

  /** SCRAM server-first-message and the handle the client must quote in AUTH_FINISH. */
  record AuthChallenge(long txid, long session, long loginId, String serverFirst) implements Message {
    public MessageType type() {
      return MessageType.AUTH_CHALLENGE;
    }
  }

  /**
   * Sign-in succeeded: SCRAM server-final-message (the client checks it), the new session token
   * (also in the header), the server's media port for this client and the keepalive rules.
   */
  record AuthOk(long txid, long session, String serverFinal, int mediaPort, int keepaliveSeconds, int sessionTimeoutSeconds)
      implements Message {
    public MessageType type() {
      return MessageType.AUTH_OK;
    }
  }

  /** The CALL was routed: the callee is being told; the call has this id. */
  record CallProceeding(long txid, long session, long callId) implements Message {
    public MessageType type() {
      return MessageType.CALL_PROCEEDING;
    }
  }
}
