package io.causerie.protocol;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes and decodes signalling datagrams (docs/PROTOCOL.md §2–3).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------+---------------+---------------+---------------+
 * |  magic 0x43   |  magic 0x5A   |    version    |     type      |
 * +---------------+---------------+---------------+---------------+
 * |                 transaction id (64 bits)                      |
 * |                                                               |
 * +---------------------------------------------------------------+
 * |                 session token (64 bits, 0 = none)             |
 * |                                                               |
 * +---------------------------------------------------------------+
 * |                 body: fields of the type, in order            |
 * </pre>
 *
 * All integers are big-endian. {@code str8} is a one-byte length and UTF-8 bytes, {@code str16} a
 * two-byte length and UTF-8 bytes. The decoder checks every length against the bytes left before it
 * allocates, rejects trailing bytes, and throws only {@link ProtocolException}.
 */
public final class MessageCodec {
  public static final int MAGIC_0 = 0x43;
  public static final int MAGIC_1 = 0x5A;

  private static final int FLAG_SNAPSHOT = 0x01;
  private static final int FLAG_LAST = 0x02;
  private static final int FLAG_CALLER = 0x01;

  private MessageCodec() {}

  /** The fixed header of a datagram, readable even when the body is not. */
  public record Header(int version, int typeByte, long txid, long session) {
    public MessageType type() {
      return MessageType.fromWire(typeByte);
    }
  }

  /** Reads just the header; throws if the datagram is too short or the magic is wrong. */
  public static Header decodeHeader(byte[] buf, int off, int len) throws ProtocolException {
    if (len < ProtocolLimits.HEADER_BYTES) {
      throw new ProtocolException("datagram of " + len + " bytes is shorter than the header");
    }
    if ((buf[off] & 0xFF) != MAGIC_0 || (buf[off + 1] & 0xFF) != MAGIC_1) {
      throw new ProtocolException("bad magic");
    }
    return new Header(buf[off + 2] & 0xFF, buf[off + 3] & 0xFF, getLong(buf, off + 4), getLong(buf, off + 12));
  }

  public static Message decode(byte[] buf) throws ProtocolException {
    return decode(buf, 0, buf.length);
  }

  /** Decodes one datagram. */
  public static Message decode(byte[] buf, int off, int len) throws ProtocolException {
    if (len > ProtocolLimits.MAX_DATAGRAM_BYTES) {
      throw new ProtocolException("datagram of " + len + " bytes exceeds " + ProtocolLimits.MAX_DATAGRAM_BYTES);
    }
    Header h = decodeHeader(buf, off, len);
    if (h.version() != ProtocolLimits.VERSION) {
      throw new ProtocolException(
          ErrorCode.UNSUPPORTED_VERSION,
          "version " + h.version() + " not supported; this peer speaks " + ProtocolLimits.VERSION);
    }
    MessageType type = h.type();
    if (type == null) {
      throw new ProtocolException("unknown message type 0x" + Integer.toHexString(h.typeByte()));
    }
    Reader r = new Reader(buf, off + ProtocolLimits.HEADER_BYTES, off + len);
    long tx = h.txid();
    long s = h.session();
    Message m =
        switch (type) {
          case AUTH_START -> new Message.AuthStart(
              tx, s, r.str16(ProtocolLimits.MAX_SCRAM_BYTES), r.u16(), r.u16());
          case AUTH_FINISH -> new Message.AuthFinish(tx, s, r.u64(), r.str16(ProtocolLimits.MAX_SCRAM_BYTES));
          case LOGOUT -> new Message.Logout(tx, s);
          case KEEPALIVE -> new Message.Keepalive(tx, s, r.u64());
          case CALL -> new Message.Call(tx, s, r.name(), r.codecs(), r.key());
          case ACCEPT -> new Message.Accept(tx, s, r.u64(), r.str8(ProtocolLimits.MAX_CODEC_NAME_BYTES), r.key());
          case CALL_KEY -> new Message.CallKey(tx, s, r.u64(), r.key());
          case REFUSE -> new Message.Refuse(tx, s, r.u64());
          case CANCEL -> new Message.Cancel(tx, s, r.u64());
          case HANGUP -> new Message.Hangup(tx, s, r.u64());
          case WHO -> new Message.Who(tx, s);
          case CALL_QUALITY -> new Message.CallQuality(tx, s, r.u64(), r.u16(), r.u16(), r.u16(), r.u16());
          case PRESENCE -> decodePresence(tx, s, r);
          case INCOMING -> new Message.Incoming(tx, s, r.u64(), r.name(), r.codecs(), r.key());
          case RINGING -> new Message.Ringing(tx, s, r.u64());
          case CALL_STARTED -> {
            long callId = r.u64();
            String peer = r.name();
            String codec = r.str8(ProtocolLimits.MAX_CODEC_NAME_BYTES);
            int port = r.u16();
            int flags = r.u8();
            Octets peerKey = r.key();
            // The media id is an optional trailing field: only a server in single-port mode sends it (§3.14).
            int mediaId = 0;
            if (r.remaining() >= 4) {
              mediaId = (int) r.u32();
              if (mediaId == 0) {
                throw new ProtocolException("media id 0 is reserved (the field is left out instead)");
              }
            }
            yield new Message.CallStarted(tx, s, callId, peer, codec, port, (flags & FLAG_CALLER) != 0, peerKey,
                mediaId);
          }
          case CALL_ENDED -> new Message.CallEnded(tx, s, r.u64(), EndReason.fromWire(r.u8()));
          case PEER_KEY -> new Message.PeerKey(tx, s, r.u64(), r.key());
          case OK -> new Message.Ok(tx, s);
          case ERROR -> new Message.Error(
              tx, s, ErrorCode.fromWire(r.u16()), r.str8(ProtocolLimits.MAX_ERROR_TEXT_BYTES));
          case AUTH_CHALLENGE -> new Message.AuthChallenge(tx, s, r.u64(), r.str16(ProtocolLimits.MAX_SCRAM_BYTES));
          case AUTH_OK -> new Message.AuthOk(
              tx, s, r.str16(ProtocolLimits.MAX_SCRAM_BYTES), r.u16(), r.u16(), r.u16());
          case CALL_PROCEEDING -> new Message.CallProceeding(tx, s, r.u64());
        };
    r.expectEnd();
    return m;
  }

  private static Message.Presence decodePresence(long tx, long s, Reader r) throws ProtocolException {
    long seq = r.u64();
    int flags = r.u8();
    int n = r.u8();
    if (n > ProtocolLimits.MAX_PRESENCE_ENTRIES) {
      throw new ProtocolException("presence with " + n + " entries exceeds " + ProtocolLimits.MAX_PRESENCE_ENTRIES);
    }
    List<PresenceEntry> entries = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      entries.add(new PresenceEntry(r.name(), PresenceState.fromWire(r.u8())));
    }
    return new Message.Presence(tx, s, seq, (flags & FLAG_SNAPSHOT) != 0, (flags & FLAG_LAST) != 0, entries);
  }

  /**
   * A copy of an encoded message with another transaction id and session token (header offsets 4 and 12, §2):
   * how a notification encoded once is sent to many sessions.
   */
  public static byte[] readdressed(byte[] encoded, long txid, long session) {
    if (encoded.length < ProtocolLimits.HEADER_BYTES) {
      throw new IllegalArgumentException("not an encoded message: " + encoded.length + " bytes");
    }
    byte[] out = encoded.clone();
    for (int k = 0; k < 8; k++) {
      out[4 + k] = (byte) (txid >>> (8 * (7 - k)));
      out[12 + k] = (byte) (session >>> (8 * (7 - k)));
    }
    return out;
  }

  /** Encodes a message; throws IllegalArgumentException if a field breaks a protocol limit. */
  public static byte[] encode(Message m) {
    Writer w = new Writer();
    w.u8(MAGIC_0).u8(MAGIC_1).u8(ProtocolLimits.VERSION).u8(m.type().wire()).u64(m.txid()).u64(m.session());
    switch (m.type()) {
      case AUTH_START -> {
        Message.AuthStart a = (Message.AuthStart) m;
        w.str16(a.clientFirst(), ProtocolLimits.MAX_SCRAM_BYTES).u16(a.replySignalPort()).u16(a.replyMediaPort());
      }
      case AUTH_FINISH -> {
        Message.AuthFinish a = (Message.AuthFinish) m;
        w.u64(a.loginId()).str16(a.clientFinal(), ProtocolLimits.MAX_SCRAM_BYTES);
      }
      case LOGOUT, WHO, OK -> {}
      case KEEPALIVE -> w.u64(((Message.Keepalive) m).sentMillis());
      case CALL -> {
        Message.Call c = (Message.Call) m;
        w.str8(c.callee(), ProtocolLimits.MAX_NAME_BYTES).codecs(c.codecs()).key(c.keyCommit());
      }
      case ACCEPT -> {
        Message.Accept a = (Message.Accept) m;
        w.u64(a.callId()).str8(a.codec(), ProtocolLimits.MAX_CODEC_NAME_BYTES).key(a.keyShare());
      }
      case CALL_KEY -> {
        Message.CallKey k = (Message.CallKey) m;
        w.u64(k.callId()).key(k.publicKey());
      }
      case PEER_KEY -> {
        Message.PeerKey k = (Message.PeerKey) m;
        w.u64(k.callId()).key(k.publicKey());
      }
      case REFUSE -> w.u64(((Message.Refuse) m).callId());
      case CANCEL -> w.u64(((Message.Cancel) m).callId());
      case HANGUP -> w.u64(((Message.Hangup) m).callId());
      case PRESENCE -> {
        Message.Presence p = (Message.Presence) m;
        if (p.entries().size() > ProtocolLimits.MAX_PRESENCE_ENTRIES) {
          throw new IllegalArgumentException("too many presence entries: " + p.entries().size());
        }
        w.u64(p.seq()).u8((p.snapshot() ? FLAG_SNAPSHOT : 0) | (p.last() ? FLAG_LAST : 0)).u8(p.entries().size());
        for (PresenceEntry e : p.entries()) {
          w.str8(e.name(), ProtocolLimits.MAX_NAME_BYTES).u8(e.state().wire());
        }
      }
      case INCOMING -> {
        Message.Incoming i = (Message.Incoming) m;
        w.u64(i.callId()).str8(i.caller(), ProtocolLimits.MAX_NAME_BYTES).codecs(i.codecs()).key(i.keyCommit());
      }
      case RINGING -> w.u64(((Message.Ringing) m).callId());
      case CALL_STARTED -> {
        Message.CallStarted c = (Message.CallStarted) m;
        w.u64(c.callId()).str8(c.peer(), ProtocolLimits.MAX_NAME_BYTES)
            .str8(c.codec(), ProtocolLimits.MAX_CODEC_NAME_BYTES).u16(c.mediaPort()).u8(c.caller() ? FLAG_CALLER : 0)
            .key(c.peerKey());
        if (c.mediaId() != 0) {
          w.u32(c.mediaId());
        }
      }
      case CALL_ENDED -> {
        Message.CallEnded c = (Message.CallEnded) m;
        w.u64(c.callId()).u8(c.reason().wire());
      }
      case ERROR -> {
        Message.Error e = (Message.Error) m;
        w.u16(e.code().wire()).str8(truncate(e.text()), ProtocolLimits.MAX_ERROR_TEXT_BYTES);
      }
      case AUTH_CHALLENGE -> {
        Message.AuthChallenge a = (Message.AuthChallenge) m;
        w.u64(a.loginId()).str16(a.serverFirst(), ProtocolLimits.MAX_SCRAM_BYTES);
      }
      case AUTH_OK -> {
        Message.AuthOk a = (Message.AuthOk) m;
        w.str16(a.serverFinal(), ProtocolLimits.MAX_SCRAM_BYTES).u16(a.mediaPort())
            .u16(a.keepaliveSeconds()).u16(a.sessionTimeoutSeconds());
      }
      case CALL_PROCEEDING -> w.u64(((Message.CallProceeding) m).callId());
      case CALL_QUALITY -> {
        Message.CallQuality q = (Message.CallQuality) m;
        w.u64(q.callId()).u16(q.lossPermille()).u16(q.jitterTenthsMs()).u16(q.rttTenthsMs()).u16(q.mosHundredths());
      }
    }
    if (w.len > ProtocolLimits.MAX_DATAGRAM_BYTES) {
      throw new IllegalArgumentException("message of " + w.len + " bytes exceeds the datagram limit");
    }
    return w.toBytes();
  }

  private static String truncate(String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    if (b.length <= ProtocolLimits.MAX_ERROR_TEXT_BYTES) {
      return text;
    }
    // Cut on a character boundary so the result still decodes.
    int end = text.length();
    while (text.substring(0, end).getBytes(StandardCharsets.UTF_8).length > ProtocolLimits.MAX_ERROR_TEXT_BYTES) {
      end--;
    }
    return text.substring(0, end);
  }

  static long getLong(byte[] b, int i) {
    long v = 0;
    for (int k = 0; k < 8; k++) {
      v = (v << 8) | (b[i + k] & 0xFF);
    }
    return v;
  }

  /** Bounds-checked reader over one datagram's body. */
  private static final class Reader {
    private final byte[] buf;
    private int pos;
    private final int end;

    Reader(byte[] buf, int pos, int end) {
      this.buf = buf;
      this.pos = pos;
      this.end = end;
    }

    private void need(int n, String what) throws ProtocolException {
      if (end - pos < n) {
        throw new ProtocolException("truncated " + what + ": need " + n + " bytes, have " + (end - pos));
      }
    }

    int u8() throws ProtocolException {
      need(1, "u8");
      return buf[pos++] & 0xFF;
    }

    int u16() throws ProtocolException {
      need(2, "u16");
      int v = ((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF);
      pos += 2;
      return v;
    }

    int remaining() {
      return end - pos;
    }

    long u32() throws ProtocolException {
      need(4, "u32");
      long v = ((long) (buf[pos] & 0xFF) << 24) | ((buf[pos + 1] & 0xFF) << 16) | ((buf[pos + 2] & 0xFF) << 8)
          | (buf[pos + 3] & 0xFF);
      pos += 4;
      return v;
    }

    long u64() throws ProtocolException {
      need(8, "u64");
      long v = getLong(buf, pos);
      pos += 8;
      return v;
    }

    String str8(int maxBytes) throws ProtocolException {
      return str(u8(), maxBytes);
    }

    String str16(int maxBytes) throws ProtocolException {
      return str(u16(), maxBytes);
    }

    String name() throws ProtocolException {
      String n = str8(ProtocolLimits.MAX_NAME_BYTES);
      if (n.isEmpty()) {
        throw new ProtocolException("empty user name");
      }
      return n;
    }

    List<String> codecs() throws ProtocolException {
      int n = u8();
      if (n > ProtocolLimits.MAX_CODECS) {
        throw new ProtocolException(n + " codecs exceed " + ProtocolLimits.MAX_CODECS);
      }
      List<String> list = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        list.add(str8(ProtocolLimits.MAX_CODEC_NAME_BYTES));
      }
      return list;
    }

    private String str(int n, int maxBytes) throws ProtocolException {
      if (n > maxBytes) {
        throw new ProtocolException("string of " + n + " bytes exceeds " + maxBytes);
      }
      need(n, "string");
      try {
        String s = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(java.nio.ByteBuffer.wrap(buf, pos, n))
            .toString();
        pos += n;
        return s;
      } catch (CharacterCodingException e) {
        throw new ProtocolException("string is not valid UTF-8");
      }
    }

    Octets key() throws ProtocolException {
      int n = u8();
      if (n > ProtocolLimits.MAX_KEY_BYTES) {
        throw new ProtocolException("key of " + n + " bytes exceeds " + ProtocolLimits.MAX_KEY_BYTES);
      }
      need(n, "key");
      byte[] b = java.util.Arrays.copyOfRange(buf, pos, pos + n);
      pos += n;
      return Octets.of(b);
    }

    void expectEnd() throws ProtocolException {
      if (pos != end) {
        throw new ProtocolException((end - pos) + " unexpected trailing bytes");
      }
    }
  }

  /** Growable writer; checks string limits. */
  private static final class Writer {
    private byte[] buf = new byte[128];
    private int len;

    private void ensure(int n) {
      if (len + n > buf.length) {
        buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
      }
    }

    Writer u8(int v) {
      ensure(1);
      buf[len++] = (byte) v;
      return this;
    }

    Writer u16(int v) {
      if (v < 0 || v > 0xFFFF) {
        throw new IllegalArgumentException("u16 out of range: " + v);
      }
      ensure(2);
      buf[len++] = (byte) (v >>> 8);
      buf[len++] = (byte) v;
      return this;
    }

    Writer u32(int v) {
      ensure(4);
      for (int k = 3; k >= 0; k--) {
        buf[len++] = (byte) (v >>> (8 * k));
      }
      return this;
    }

    Writer u64(long v) {
      ensure(8);
      for (int k = 7; k >= 0; k--) {
        buf[len++] = (byte) (v >>> (8 * k));
      }
      return this;
    }

    Writer str8(String s, int maxBytes) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      check(b, Math.min(maxBytes, 0xFF));
      u8(b.length);
      return raw(b);
    }

    Writer str16(String s, int maxBytes) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      check(b, maxBytes);
      u16(b.length);
      return raw(b);
    }

    Writer codecs(List<String> codecs) {
      if (codecs.size() > ProtocolLimits.MAX_CODECS) {
        throw new IllegalArgumentException("too many codecs: " + codecs.size());
      }
      u8(codecs.size());
      for (String c : codecs) {
        str8(c, ProtocolLimits.MAX_CODEC_NAME_BYTES);
      }
      return this;
    }

    Writer key(Octets key) {
      if (key.length() > ProtocolLimits.MAX_KEY_BYTES) {
        throw new IllegalArgumentException("key of " + key.length() + " bytes exceeds " + ProtocolLimits.MAX_KEY_BYTES);
      }
      u8(key.length());
      return raw(key.unsafeBytes());
    }

    private static void check(byte[] b, int maxBytes) {
      if (b.length > maxBytes) {
        throw new IllegalArgumentException("string of " + b.length + " bytes exceeds " + maxBytes);
      }
    }

    private Writer raw(byte[] b) {
      ensure(b.length);
      System.arraycopy(b, 0, buf, len, b.length);
      len += b.length;
      return this;
    }

    byte[] toBytes() {
      return java.util.Arrays.copyOf(buf, len);
    }
  }
}
