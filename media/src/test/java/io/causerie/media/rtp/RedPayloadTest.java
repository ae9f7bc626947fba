package io.causerie.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedPayloadTest {
  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  private static byte[] slice(byte[] buf, RedPayload red, int i) {
    return Arrays.copyOfRange(buf, red.offset(i), red.offset(i) + red.length(i));
  }

  @Test
  void writesTheRfc2198Layout() {
    byte[] out = new byte[64];
    int n = RedPayload.write(out, 0, 1, new int[] {111}, new int[] {1920}, new byte[][] {{1, 2, 3}},
        new int[] {3}, 111, new byte[] {9, 8}, 0, 2);
    // F=1|PT=111, offset 1920 (14 bits) and length 3 (10 bits): 1920 << 10 | 3 = 0x1E0003; F=0|PT=111.
    assertThat(HexFormat.of().formatHex(out, 0, n)).isEqualTo("ef1e0003" + "6f" + "010203" + "0908");
    assertThat(n).isEqualTo(RedPayload.encodedLength(1, 3, 2));
  }

  @Test
  void readsTwoRedundantBlocksAndThePrimary() {
    byte[] buf = hex("ef 1e 00 02  ef 0f 00 01  6f  aa bb  cc  dd ee ff");
    RedPayload red = new RedPayload();
    assertThat(red.read(buf, 0, buf.length)).isTrue();
    assertThat(red.blockCount()).isEqualTo(3);
    assertThat(red.primaryIndex()).isEqualTo(2);
    assertThat(red.timestampOffset(0)).isEqualTo(1920);
    assertThat(red.timestampOffset(1)).isEqualTo(960);
    assertThat(red.timestampOffset(2)).isZero();
    assertThat(slice(buf, red, 0)).containsExactly(0xaa, 0xbb);
    assertThat(slice(buf, red, 1)).containsExactly(0xcc);
    assertThat(slice(buf, red, 2)).containsExactly(0xdd, 0xee, 0xff);
    for (int i = 0; i < 3; i++) {
      assertThat(red.payloadType(i)).isEqualTo(111);
    }
  }

  @Test
  void aPrimaryAloneIsOneByteOfHeader() {
    byte[] buf = hex("6f 01 02");
    RedPayload red = new RedPayload();
    assertThat(red.read(buf, 0, 3)).isTrue();
    assertThat(red.blockCount()).isEqualTo(1);
    assertThat(red.length(0)).isEqualTo(2);
    assertThat(red.offset(0)).isEqualTo(1);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {
    "", // nothing
    "ef", // redundant header cut short
    "ef 1e 00", // still short
    "ef 1e 00 02", // no primary header
    "ef 1e 00 05 6f aa bb", // block length past the end
    "ef 1e 03 ff 6f", // 1023-byte block in a 5-byte payload
    "ef 00 00 01 ef 00 00 01 ef 00 00 01 ef 00 00 01 ef 00 00 01 ef 00 00 01 ef 00 00 01 ef 00 00 01 6f", // > 8
  })
  void malformedPayloadsAreASilentDrop(String bytes) {
    byte[] buf = hex(bytes);
    RedPayload red = new RedPayload();
    assertThat(red.read(hex("6f 01"), 0, 2)).isTrue();
    assertThat(red.read(buf, 0, buf.length)).isFalse();
    assertThat(red.blockCount()).isZero();
  }

  @Test
  void badBoundsAreRejectedNotThrown() {
    RedPayload red = new RedPayload();
    assertThat(red.read(new byte[4], 2, 3)).isFalse();
    assertThat(red.read(new byte[4], -1, 2)).isFalse();
    assertThat(red.read(null, 0, 0)).isFalse();
    assertThatThrownBy(() -> red.length(0)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void theWriterRefusesWhatTheFormatCannotCarry() {
    byte[] out = new byte[4096];
    byte[][] big = {new byte[RedPayload.MAX_BLOCK_BYTES + 1]};
    assertThatThrownBy(() -> RedPayload.write(out, 0, 1, new int[] {111}, new int[] {960}, big,
        new int[] {big[0].length}, 111, new byte[1], 0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RedPayload.write(out, 0, 1, new int[] {111}, new int[] {1 << 14},
        new byte[][] {{1}}, new int[] {1}, 111, new byte[1], 0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RedPayload.write(out, 0, 0, new int[0], new int[0], new byte[0][], new int[0],
        128, new byte[1], 0, 1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Property
  void roundTrips(@ForAll @Size(max = 3) java.util.List<@Size(max = 200) byte[]> redundant,
      @ForAll @Size(max = 300) byte[] primary, @ForAll @IntRange(min = 0, max = 127) int pt,
      @ForAll @IntRange(min = 0, max = 7) int at) {
    int count = redundant.size();
    int[] pts = new int[count];
    int[] offsets = new int[count];
    int[] lengths = new int[count];
    byte[][] data = redundant.toArray(new byte[0][]);
    for (int i = 0; i < count; i++) {
      pts[i] = (pt + i) & 0x7F;
      offsets[i] = (count - i) * 960;
      lengths[i] = data[i].length;
    }
    byte[] out = new byte[at + 2000];
    int n = RedPayload.write(out, at, count, pts, offsets, data, lengths, pt, primary, 0, primary.length);
    RedPayload red = new RedPayload();
    assertThat(red.read(out, at, n)).isTrue();
    assertThat(red.blockCount()).isEqualTo(count + 1);
    for (int i = 0; i < count; i++) {
      assertThat(red.payloadType(i)).isEqualTo(pts[i]);
      assertThat(red.timestampOffset(i)).isEqualTo(offsets[i]);
      assertThat(slice(out, red, i)).isEqualTo(data[i]);
    }
    assertThat(red.payloadType(count)).isEqualTo(pt);
    assertThat(slice(out, red, count)).isEqualTo(primary);
  }

  @Property
  void arbitraryBytesNeverThrow(@ForAll @Size(max = 64) byte[] junk) {
    RedPayload red = new RedPayload();
    if (red.read(junk, 0, junk.length)) {
      int end = 0;
      for (int i = 0; i < red.blockCount(); i++) {
        assertThat(red.offset(i)).isGreaterThanOrEqualTo(end);
        end = red.offset(i) + red.length(i);
      }
      assertThat(end).isEqualTo(junk.length);
    } else {
      assertThat(red.blockCount()).isZero();
    }
  }
}
