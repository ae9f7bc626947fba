package io.causerie.media.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.causerie.media.testing.Signals;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class WavTest {
  @TempDir Path dir;

  /** Builds a WAV image chunk by chunk. */
  static final class Builder {
    private final ByteArrayOutputStream chunks = new ByteArrayOutputStream();
    private Long riffSizeOverride;

    Builder chunk(String id, byte[] data) {
      return chunk(id, data, data.length);
    }

    Builder chunk(String id, byte[] data, long declaredSize) {
      ByteBuffer h = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      h.put(id.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt((int) declaredSize);
      chunks.writeBytes(h.array());
      chunks.writeBytes(data);
      if (data.length % 2 == 1 && declaredSize == data.length) {
        chunks.write(0);
      }
      return this;
    }

    Builder fmt(int tag, int channels, int rate, int bits) {
      ByteBuffer f = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
      f.putShort((short) tag).putShort((short) channels).putInt(rate)
          .putInt(rate * channels * bits / 8).putShort((short) (channels * bits / 8))
          .putShort((short) bits);
      return chunk("fmt ", f.array());
    }

    Builder extensibleFmt(int channels, int rate, int subFormat) {
      ByteBuffer f = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN);
      f.putShort((short) 0xFFFE).putShort((short) channels).putInt(rate).putInt(rate * channels * 2)
          .putShort((short) (channels * 2)).putShort((short) 16).putShort((short) 22)
          .putShort((short) 16).putInt(channels == 1 ? 4 : 3).putShort((short) subFormat);
      return chunk("fmt ", f.array());
    }

    byte[] build() {
      byte[] body = chunks.toByteArray();
      ByteBuffer out = ByteBuffer.allocate(12 + body.length).order(ByteOrder.LITTLE_ENDIAN);
      out.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      out.putInt(riffSizeOverride != null ? riffSizeOverride.intValue() : 4 + body.length);
      out.put("WAVE".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      out.put(body);
      return out.array();
    }
  }

  static byte[] samples(short... s) {
    ByteBuffer b = ByteBuffer.allocate(2 * s.length).order(ByteOrder.LITTLE_ENDIAN);
    for (short v : s) {
      b.putShort(v);
    }
    return b.array();
  }

  private static short[] readAll(WavReader r) throws Exception {
    short[] buf = new short[1 << 16];
    int total = 0;
    int n;
    while ((n = r.read(buf, total, 1000)) > 0) {
      total += n;
    }
    return Arrays.copyOf(buf, total);
  }

  @ParameterizedTest
  @ValueSource(ints = {8000, 16000, 44100, 48000})
  void writeThenReadRoundTrips(int rate) throws Exception {
    Path file = dir.resolve("tone-" + rate + ".wav");
    short[] tone = Signals.sine(440, 20000, rate, rate / 2);
    try (WavWriter w = WavWriter.create(file, rate)) {
      w.write(tone, 0, 100);
      w.write(tone, 100, tone.length - 100);
      assertThat(w.samplesWritten()).isEqualTo(tone.length);
    }
    assertThat(Files.size(file)).isEqualTo(44 + 2L * tone.length);
    try (WavReader r = WavReader.open(file)) {
      assertThat(r.sampleRateHz()).isEqualTo(rate);
      assertThat(r.channels()).isEqualTo(1);
      assertThat(readAll(r)).isEqualTo(tone);
    }
  }

  @Test
  void framesGoThroughTheFrameInterfaces() throws Exception {
    Path file = dir.resolve("frames.wav");
    ToneGenerator gen = new ToneGenerator(1000, 0.5, 48000);
    short[] frame = new short[960];
    try (WavWriter w = WavWriter.create(file, 48000)) {
      for (int i = 0; i < 5; i++) {
        assertThat(gen.readFrame(frame, 0)).isTrue();
        w.writeFrame(frame, 0);
      }
      w.write(frame, 0, 100); // a partial trailing frame
    }
    try (WavReader r = WavReader.open(file)) {
      int frames = 0;
      while (r.readFrame(frame, 0)) {
        frames++;
      }
      assertThat(frames).isEqualTo(6);
      assertThat(Arrays.copyOfRange(frame, 100, 960)).containsOnly((short) 0);
    }
  }

  @Test
  void headerIsFixedUpOnClose() throws Exception {
    Path file = dir.resolve("header.wav");
    try (WavWriter w = WavWriter.create(file, 8000)) {
      w.write(new short[] {1, 2, 3}, 0, 3);
    }
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(b.getInt(4)).isEqualTo(36 + 6);
    assertThat(b.getInt(24)).isEqualTo(8000);
    assertThat(b.getInt(28)).isEqualTo(16000);
    assertThat(b.getInt(40)).isEqualTo(6);
  }

  @Test
  void walksUnknownAndOddSizedChunksAndDownmixesStereo() throws Exception {
    byte[] wav = new Builder()
        .chunk("LIST", new byte[] {1, 2, 3}) // odd size: one pad byte follows
        .fmt(1, 2, 22050, 16)
        .chunk("fact", new byte[4])
        .chunk("data", samples((short) 100, (short) 300, (short) -32768, (short) -32768,
            (short) 32767, (short) -32768))
        .build();
    WavReader r = new WavReader(new ByteArrayInputStream(wav));
    assertThat(r.sampleRateHz()).isEqualTo(22050);
    assertThat(r.channels()).isEqualTo(2);
    assertThat(readAll(r)).containsExactly((short) 200, (short) -32768, (short) -1);
  }

  @Test
  void readsExtensiblePcm() throws Exception {
    byte[] wav = new Builder().extensibleFmt(1, 16000, 1)
        .chunk("data", samples((short) 5, (short) 6)).build();
    assertThat(readAll(new WavReader(new ByteArrayInputStream(wav))))
        .containsExactly((short) 5, (short) 6);
  }

  @Test
  void streamingAndOverlongDataSizesMeanUntilEndOfFile() throws Exception {
    byte[] streaming = new Builder().fmt(1, 1, 8000, 16)
        .chunk("data", samples((short) 1, (short) 2, (short) 3), 0xFFFF_FFFFL).build();
    assertThat(readAll(new WavReader(new ByteArrayInputStream(streaming))))
        .containsExactly((short) 1, (short) 2, (short) 3);
    byte[] truncated = new Builder().fmt(1, 1, 8000, 16)
        .chunk("data", new byte[] {1, 0, 2, 0, 3}, 1000).build(); // ends mid-sample
    assertThat(readAll(new WavReader(new ByteArrayInputStream(truncated))))
        .containsExactly((short) 1, (short) 2);
  }

  @Test
  void dataChunkLimitsTheSamplesRead() throws Exception {
    byte[] wav = new Builder().fmt(1, 1, 8000, 16)
        .chunk("data", samples((short) 7, (short) 8))
        .chunk("LIST", new byte[6])
        .build();
    assertThat(readAll(new WavReader(new ByteArrayInputStream(wav))))
        .containsExactly((short) 7, (short) 8);
  }

  static Stream<Arguments> malformed() {
    Consumer<Builder> nothing = b -> {};
    return Stream.of(
        Arguments.of("empty file", new byte[0]),
        Arguments.of("not RIFF", "RIFX\0\0\0\0WAVE".getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
        Arguments.of("not WAVE", "RIFF\0\0\0\0AVI ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
        Arguments.of("no chunks", new Builder().build()),
        Arguments.of("no data chunk", new Builder().fmt(1, 1, 8000, 16).build()),
        Arguments.of("data before fmt", new Builder().chunk("data", new byte[4])
            .fmt(1, 1, 8000, 16).build()),
        Arguments.of("8-bit", new Builder().fmt(1, 1, 8000, 8).chunk("data", new byte[4]).build()),
        Arguments.of("24-bit", new Builder().fmt(1, 1, 8000, 24).chunk("data", new byte[6]).build()),
        Arguments.of("IEEE float", new Builder().fmt(3, 1, 8000, 32).chunk("data", new byte[4]).build()),
        Arguments.of("A-law", new Builder().fmt(6, 1, 8000, 16).chunk("data", new byte[4]).build()),
        Arguments.of("extensible float", new Builder().extensibleFmt(1, 8000, 3)
            .chunk("data", new byte[4]).build()),
        Arguments.of("three channels", new Builder().fmt(1, 3, 8000, 16)
            .chunk("data", new byte[6]).build()),
        Arguments.of("zero rate", new Builder().fmt(1, 1, 0, 16).chunk("data", new byte[4]).build()),
        Arguments.of("fmt too short", new Builder().chunk("fmt ", new byte[12])
            .chunk("data", new byte[4]).build()),
        Arguments.of("chunk overruns file", new Builder().fmt(1, 1, 8000, 16)
            .chunk("LIST", new byte[2], 5000).build()),
        Arguments.of("truncated fmt", Arrays.copyOf(new Builder().fmt(1, 1, 8000, 16).build(), 26)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void rejectsMalformedOrUnsupportedFiles(String name, byte[] wav) {
    assertThatThrownBy(() -> new WavReader(new ByteArrayInputStream(wav)))
        .isInstanceOf(WavFormatException.class);
  }

  @Test
  void writerRefusesUseAfterClose() throws Exception {
    WavWriter w = WavWriter.create(dir.resolve("closed.wav"), 8000);
    w.close();
    w.close(); // idempotent
    assertThatThrownBy(() -> w.write(new short[1], 0, 1)).isInstanceOf(java.io.IOException.class);
  }
}
