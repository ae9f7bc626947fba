package io.causerie.media.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * SRTP and SRTCP with AEAD_AES_128_GCM (RFC 7714) for one direction of a call: the sender uses
 * {@link #protectRtp}/{@link #protectRtcp}, the receiver {@link #unprotectRtp}/{@link
 * #unprotectRtcp}, each with its own context built from that direction's {@link SrtpKeys}.
 *
 * <p>Session keys and salts come from the master key and salt through the RFC 3711 §4.3 KDF
 * (labels 0x00/0x02 for SRTP, 0x03/0x05 for SRTCP). Per packet:
 *
 * <ul>
 *   <li>SRTP (RFC 7714 §8–9): IV = (00 00 ‖ SSRC ‖ ROC ‖ SEQ) XOR salt; AAD = the RTP header with
 *       CSRCs and extension; output = header ‖ ciphertext ‖ 16-byte tag.
 *   <li>SRTCP (RFC 7714 §10–11): IV = (00 00 ‖ SSRC ‖ 00 00 ‖ 0 ‖ 31-bit SRTCP index) XOR salt;
 *       AAD = the first 8 header bytes ‖ (E flag ‖ SRTCP index); output = header ‖ ciphertext ‖
 *       tag ‖ (E flag ‖ SRTCP index). Always encrypted (E = 1); packets with E = 0 are refused.
 * </ul>
 *
 * <p>One context keeps state for up to {@value #MAX_STREAMS} SSRCs: the highest index and a
 * {@link ReplayWindow} for SRTP (the rollover counter follows from it, RFC 3711 Appendix A) and for
 * SRTCP, and the next SRTCP index to send. A receiver assumes a new SSRC starts with ROC 0, so a
 * sender should pick its initial RTP sequence number below 2^15 (then losing the first packets of
 * a stream cannot hide a wrap from the receiver).
 *
 * <p>Network input never throws: {@code unprotect*} return the plaintext length or a negative
 * {@link Reason#code() code} and count the drop. Caller bugs (bad offsets, a malformed packet to
 * protect, reusing a sequence number, which would repeat a GCM nonce) throw. Not thread-safe: use
 * a context from one thread.
 */
public final class SrtpContext {
  /** Bytes SRTP adds to an RTP packet: the GCM tag. */
  public static final int SRTP_OVERHEAD = 16;

  /** Bytes SRTCP adds to an RTCP packet: the GCM tag and the E flag/SRTCP index word. */
  public static final int SRTCP_OVERHEAD = 20;

  /** Length of the GCM authentication tag. */
  public static final int TAG_BYTES = 16;

  /** Length of the SRTCP trailer (E flag ‖ 31-bit SRTCP index). */
  public static final int SRTCP_TRAILER_BYTES = 4;

  /** Most SSRCs one context tracks; further ones are refused. */
  public static final int MAX_STREAMS = 32;

  /** Highest SRTCP index; a sender must rekey before exhausting it. */
  public static final long MAX_SRTCP_INDEX = 0x7FFF_FFFFL;

  /** Highest 48-bit SRTP packet index (ROC ‖ SEQ). */
  public static final long MAX_SRTP_INDEX = 0xFFFF_FFFF_FFFFL;

  /** Drop code: too short, bad version, inconsistent lengths, or larger than the output. */
  public static final int MALFORMED = -1;

  /** Drop code: the GCM tag did not verify (tampered, forged, or wrong keys). */
  public static final int AUTH_FAILED = -2;

  /** Drop code: this index was already accepted. */
  public static final int REPLAYED = -3;

  /** Drop code: the index lies left of the replay window. */
  public static final int TOO_OLD = -4;

  /** Drop code: a new SSRC while {@value #MAX_STREAMS} are already tracked. */
  public static final int STREAM_LIMIT = -5;

  static final int RTP_HEADER_BYTES = 12;
  static final int RTCP_HEADER_BYTES = 8;
  static final int SESSION_KEY_BYTES = 16;
  static final int SESSION_SALT_BYTES = 12;
  private static final int IV_BYTES = 12;
  private static final int IV_SSRC_OFFSET = 2;
  private static final int IV_SRTCP_INDEX_OFFSET = 8;
  private static final int SRTP_INDEX_BYTES = 6;
  private static final int RTP_SEQ_OFFSET = 2;
  private static final int RTP_SSRC_OFFSET = 8;
  private static final int RTCP_SSRC_OFFSET = 4;
  private static final int TAG_BITS = TAG_BYTES * Byte.SIZE;
  private static final int RTP_VERSION = 2;
  private static final int SEQ_BITS = 16;
  private static final int SEQ_MASK = 0xFFFF;
  private static final int HALF_SEQ_SPACE = 1 << (SEQ_BITS - 1);
  private static final int E_FLAG = 0x8000_0000;
  private static final int EXTENSION_PREAMBLE_BYTES = 4;
  private static final String TRANSFORM = "AES/GCM/NoPadding";

  /** Why an incoming packet was dropped. */
  public enum Reason {
    /** See {@link SrtpContext#MALFORMED}. */
    MALFORMED(SrtpContext.MALFORMED),
    /** See {@link SrtpContext#AUTH_FAILED}. */
    AUTH_FAILED(SrtpContext.AUTH_FAILED),
    /** See {@link SrtpContext#REPLAYED}. */
    REPLAYED(SrtpContext.REPLAYED),
    /** See {@link SrtpContext#TOO_OLD}. */
    TOO_OLD(SrtpContext.TOO_OLD),
    /** See {@link SrtpContext#STREAM_LIMIT}. */
    STREAM_LIMIT(SrtpContext.STREAM_LIMIT);

    private final int code;

    Reason(int code) {
      this.code = code;
    }

    /** The negative value {@code unprotect*} return for this reason. */
    public int code() {
      return code;
    }

    /**
     * The reason for a negative return value of {@code unprotect*}.
     *
     * @throws IllegalArgumentException if {@code code} is not a drop code
     */
    public static Reason of(int code) {
      for (Reason r : values()) {
        if (r.code == code) {
          return r;
        }
      }
      throw new IllegalArgumentException("not a drop code: " + code);
    }
  }

  /** Per-SSRC state. */
  private static final class Stream {
    final ReplayWindow rtp = new ReplayWindow();
    final ReplayWindow rtcp = new ReplayWindow();
    long nextSrtcpIndex;
  }

  private final SecretKeySpec rtpKey;
  private final SecretKeySpec rtcpKey;
  private final byte[] rtpSalt;
  private final byte[] rtcpSalt;
  private final Cipher rtpSend;
  private final Cipher rtpReceive;
  private final Cipher rtcpSend;
  private final Cipher rtcpReceive;
  private final byte[] iv = new byte[IV_BYTES];
  private final Map<Integer, Stream> sendStreams = new HashMap<>();
  private final Map<Integer, Stream> receiveStreams = new HashMap<>();
  private final long[] dropped = new long[Reason.values().length];
  private long accepted;

  /** A context for the direction {@code keys} protects, deriving its session keys (RFC 3711). */
  public SrtpContext(SrtpKeys keys) {
    this(sessionKeys(keys));
  }

  private SrtpContext(byte[][] session) {
    try {
      rtpKey = new SecretKeySpec(session[0], "AES");
      rtpSalt = session[1].clone();
      rtcpKey = new SecretKeySpec(session[2], "AES");
      rtcpSalt = session[3].clone();
    } finally {
      for (byte[] b : session) {
        Arrays.fill(b, (byte) 0);
      }
    }
    rtpSend = newCipher();
    rtpReceive = newCipher();
    rtcpSend = newCipher();
    rtcpReceive = newCipher();
  }

  /**
   * A context over session keys given directly, skipping the KDF (the RFC 7714 §16–17 vectors are
   * stated that way).
   */
  static SrtpContext fromSessionKeys(byte[] rtpKey, byte[] rtpSalt, byte[] rtcpKey,
      byte[] rtcpSalt) {
    checkLength(rtpKey, SESSION_KEY_BYTES, "SRTP key");
    checkLength(rtpSalt, SESSION_SALT_BYTES, "SRTP salt");
    checkLength(rtcpKey, SESSION_KEY_BYTES, "SRTCP key");
    checkLength(rtcpSalt, SESSION_SALT_BYTES, "SRTCP salt");
    return new SrtpContext(new byte[][] {
        rtpKey.clone(), rtpSalt.clone(), rtcpKey.clone(), rtcpSalt.clone()});
  }

  private static byte[][] sessionKeys(SrtpKeys keys) {
    byte[] key = keys.masterKey();
    byte[] salt = keys.masterSalt();
    try {
      return new byte[][] {
          SrtpKeyDerivation.derive(key, salt, SrtpKeyDerivation.LABEL_RTP_ENCRYPTION,
              SESSION_KEY_BYTES),
          SrtpKeyDerivation.derive(key, salt, SrtpKeyDerivation.LABEL_RTP_SALT,
              SESSION_SALT_BYTES),
          SrtpKeyDerivation.derive(key, salt, SrtpKeyDerivation.LABEL_RTCP_ENCRYPTION,
              SESSION_KEY_BYTES),
          SrtpKeyDerivation.derive(key, salt, SrtpKeyDerivation.LABEL_RTCP_SALT,
              SESSION_SALT_BYTES)};
    } finally {
      Arrays.fill(key, (byte) 0);
      Arrays.fill(salt, (byte) 0);
    }
  }

  /**
   * Encrypts and authenticates the RTP packet in {@code packet[off, off+len)}; returns a new array
   * of {@code len + }{@value #SRTP_OVERHEAD} bytes. The rollover counter is tracked per SSRC from
   * the sequence numbers (ROC 0 for a stream's first packet).
   *
   * @throws IllegalArgumentException if the bytes are not a well-formed RTP packet
   * @throws IllegalStateException if this SSRC and sequence number were already protected (or lie
   *     left of the replay window), which would reuse a GCM nonce, if the 48-bit index is
   *     exhausted, or if more than {@value #MAX_STREAMS} SSRCs are sent
   */
  public byte[] protectRtp(byte[] packet, int off, int len) {
    Objects.checkFromIndexSize(off, len, packet.length);
    int header = rtpHeaderLength(packet, off, len);
    if (header < 0) {
      throw new IllegalArgumentException("not a well-formed RTP packet (" + len + " bytes)");
    }
    int ssrc = readInt(packet, off + RTP_SSRC_OFFSET);
    int seq = readU16(packet, off + RTP_SEQ_OFFSET);
    Stream stream = sendStream(ssrc);
    long index = estimateIndex(stream.rtp.highest(), seq);
    if (index > MAX_SRTP_INDEX) {
      throw new IllegalStateException("SRTP index exhausted for SSRC " + hex(ssrc) + "; rekey");
    }
    if (!stream.rtp.check(index)) {
      throw new IllegalStateException("sequence number " + seq + " of SSRC " + hex(ssrc)
          + " was already protected or is too old; protecting it again would repeat a GCM nonce");
    }
    byte[] out = new byte[len + SRTP_OVERHEAD];
    System.arraycopy(packet, off, out, 0, header);
    try {
      rtpSend.init(Cipher.ENCRYPT_MODE, rtpKey, rtpIv(ssrc, index));
      rtpSend.updateAAD(packet, off, header);
      rtpSend.doFinal(packet, off + header, len - header, out, header);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM failed", e);
    }
    stream.rtp.update(index);
    return out;
  }

  /**
   * Verifies and decrypts the SRTP packet in {@code in[off, off+len)} into {@code out} from offset
   * 0 (header then payload). {@code out} may be {@code in} itself when {@code off == 0}; otherwise
   * it must not overlap the input. Needs {@code len - }{@value #SRTP_OVERHEAD} bytes of output.
   *
   * @return the RTP packet length written to {@code out}, or a negative {@link Reason} code; on a
   *     drop the contents of {@code out} are unspecified
   */
  public int unprotectRtp(byte[] in, int off, int len, byte[] out) {
    Objects.checkFromIndexSize(off, len, in.length);
    checkOutput(in, off, out);
    if (len < RTP_HEADER_BYTES + TAG_BYTES) {
      return drop(Reason.MALFORMED);
    }
    int header = rtpHeaderLength(in, off, len - TAG_BYTES);
    if (header < 0 || len - TAG_BYTES > out.length) {
      return drop(Reason.MALFORMED);
    }
    int ssrc = readInt(in, off + RTP_SSRC_OFFSET);
    int seq = readU16(in, off + RTP_SEQ_OFFSET);
    Stream stream = receiveStreams.get(ssrc);
    if (stream == null && receiveStreams.size() >= MAX_STREAMS) {
      return drop(Reason.STREAM_LIMIT);
    }
    long index = estimateIndex(stream == null ? ReplayWindow.NONE : stream.rtp.highest(), seq);
    if (index > MAX_SRTP_INDEX) {
      return drop(Reason.MALFORMED);
    }
    if (stream != null && !stream.rtp.check(index)) {
      return drop(stream.rtp.isTooOld(index) ? Reason.TOO_OLD : Reason.REPLAYED);
    }
    if (index < 0) {
      return drop(Reason.TOO_OLD);
    }
    int plain;
    try {
      rtpReceive.init(Cipher.DECRYPT_MODE, rtpKey, rtpIv(ssrc, index));
      rtpReceive.updateAAD(in, off, header);
      plain = rtpReceive.doFinal(in, off + header, len - header, out, header);
    } catch (AEADBadTagException e) {
      return drop(Reason.AUTH_FAILED);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM failed", e);
    }
    System.arraycopy(in, off, out, 0, header);
    if (stream == null) {
      stream = new Stream();
      receiveStreams.put(ssrc, stream);
    }
    stream.rtp.update(index);
    accepted++;
    return header + plain;
  }

  /**
   * Encrypts and authenticates the RTCP compound packet in {@code packet[off, off+len)} with the
   * next SRTCP index of its sender SSRC (starting at 0); returns a new array of {@code len + }
   * {@value #SRTCP_OVERHEAD} bytes.
   *
   * @throws IllegalArgumentException if the bytes are not an RTCP packet
   * @throws IllegalStateException if the SRTCP index is exhausted (rekey before 2^31 packets) or if
   *     more than {@value #MAX_STREAMS} SSRCs are sent
   */
  public byte[] protectRtcp(byte[] packet, int off, int len) {
    Objects.checkFromIndexSize(off, len, packet.length);
    if (len < RTCP_HEADER_BYTES || version(packet, off) != RTP_VERSION) {
      throw new IllegalArgumentException("not an RTCP packet (" + len + " bytes)");
    }
    int ssrc = readInt(packet, off + RTCP_SSRC_OFFSET);
    Stream stream = sendStream(ssrc);
    long index = stream.nextSrtcpIndex;
    if (index > MAX_SRTCP_INDEX) {
      throw new IllegalStateException("SRTCP index exhausted for SSRC " + hex(ssrc) + "; rekey");
    }
    byte[] out = new byte[len + SRTCP_OVERHEAD];
    System.arraycopy(packet, off, out, 0, RTCP_HEADER_BYTES);
    int trailerAt = len + TAG_BYTES;
    writeInt(out, trailerAt, E_FLAG | (int) index);
    try {
      rtcpSend.init(Cipher.ENCRYPT_MODE, rtcpKey, rtcpIv(ssrc, index));
      rtcpSend.updateAAD(packet, off, RTCP_HEADER_BYTES);
      rtcpSend.updateAAD(out, trailerAt, SRTCP_TRAILER_BYTES);
      rtcpSend.doFinal(packet, off + RTCP_HEADER_BYTES, len - RTCP_HEADER_BYTES, out,
          RTCP_HEADER_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM failed", e);
    }
    stream.nextSrtcpIndex = index + 1;
    return out;
  }

  /**
   * Verifies and decrypts the SRTCP packet in {@code in[off, off+len)} into {@code out} from offset
   * 0. {@code out} may be {@code in} itself when {@code off == 0}; otherwise it must not overlap
   * the input. Needs {@code len - }{@value #SRTCP_OVERHEAD} bytes of output.
   *
   * @return the RTCP packet length written to {@code out}, or a negative {@link Reason} code; on a
   *     drop the contents of {@code out} are unspecified
   */
  public int unprotectRtcp(byte[] in, int off, int len, byte[] out) {
    Objects.checkFromIndexSize(off, len, in.length);
    checkOutput(in, off, out);
    if (len < RTCP_HEADER_BYTES + SRTCP_OVERHEAD || version(in, off) != RTP_VERSION
        || len - SRTCP_OVERHEAD > out.length) {
      return drop(Reason.MALFORMED);
    }
    int trailerAt = off + len - SRTCP_TRAILER_BYTES;
    int trailer = readInt(in, trailerAt);
    if ((trailer & E_FLAG) == 0) {
      return drop(Reason.MALFORMED);
    }
    long index = trailer & MAX_SRTCP_INDEX;
    int ssrc = readInt(in, off + RTCP_SSRC_OFFSET);
    Stream stream = receiveStreams.get(ssrc);
    if (stream == null && receiveStreams.size() >= MAX_STREAMS) {
      return drop(Reason.STREAM_LIMIT);
    }
    if (stream != null && !stream.rtcp.check(index)) {
      return drop(stream.rtcp.isTooOld(index) ? Reason.TOO_OLD : Reason.REPLAYED);
    }
    int plain;
    try {
      rtcpReceive.init(Cipher.DECRYPT_MODE, rtcpKey, rtcpIv(ssrc, index));
      rtcpReceive.updateAAD(in, off, RTCP_HEADER_BYTES);
      rtcpReceive.updateAAD(in, trailerAt, SRTCP_TRAILER_BYTES);
      plain = rtcpReceive.doFinal(in, off + RTCP_HEADER_BYTES,
          len - RTCP_HEADER_BYTES - SRTCP_TRAILER_BYTES, out, RTCP_HEADER_BYTES);
    } catch (AEADBadTagException e) {
      return drop(Reason.AUTH_FAILED);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM failed", e);
    }
    System.arraycopy(in, off, out, 0, RTCP_HEADER_BYTES);
    if (stream == null) {
      stream = new Stream();
      receiveStreams.put(ssrc, stream);
    }
    stream.rtcp.update(index);
    accepted++;
    return RTCP_HEADER_BYTES + plain;
  }

  /** How many incoming packets (SRTP and SRTCP together) were dropped for {@code reason}. */
  public long dropped(Reason reason) {
    return dropped[reason.ordinal()];
  }

  /** How many incoming packets (SRTP and SRTCP together) were authenticated and delivered. */
  public long accepted() {
    return accepted;
  }

  /** Never prints keys. */
  @Override
  public String toString() {
    return "SrtpContext[AEAD_AES_128_GCM, sendStreams=" + sendStreams.size() + ", receiveStreams="
        + receiveStreams.size() + ", accepted=" + accepted + "]";
  }

  /** Sets the next SRTCP index sent for {@code ssrc}; for the RFC 7714 vector test. */
  void nextSrtcpIndex(int ssrc, long index) {
    sendStream(ssrc).nextSrtcpIndex = index;
  }

  /** The SRTP IV for {@code ssrc} and 48-bit {@code index}; package-private for tests. */
  GCMParameterSpec rtpIv(int ssrc, long index) {
    Arrays.fill(iv, (byte) 0);
    writeInt(iv, IV_SSRC_OFFSET, ssrc);
    for (int i = 0; i < SRTP_INDEX_BYTES; i++) {
      iv[IV_BYTES - 1 - i] = (byte) (index >>> (Byte.SIZE * i));
    }
    return xorSalt(rtpSalt);
  }

  /** The SRTCP IV for {@code ssrc} and 31-bit {@code index}; package-private for tests. */
  GCMParameterSpec rtcpIv(int ssrc, long index) {
    Arrays.fill(iv, (byte) 0);
    writeInt(iv, IV_SSRC_OFFSET, ssrc);
    writeInt(iv, IV_SRTCP_INDEX_OFFSET, (int) index);
    return xorSalt(rtcpSalt);
  }

  private GCMParameterSpec xorSalt(byte[] salt) {
    for (int i = 0; i < IV_BYTES; i++) {
      iv[i] ^= salt[i];
    }
    GCMParameterSpec spec = new GCMParameterSpec(TAG_BITS, iv); // copies iv
    Arrays.fill(iv, (byte) 0);
    return spec;
  }

  /**
   * The packet index for sequence number {@code seq} given the highest index accepted so far
   * ({@link ReplayWindow#NONE} for a new stream), per RFC 3711 Appendix A: the ROC guess is the
   * current ROC, one less, or one more, whichever puts {@code seq} closest to the highest sequence
   * number. Negative if the guess is ROC −1 while the ROC is 0.
   */
  static long estimateIndex(long highest, int seq) {
    if (highest < 0) {
      return seq;
    }
    long roc = highest >>> SEQ_BITS;
    int last = (int) (highest & SEQ_MASK);
    long guess;
    if (last < HALF_SEQ_SPACE) {
      guess = seq - last > HALF_SEQ_SPACE ? roc - 1 : roc;
    } else {
      guess = last - HALF_SEQ_SPACE > seq ? roc + 1 : roc;
    }
    return (guess << SEQ_BITS) | seq;
  }

  /**
   * Length of the RTP header (fixed part, CSRCs, extension) of the packet in {@code buf[off,
   * off+len)}, or -1 if it is not version 2 or the header does not fit in {@code len}.
   */
  static int rtpHeaderLength(byte[] buf, int off, int len) {
    if (len < RTP_HEADER_BYTES || version(buf, off) != RTP_VERSION) {
      return -1;
    }
    int b0 = buf[off] & 0xFF;
    int header = RTP_HEADER_BYTES + 4 * (b0 & 0x0F);
    if ((b0 & 0x10) != 0) {
      if (header + EXTENSION_PREAMBLE_BYTES > len) {
        return -1;
      }
      header += EXTENSION_PREAMBLE_BYTES + 4 * readU16(buf, off + header + 2);
    }
    return header <= len ? header : -1;
  }

  private Stream sendStream(int ssrc) {
    Stream stream = sendStreams.get(ssrc);
    if (stream == null) {
      if (sendStreams.size() >= MAX_STREAMS) {
        throw new IllegalStateException("more than " + MAX_STREAMS + " SSRCs in one SRTP context");
      }
      stream = new Stream();
      sendStreams.put(ssrc, stream);
    }
    return stream;
  }

  private int drop(Reason reason) {
    dropped[reason.ordinal()]++;
    return reason.code();
  }

  private static void checkOutput(byte[] in, int off, byte[] out) {
    Objects.requireNonNull(out, "out");
    if (out == in && off != 0) {
      throw new IllegalArgumentException("in-place unprotect needs the packet at offset 0");
    }
  }

  private static Cipher newCipher() {
    try {
      return Cipher.getInstance(TRANSFORM);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks " + TRANSFORM, e);
    }
  }

  private static void checkLength(byte[] b, int expected, String what) {
    if (b.length != expected) {
      throw new IllegalArgumentException(what + " must be " + expected + " bytes, not " + b.length);
    }
  }

  private static int version(byte[] buf, int off) {
    return (buf[off] & 0xFF) >>> 6;
  }

  private static int readU16(byte[] buf, int pos) {
    return ((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF);
  }

  private static int readInt(byte[] buf, int pos) {
    return ((buf[pos] & 0xFF) << 24) | ((buf[pos + 1] & 0xFF) << 16)
        | ((buf[pos + 2] & 0xFF) << 8) | (buf[pos + 3] & 0xFF);
  }

  private static void writeInt(byte[] buf, int pos, int value) {
    buf[pos] = (byte) (value >>> 24);
    buf[pos + 1] = (byte) (value >>> 16);
    buf[pos + 2] = (byte) (value >>> 8);
    buf[pos + 3] = (byte) value;
  }

  private static String hex(int ssrc) {
    return "0x" + Integer.toHexString(ssrc);
  }
}
