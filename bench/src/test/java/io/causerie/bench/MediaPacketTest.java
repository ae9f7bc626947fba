package io.causerie.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class MediaPacketTest {

  @Test
  void roundTripsAndLooksLikeRtp() {
    ByteBuffer b = ByteBuffer.allocateDirect(172);
    MediaPacket.init(b, 172);
    MediaPacket.write(b, 4_001, 70_000, 123_456_789_012L, MediaPacket.PHASE_MEASURED);
    assertThat(MediaPacket.valid(b, 172)).isTrue();
    assertThat(MediaPacket.stream(b)).isEqualTo(4_001);
    assertThat(MediaPacket.seq(b)).isEqualTo(70_000);
    assertThat(MediaPacket.sentNanos(b)).isEqualTo(123_456_789_012L);
    assertThat(MediaPacket.phase(b)).isEqualTo(MediaPacket.PHASE_MEASURED);
    assertThat(b.get(0) & 0xC0).isEqualTo(0x80); // RTP version 2
    assertThat(b.getShort(2) & 0xFFFF).isEqualTo(70_000 & 0xFFFF);
    assertThat(b.getInt(8)).isEqualTo(4_001); // SSRC
    assertThat(b.position()).isZero();
    assertThat(b.get(171)).isZero();
  }

  @Test
  void shortOrForeignDatagramsAreInvalid() {
    ByteBuffer b = ByteBuffer.allocate(64);
    MediaPacket.init(b, 64);
    MediaPacket.write(b, 1, 1, 1, MediaPacket.PHASE_WARMUP);
    assertThat(MediaPacket.valid(b, MediaPacket.MIN_BYTES - 1)).isFalse();
    b.put(0, (byte) 0x43);
    assertThat(MediaPacket.valid(b, 64)).isFalse();
  }

  @Test
  void theSsrcIsTheServersMediaIdAndTheStreamTravelsInThePayload() {
    ByteBuffer b = ByteBuffer.allocate(88);
    MediaPacket.init(b, 88);
    MediaPacket.write(b, 0xCAFEF00D, 17, 3, 99L, MediaPacket.PHASE_MEASURED);
    assertThat(b.getInt(8)).isEqualTo(0xCAFEF00D); // what the single-port relay routes by
    assertThat(MediaPacket.ssrc(b)).isEqualTo(0xCAFEF00D);
    assertThat(MediaPacket.stream(b)).isEqualTo(17);
    assertThat(MediaPacket.valid(b, 88)).isTrue();
  }

  @Test
  void nettyBuffersCarryTheSameBytes() {
    ByteBuffer nio = ByteBuffer.allocate(188);
    MediaPacket.init(nio, 188);
    MediaPacket.write(nio, 0x01020304, 4_001, 70_000, 123_456_789_012L, MediaPacket.PHASE_MEASURED);
    ByteBuf netty = Unpooled.buffer(188);
    netty.writerIndex(50); // leftovers of an earlier packet are overwritten
    MediaPacket.write(netty, 188, 0x01020304, 4_001, 70_000, 123_456_789_012L, MediaPacket.PHASE_MEASURED);
    byte[] bytes = new byte[188];
    netty.getBytes(0, bytes);
    assertThat(bytes).isEqualTo(nio.array());
    assertThat(netty.readableBytes()).isEqualTo(188);
    assertThat(MediaPacket.valid(netty)).isTrue();
    assertThat(MediaPacket.stream(netty)).isEqualTo(4_001);
    assertThat(MediaPacket.ssrc(netty)).isEqualTo(0x01020304);
    assertThat(MediaPacket.seq(netty)).isEqualTo(70_000);
    assertThat(MediaPacket.sentNanos(netty)).isEqualTo(123_456_789_012L);
    assertThat(MediaPacket.phase(netty)).isEqualTo(MediaPacket.PHASE_MEASURED);
    netty.writerIndex(MediaPacket.MIN_BYTES - 1);
    assertThat(MediaPacket.valid(netty)).isFalse();
  }

  @Test
  void packetsBackToBackInOneBufferEachReadAsASlice() {
    int size = 188;
    ByteBuf batch = Unpooled.buffer(3 * size);
    batch.setBytes(0, new byte[3 * size]);
    for (int i = 0; i < 3; i++) {
      batch.setByte(i * size + 100, 0x55); // leftovers in the padding are zeroed
      MediaPacket.write(batch, i * size, size, 0x0A000000 + i, 10 + i, 500 + i, 1_000L * i,
          MediaPacket.PHASE_MEASURED);
      assertThat(batch.writerIndex()).isEqualTo((i + 1) * size);
    }
    ByteBuffer nio = ByteBuffer.allocate(size);
    for (int i = 0; i < 3; i++) {
      ByteBuf one = batch.slice(i * size, size);
      assertThat(MediaPacket.valid(one)).isTrue();
      assertThat(MediaPacket.ssrc(one)).isEqualTo(0x0A000000 + i);
      assertThat(MediaPacket.stream(one)).isEqualTo(10 + i);
      assertThat(MediaPacket.seq(one)).isEqualTo(500 + i);
      assertThat(MediaPacket.sentNanos(one)).isEqualTo(1_000L * i);
      MediaPacket.init(nio, size);
      MediaPacket.write(nio, 0x0A000000 + i, 10 + i, 500 + i, 1_000L * i, MediaPacket.PHASE_MEASURED);
      byte[] bytes = new byte[size];
      one.getBytes(0, bytes);
      assertThat(bytes).as("packet %d", i).isEqualTo(nio.array());
    }
  }
}
