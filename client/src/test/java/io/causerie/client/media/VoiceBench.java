package io.causerie.client.media;

import io.causerie.media.audio.WavReader;
import io.causerie.transport.impair.ImpairmentSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Voice benchmarks, outside the test gate (docs/BENCHMARKS.md, "Voice quality and latency"); run
 * with the client's test class path:
 *
 * <pre>
 * compare REF.wav DEGRADED.wav      objective comparison (AudioComparison), one JSON line
 * latency IMPAIRMENT SECONDS        software mouth-to-ear latency of an in-process Opus call
 *                                   through a real server on loopback, one JSON line
 * </pre>
 */
public final class VoiceBench {
  private VoiceBench() {}

  public static void main(String[] args) throws Exception {
    switch (args.length == 0 ? "" : args[0]) {
      case "compare" -> compare(Path.of(args[1]), Path.of(args[2]));
      case "latency" -> latency(ImpairmentSpec.parse(args[1]), Double.parseDouble(args[2]));
      default -> {
        System.err.println("usage: VoiceBench compare REF.wav DEG.wav | latency IMPAIRMENT SECONDS");
        System.exit(2);
      }
    }
    System.exit(0);
  }

  static short[] read48k(Path wav) throws Exception {
    try (WavReader r = WavReader.open(wav)) {
      io.causerie.media.audio.FrameSource s = PipelineSource.of(r);
      short[] all = new short[48_000 * 10];
      int n = 0;
      short[] frame = new short[960];
      while (s.readFrame(frame, 0)) {
        if (n + 960 > all.length) {
          all = Arrays.copyOf(all, all.length * 2);
        }
        System.arraycopy(frame, 0, all, n, 960);
        n += 960;
      }
      return Arrays.copyOf(all, n);
    }
  }

  private static void compare(Path ref, Path deg) throws Exception {
    short[] a = read48k(ref);
    short[] b = read48k(deg);
    AudioComparison.Result r = AudioComparison.compare(a, b, Math.min(b.length, 3 * 48_000));
    System.out.printf(Locale.ROOT,
        "{\"lsdDb\":%.2f,\"badFramePct\":%.2f,\"dropoutPct\":%.2f,\"lagMs\":%.1f,\"activeFrames\":%d}%n",
        r.lsdDb(), 100 * r.badFrameShare(), 100 * r.dropoutShare(), r.globalLagSamples() / 48.0,
        r.activeFrames());
  }

  /** 100 ms tone bursts every 500 ms; the latency of each burst's onset, source read to sink write. */
  private static void latency(ImpairmentSpec bobIn, double seconds) throws Exception {
    int periodMillis = 500;
    int bursts = (int) (seconds * 1000 / periodMillis) - 1;
    short[] signal = new short[(bursts + 1) * periodMillis * 48];
    for (int k = 0; k < bursts; k++) {
      int from = (k + 1) * periodMillis * 48;
      for (int i = 0; i < 100 * 48; i++) {
        signal[from + i] = (short) Math.round(8000 * Math.sin(2 * Math.PI * 1000 * i / 48_000.0));
      }
    }
    Path dir = Files.createTempDirectory("voicebench");
    ArraySource in = new ArraySource(signal);
    RecordingSink out = new RecordingSink();
    QualitySnapshot bobQ;
    try (CallHarness h = new CallHarness(dir, "alice", "bob")) {
      CallHarness.Party alice = h.party("alice", MediaConfig.defaults().withInput(() -> in), "opus", false);
      CallHarness.Party bob = h.party("bob", MediaConfig.defaults().withOutput(() -> out)
          .withImpairment(bobIn, ImpairDirection.IN), "opus", false);
      alice.client.call("bob");
      alice.awaitStarted();
      bob.awaitStarted();
      while (!in.finished()) {
        Thread.sleep(20);
      }
      Thread.sleep(400);
      alice.client.hangup();
      alice.awaitEnded();
      bobQ = bob.awaitEnded();
    }
    short[] heard = out.samples();
    List<Double> millis = new ArrayList<>();
    int i = 0;
    for (int k = 0; k < bursts; k++) {
      long tIn = in.readNanos[(k + 1) * periodMillis / 20];
      while (i < heard.length && (Math.abs(heard[i]) < 2000 || out.writeNanos(i / 960) < tIn)) {
        i++;
      }
      if (i >= heard.length) {
        break;
      }
      long tOut = out.writeNanos(i / 960) + (i % 960) * 1_000_000_000L / 48_000;
      millis.add((tOut - tIn) / 1e6);
      i += 300 * 48; // past this burst
    }
    double[] v = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    System.out.printf(Locale.ROOT,
        "{\"impairment\":\"%s\",\"bursts\":%d,\"minMs\":%.1f,\"medianMs\":%.1f,\"p95Ms\":%.1f,\"maxMs\":%.1f,"
            + "\"jbDelayMsAtEnd\":%d,\"late\":%d,\"concealed\":%d}%n",
        bobIn, v.length, v[0], v[v.length / 2], v[(int) Math.min(v.length - 1, Math.round(0.95 * (v.length - 1)))],
        v[v.length - 1], bobQ.jitterBufferDelayMillis(), bobQ.late(), bobQ.concealed());
  }
}
