package io.causerie.bench.reliability;

import io.causerie.protocol.Message;
import io.causerie.protocol.MessageCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Kinds of bad datagrams for the malformed-input row: truncated, oversized, wrong version, bad lengths, unknown
 * types, bad crypto (DTLS-looking records with random bytes, truncated DTLS handshakes, SRTP-looking packets with bad
 * authentication tags), out-of-state messages and random bytes. Each kind is aimed at the signalling port or at media
 * ports.
 */
final class Garbage {
  private Garbage() {}

  enum Port { SIGNALLING, MEDIA }

  record Kind(String name, Port port, Function<Random, byte[]> make) {}

  static byte[] random(Random r, int len) {
    byte[] b = new byte[len];
    r.nextBytes(b);
    return b;
  }

  /** A 20-byte signalling header: magic, version, type, txid, session. */
  static ByteBuffer header(int version, int type, long txid, long session, int extra) {
    ByteBuffer b = ByteBuffer.allocate(20 + extra);
    b.put((byte) MessageCodec.MAGIC_0).put((byte) MessageCodec.MAGIC_1).put((byte) version).put((byte) type)
        .putLong(txid).putLong(session);
    return b;
  }

  /** A DTLS 1.2 record header (content type, version 254.253, epoch, 48-bit sequence, length) and body. */
  static byte[] dtls(Random r, int contentType, int epoch, int claimedLength, byte[] body) {
    ByteBuffer b = ByteBuffer.allocate(13 + body.length);
    b.put((byte) contentType).put((byte) 0xFE).put((byte) 0xFD).putShort((short) epoch);
    b.putShort((short) r.nextInt(65536)).putInt(r.nextInt());
    b.putShort((short) claimedLength).put(body);
    return b.array();
  }

  /** An RTP-looking packet: version 2 header, payload, and a 16-byte tag that authenticates nothing. */
  static byte[] srtp(Random r, int version, int payloadType, int payloadBytes) {
    ByteBuffer b = ByteBuffer.allocate(12 + payloadBytes + 16);
    b.put((byte) (version << 6)).put((byte) payloadType).putShort((short) r.nextInt(65536)).putInt(r.nextInt())
        .putInt(r.nextInt());
    b.put(random(r, payloadBytes + 16));
    return b.array();
  }

  static List<Kind> kinds() {
    List<Kind> k = new ArrayList<>();
    Port s = Port.SIGNALLING;
    Port m = Port.MEDIA;
    k.add(new Kind("empty", s, r -> new byte[0]));
    k.add(new Kind("one byte", s, r -> random(r, 1)));
    k.add(new Kind("random bytes", s, r -> random(r, 1 + r.nextInt(1400))));
    k.add(new Kind("oversized random", s, r -> random(r, 9_000 + r.nextInt(50_000))));
    k.add(new Kind("magic only", s, r -> new byte[] {(byte) MessageCodec.MAGIC_0, (byte) MessageCodec.MAGIC_1}));
    k.add(new Kind("truncated header", s, r -> Arrays.copyOf(header(1, 4, r.nextLong(), 0, 0).array(),
        3 + r.nextInt(16))));
    k.add(new Kind("wrong version", s, r -> header(2 + r.nextInt(250), 4, r.nextLong(), r.nextLong(), 8).array()));
    k.add(new Kind("unknown type", s, r -> header(1, 0x50 + r.nextInt(0x2F), r.nextLong(), 0, r.nextInt(64))
        .array()));
    k.add(new Kind("every type, random body", s, r -> {
      ByteBuffer b = header(1, r.nextInt(0x46), r.nextLong(), r.nextBoolean() ? 0 : r.nextLong(), r.nextInt(200));
      b.put(random(r, b.remaining()));
      return b.array();
    }));
    k.add(new Kind("bad length field", s, r -> {
      ByteBuffer b = header(1, 1, r.nextLong(), 0, 6);
      b.putShort((short) (1000 + r.nextInt(60000))).put(random(r, 4));
      return b.array();
    }));
    k.add(new Kind("truncated sign-in", s, r -> {
      byte[] full = MessageCodec.encode(new Message.AuthStart(r.nextLong(), 0, "n,,n=alice,r=abcdefgh", 0, 0));
      return Arrays.copyOf(full, 20 + r.nextInt(full.length - 20));
    }));
    k.add(new Kind("invalid UTF-8", s, r -> {
      byte[] full = MessageCodec.encode(new Message.AuthStart(r.nextLong(), 0, "n,,n=zzzz,r=abcdefgh", 0, 0));
      byte[] name = "zzzz".getBytes(StandardCharsets.US_ASCII);
      for (int i = 0; i + name.length <= full.length; i++) {
        if (Arrays.equals(Arrays.copyOfRange(full, i, i + name.length), name)) {
          full[i] = (byte) 0xC3;
          full[i + 1] = (byte) 0x28;
          break;
        }
      }
      return full;
    }));
    k.add(new Kind("bad SCRAM", s, r -> MessageCodec.encode(new Message.AuthStart(r.nextLong(), 0,
        "y,,n=bench0,r=" + Long.toHexString(r.nextLong()), 0, 0))));
    k.add(new Kind("sign-in of unknown user", s, r -> MessageCodec.encode(new Message.AuthStart(r.nextLong(), 0,
        "n,,n=nobody" + r.nextInt(1000) + ",r=" + Long.toHexString(r.nextLong()), 0, 0))));
    k.add(new Kind("out-of-state finish", s, r -> MessageCodec.encode(new Message.AuthFinish(r.nextLong(), 0,
        r.nextLong(), "c=biws,r=x,p=eA=="))));
    k.add(new Kind("no-session keepalive", s, r -> MessageCodec.encode(new Message.Keepalive(r.nextLong(),
        r.nextLong(), System.currentTimeMillis()))));
    k.add(new Kind("out-of-state hang-up", s, r -> MessageCodec.encode(new Message.Hangup(r.nextLong(), r.nextLong(),
        r.nextLong()))));
    k.add(new Kind("unsolicited answer", s, r -> MessageCodec.encode(new Message.Ok(r.nextLong(), r.nextLong()))));
    k.add(new Kind("DTLS application data, random", s, r -> {
      byte[] body = random(r, 16 + r.nextInt(300));
      return dtls(r, 23, 1, body.length, body);
    }));
    k.add(new Kind("DTLS handshake, truncated", s, r -> {
      byte[] body = random(r, 1 + r.nextInt(40));
      body[0] = 1; // ClientHello
      return dtls(r, 22, 0, 100 + r.nextInt(400), body);
    }));
    k.add(new Kind("DTLS alert/ccs garbage", s, r -> {
      byte[] body = random(r, 1 + r.nextInt(8));
      return dtls(r, r.nextBoolean() ? 21 : 20, r.nextInt(3), body.length, body);
    }));
    k.add(new Kind("STUN-looking", s, r -> {
      ByteBuffer b = ByteBuffer.allocate(20);
      b.putShort((short) 1).putShort((short) 0).putInt(0x2112A442).put(random(r, 12));
      return b.array();
    }));
    k.add(new Kind("media: SRTP, bad tag", m, r -> srtp(r, 2, 111, 20 + r.nextInt(120))));
    k.add(new Kind("media: RTP wrong version", m, r -> srtp(r, r.nextInt(2), r.nextInt(128), r.nextInt(100))));
    k.add(new Kind("media: SRTCP-looking, bad tag", m, r -> srtp(r, 2, 200 + r.nextInt(5), 8 + r.nextInt(60))));
    k.add(new Kind("media: tiny", m, r -> random(r, r.nextInt(12))));
    k.add(new Kind("media: oversized", m, r -> random(r, 2_000 + r.nextInt(30_000))));
    k.add(new Kind("media: DTLS-looking", m, r -> {
      byte[] body = random(r, 16 + r.nextInt(100));
      return dtls(r, 23, 1, body.length, body);
    }));
    return k;
  }
}
