package io.causerie.bench;

import static org.assertj.core.api.Assertions.assertThat;

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
}
