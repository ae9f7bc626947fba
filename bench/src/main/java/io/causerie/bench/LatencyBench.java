package io.causerie.bench;

import io.causerie.client.CallInfo;
import io.causerie.client.ClientConfig;
import io.causerie.client.ClientListener;
import io.causerie.client.SignallingClient;
import io.causerie.client.media.ImpairDirection;
import io.causerie.client.media.MediaConfig;
import io.causerie.client.media.MediaSession;
import io.causerie.client.media.QualitySnapshot;
import io.causerie.media.audio.FrameSink;
import io.causerie.media.audio.FrameSource;
import io.causerie.media.audio.PipelineFormat;
import io.causerie.protocol.EndReason;
import io.causerie.transport.impair.ImpairmentSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code causerie bench latency}: mouth-to-ear latency in software of one Opus call through a real server process
 * on 127.0.0.1 (docs/BENCHMARKS.md, "Voice quality and latency").
 *
 * <p>Two clients run in this JVM with the product's {@link SignallingClient} and {@link MediaSession}. The caller
 * sends {@value #BURST_MILLIS} ms tone bursts every {@value #PERIOD_MILLIS} ms; for each burst, the latency is the
 * time from the caller's capture thread reading the burst's first frame ("mouth") to the callee's playout thread
 * writing the frame where the burst starts, plus the sample offset inside that frame ("ear"). The callee's
 * incoming path can be given uniform jitter ({@code --jitter MS}, the client's {@code --impair jitter=MS}). No
 * microphone or speaker buffers are involved.
 */
public final class LatencyBench {
  /** Time from one burst's start to the next. */
  public static final int PERIOD_MILLIS = 500;
  /** Length of a burst. */
  public static final int BURST_MILLIS = 100;
  /** Tone frequency of the bursts. */
  public static final double TONE_HZ = 1000;
  /** Burst amplitude, about −12 dBFS. */
  public static final int AMPLITUDE = 8000;
  /** A sample at least this loud (about −24 dBFS) counts as the burst heard. */
  public static final int ONSET_THRESHOLD = 2000;

  private LatencyBench() {}

  /**
   * What to run.
   *
   * @param seconds length of the tone signal
   * @param jitterMillis uniform jitter added to the callee's incoming path (0: none)
   * @param jitterCapMillis the callee's jitter-buffer cap ({@code --jitter-cap})
   * @param seed impairment seed
   * @param launch the server command
   * @param serverLogLevel the server's log level
   */
  public record Options(double seconds, int jitterMillis, int jitterCapMillis, long seed,
      ServerProcess.Launch launch, String serverLogLevel) {
    public Options {
      if (!(seconds >= 2 && seconds <= 3600)) {
        throw new IllegalArgumentException("--seconds must be 2-3600");
      }
      if (jitterMillis < 0 || jitterMillis > 1000) {
        throw new IllegalArgumentException("--jitter must be 0-1000 ms");
      }
      if (jitterCapMillis < MediaConfig.MIN_JITTER_CAP_MILLIS || jitterCapMillis > MediaConfig.MAX_JITTER_CAP_MILLIS) {
        throw new IllegalArgumentException("--jitter-cap must be " + MediaConfig.MIN_JITTER_CAP_MILLIS + "-"
            + MediaConfig.MAX_JITTER_CAP_MILLIS + " ms");
      }
    }

    /** Defaults: {@code seconds} of bursts, no jitter, the client's default cap. */
    public static Options of(double seconds, int jitterMillis) {
      return new Options(seconds, jitterMillis, MediaConfig.DEFAULT_JITTER_CAP_MILLIS, 1, ServerProcess.Launch.app(),
          "WARN");
    }
  }

  /**
   * The result.
   *
   * @param latenciesMillis one per burst heard, in burst order
   * @param bursts bursts sent
   * @param callee the callee's quality summary (late, concealed, jitter-buffer delay), or null if the call failed
   * @param error why the run failed, or null
   */
  public record Report(Options options, Machine machine, String started, List<Double> latenciesMillis, int bursts,
      QualitySnapshot callee, String error) {
    /** The {@code q} quantile (nearest rank) of the latencies, NaN if none. */
    public double quantile(double q) {
      if (latenciesMillis.isEmpty()) {
        return Double.NaN;
      }
      double[] v = latenciesMillis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      int rank = (int) Math.ceil(q * v.length);
      return v[Math.max(0, Math.min(v.length - 1, rank - 1))];
    }

    public double maxMillis() {
      return latenciesMillis.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    public double minMillis() {
      return latenciesMillis.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    /** One JSON object: the options, the figures in ms, the callee's buffer counters and the machine. */
    public Json toJson() {
      Json j = Json.object().put("bench", "latency").put("started", started).put("seconds", options.seconds())
          .put("jitterMs", options.jitterMillis()).put("capMs", options.jitterCapMillis()).put("codec", "opus")
          .put("bursts", bursts).put("heard", latenciesMillis.size()).put("minMs", round(minMillis()))
          .put("p50Ms", round(quantile(0.5))).put("p95Ms", round(quantile(0.95))).put("maxMs", round(maxMillis()));
      if (callee != null) {
        j.put("jbDelayMs", callee.jitterBufferDelayMillis()).put("late", callee.late())
            .put("concealed", callee.concealed()).put("lost", callee.lost());
      }
      j.put("machine", machine.toJson());
      if (error != null) {
        j.put("error", error);
      }
      return j;
    }

    public String toText() {
      StringBuilder b = new StringBuilder();
      b.append(String.format(Locale.ROOT, "mouth-to-ear in software, Opus, %s, jitter-buffer cap %d ms%n",
          options.jitterMillis() == 0 ? "clean path" : "0-" + options.jitterMillis() + " ms jitter on the way in",
          options.jitterCapMillis()));
      b.append(String.format(Locale.ROOT, "  bursts %d, heard %d: min %.1f ms, p50 %.1f ms, p95 %.1f ms, max %.1f ms%n",
          bursts, latenciesMillis.size(), minMillis(), quantile(0.5), quantile(0.95), maxMillis()));
      if (callee != null) {
        b.append(String.format(Locale.ROOT, "  callee: jitter-buffer delay %d ms (mean), %d late, %d concealed%n",
            callee.jitterBufferDelayMillis(), callee.late(), callee.concealed()));
      }
      if (error != null) {
        b.append("  error: ").append(error).append('\n');
      }
      return b.toString();
    }

    private static double round(double v) {
      return Double.isNaN(v) ? v : Math.round(v * 10) / 10.0;
    }
  }

  /** Tone bursts from a precomputed signal; remembers when each frame was read (the "mouth"). */
  static final class BurstSource implements FrameSource {
    private final short[] signal;
    private final long[] readNanos;
    private volatile int frames;

    BurstSource(int bursts) {
      int samplesPerMs = PipelineFormat.SAMPLE_RATE_HZ / 1000;
      signal = new short[(bursts + 1) * PERIOD_MILLIS * samplesPerMs];
      for (int k = 0; k < bursts; k++) {
        int from = (k + 1) * PERIOD_MILLIS * samplesPerMs;
        for (int i = 0; i < BURST_MILLIS * samplesPerMs; i++) {
          signal[from + i] = (short) Math.round(AMPLITUDE * Math.sin(2 * Math.PI * TONE_HZ * i
              / PipelineFormat.SAMPLE_RATE_HZ));
        }
      }
      readNanos = new long[signal.length / PipelineFormat.FRAME_SAMPLES];
    }

    @Override
    public int sampleRateHz() {
      return PipelineFormat.SAMPLE_RATE_HZ;
    }

    @Override
    public boolean readFrame(short[] pcm, int off) {
      int f = frames;
      if (f >= readNanos.length) {
        return false;
      }
      readNanos[f] = System.nanoTime();
      System.arraycopy(signal, f * PipelineFormat.FRAME_SAMPLES, pcm, off, PipelineFormat.FRAME_SAMPLES);
      frames = f + 1;
      return true;
    }

    boolean finished() {
      return frames >= readNanos.length;
    }

    /** When the frame that starts burst {@code k} was read, or 0 if not yet. */
    long burstReadNanos(int k) {
      int frame = (k + 1) * PERIOD_MILLIS / PipelineFormat.FRAME_MILLIS;
      return frame < frames ? readNanos[frame] : 0;
    }
  }

  /** Finds onsets in what is played (the "ear"): the first loud sample after at least 200 ms of quiet. */
  static final class OnsetSink implements FrameSink {
    private static final int QUIET_SAMPLES_BEFORE_ONSET = 200 * PipelineFormat.SAMPLE_RATE_HZ / 1000;
    private final List<Long> onsets = new ArrayList<>();
    private int quietRun = QUIET_SAMPLES_BEFORE_ONSET;

    @Override
    public int sampleRateHz() {
      return PipelineFormat.SAMPLE_RATE_HZ;
    }

    @Override
    public synchronized void writeFrame(short[] pcm, int off) {
      long now = System.nanoTime();
      for (int i = 0; i < PipelineFormat.FRAME_SAMPLES; i++) {
        if (Math.abs(pcm[off + i]) >= ONSET_THRESHOLD) {
          if (quietRun >= QUIET_SAMPLES_BEFORE_ONSET) {
            onsets.add(now + i * 1_000_000_000L / PipelineFormat.SAMPLE_RATE_HZ);
          }
          quietRun = 0;
        } else {
          quietRun++;
        }
      }
    }

    synchronized List<Long> onsets() {
      return List.copyOf(onsets);
    }
  }

  /** Pairs each burst with the first onset heard after it was read and before the next one: latencies in ms. */
  static List<Double> match(long[] burstReadNanos, List<Long> onsets) {
    List<Double> out = new ArrayList<>();
    int j = 0;
    for (int k = 0; k < burstReadNanos.length; k++) {
      long in = burstReadNanos[k];
      if (in == 0) {
        continue;
      }
      long next = k + 1 < burstReadNanos.length && burstReadNanos[k + 1] != 0 ? burstReadNanos[k + 1]
          : Long.MAX_VALUE;
      while (j < onsets.size() && onsets.get(j) < in) {
        j++;
      }
      if (j < onsets.size() && onsets.get(j) < next) {
        out.add((onsets.get(j) - in) / 1e6);
        j++;
      }
    }
    return out;
  }

  /** One side of the call: answers when called and runs the media session while the call lasts. */
  private static final class Side implements ClientListener {
    final MediaConfig media;
    final CompletableFuture<CallInfo> started = new CompletableFuture<>();
    final CompletableFuture<QualitySnapshot> ended = new CompletableFuture<>();
    volatile SignallingClient client;
    volatile MediaSession session;

    Side(MediaConfig media) {
      this.media = media;
    }

    @Override
    public void onIncoming(CallInfo call) {
      client.answer();
    }

    @Override
    public void onCallStarted(CallInfo call) {
      try {
        session = MediaSession.start(client, call, media);
        started.complete(call);
      } catch (Exception e) {
        started.completeExceptionally(e);
      }
    }

    @Override
    public void onCallEnded(CallInfo call, EndReason reason) {
      MediaSession s = session;
      ended.complete(s == null ? null : s.stop());
    }
  }

  /** Runs the bench; progress lines go to {@code progress}. */
  public static Report run(Options o, PrintStream progress) throws IOException, InterruptedException {
    Machine machine = Machine.describe();
    String started = java.time.Instant.now().toString();
    Path dir = Files.createTempDirectory("causerie-bench-latency-");
    int bursts = (int) (o.seconds() * 1000 / PERIOD_MILLIS) - 1;
    BurstSource source = new BurstSource(bursts);
    OnsetSink sink = new OnsetSink();
    QualitySnapshot calleeQuality = null;
    String error = null;
    try {
      String db = dir.resolve("bench.db").toString();
      new BenchUsers(db).ensure(2);
      ServerProcess.Settings settings = new ServerProcess.Settings(o.launch(), dir, db, 8, null, List.of(), null,
          o.serverLogLevel(), Duration.ofSeconds((long) o.seconds() + 90));
      progress.println("starting the server...");
      try (ServerProcess server = ServerProcess.start(settings)) {
        ImpairmentSpec jitter = o.jitterMillis() == 0 ? ImpairmentSpec.NONE
            : ImpairmentSpec.parse("jitter=" + o.jitterMillis() + ",seed=" + o.seed());
        Side caller = new Side(MediaConfig.defaults().withInput(() -> source));
        Side callee = new Side(MediaConfig.defaults().withOutput(() -> sink)
            .withJitterCapMillis(o.jitterCapMillis()).withImpairment(jitter, ImpairDirection.IN));
        try (SignallingClient a = client(server, BenchUsers.name(0), caller);
            SignallingClient b = client(server, BenchUsers.name(1), callee)) {
          a.connect().get(30, TimeUnit.SECONDS);
          b.connect().get(30, TimeUnit.SECONDS);
          progress.printf("calling; %d bursts over %.0f s%n", bursts, o.seconds());
          a.call(BenchUsers.name(1));
          caller.started.get(30, TimeUnit.SECONDS);
          callee.started.get(30, TimeUnit.SECONDS);
          long deadline = System.nanoTime() + (long) ((o.seconds() + 30) * 1e9);
          while (!source.finished() && System.nanoTime() < deadline) {
            Thread.sleep(20);
          }
          Thread.sleep(Math.max(400, o.jitterCapMillis() + 200L)); // the last burst drains through the buffer
          a.hangup();
          caller.ended.get(30, TimeUnit.SECONDS);
          calleeQuality = callee.ended.get(30, TimeUnit.SECONDS);
        }
      }
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      error = "call failed: " + (e.getCause() != null ? e.getCause() : e);
    } finally {
      RelayBench.deleteTree(dir);
    }
    long[] in = new long[bursts];
    for (int k = 0; k < bursts; k++) {
      in[k] = source.burstReadNanos(k);
    }
    List<Double> latencies = match(in, sink.onsets());
    if (error == null && latencies.isEmpty()) {
      error = "no burst was heard";
    }
    return new Report(o, machine, started, latencies, bursts, calleeQuality, error);
  }

  private static SignallingClient client(ServerProcess server, String user, Side side) throws IOException {
    ClientConfig c = ClientConfig.of(server.signallingAddress(), user, BenchUsers.PASSWORD.toCharArray())
        .withServerFingerprint(server.fingerprint()).withPlaintextSignalling(server.plaintextSignalling())
        .withConnectTimeout(Duration.ofSeconds(30));
    SignallingClient client = new SignallingClient(c, side);
    side.client = client;
    return client;
  }
}
