package io.causerie.media.crypto;

import java.nio.ByteBuffer;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Helpers shared by the crypto tests. */
final class CryptoTestSupport {
  private CryptoTestSupport() {}

  static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replaceAll("\\s+", ""));
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  /** A reproducible SecureRandom: SHA1PRNG seeded before first use. */
  static SecureRandom seeded(long seed) {
    try {
      SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
      random.setSeed(ByteBuffer.allocate(Long.BYTES).putLong(seed).array());
      return random;
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** Hands out fixed bytes, so a key pair generator produces a known private key. */
  static final class FixedRandom extends SecureRandom {
    private final byte[] bytes;

    FixedRandom(byte[] bytes) {
      this.bytes = bytes.clone();
    }

    @Override
    public void nextBytes(byte[] out) {
      System.arraycopy(bytes, 0, out, 0, out.length);
    }
  }

  /**
   * Contexts from a fresh, reproducible key agreement: [caller send, callee receive, callee send,
   * caller receive].
   */
  static SrtpContext[] contextsFor(long seed) {
    SecureRandom random = seeded(seed);
    CallKeyAgreement caller = CallKeyAgreement.caller(random, seed);
    CallKeyAgreement callee = CallKeyAgreement.callee(random, seed);
    callee.peerCommitment(caller.commitment());
    CallKeys callerKeys;
    CallKeys calleeKeys;
    try {
      callerKeys = caller.complete(callee.publicKey());
      calleeKeys = callee.complete(caller.publicKey());
    } catch (CallCryptoException e) {
      throw new AssertionError(e);
    }
    return new SrtpContext[] {
        new SrtpContext(callerKeys.send()), new SrtpContext(calleeKeys.receive()),
        new SrtpContext(calleeKeys.send()), new SrtpContext(callerKeys.receive())};
  }

  /** An RTP packet: V=2, optional CSRCs and a one-word extension, and a payload. */
  static byte[] rtp(int seq, int ssrc, int csrcCount, boolean extension, int payloadBytes) {
    int header = 12 + 4 * csrcCount + (extension ? 8 : 0);
    ByteBuffer b = ByteBuffer.allocate(header + payloadBytes);
    b.put((byte) (0x80 | (extension ? 0x10 : 0) | csrcCount));
    b.put((byte) 111);
    b.putShort((short) seq);
    b.putInt(seq * 960);
    b.putInt(ssrc);
    for (int i = 0; i < csrcCount; i++) {
      b.putInt(1 + i); // small values keep the packet parseable if the CC field is tampered with
    }
    if (extension) {
      b.putShort((short) 0xBEDE);
      b.putShort((short) 1);
      b.putInt(0x10AA0000);
    }
    for (int i = 0; i < payloadBytes; i++) {
      b.put((byte) (seq + i));
    }
    return b.array();
  }

  /** A receiver report from {@code ssrc} with one report block. */
  static byte[] rtcp(int ssrc, int marker) {
    ByteBuffer b = ByteBuffer.allocate(32);
    b.put((byte) 0x81);
    b.put((byte) 201);
    b.putShort((short) 7);
    b.putInt(ssrc);
    b.putInt(0x0BADCAFE);
    b.putInt(marker);
    b.putInt(0x00001234);
    b.putInt(0);
    b.putInt(0);
    b.putInt(0);
    return b.array();
  }
}
