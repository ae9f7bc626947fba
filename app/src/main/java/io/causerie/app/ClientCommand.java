package io.causerie.app;

import io.causerie.client.CallInfo;
import io.causerie.client.ClientConfig;
import io.causerie.client.ClientListener;
import io.causerie.client.SignInException;
import io.causerie.client.SignallingClient;
import io.causerie.client.media.AudioInput;
import io.causerie.client.media.AudioOutput;
import io.causerie.client.media.ImpairDirection;
import io.causerie.client.media.MediaConfig;
import io.causerie.client.media.MediaSession;
import io.causerie.client.media.QualitySnapshot;
import io.causerie.client.media.RedundancyMode;
import io.causerie.media.audio.WavReader;
import io.causerie.media.codec.Codecs;
import io.causerie.media.crypto.SrtpContext;
import io.causerie.media.device.NoSuchSoundDeviceException;
import io.causerie.media.device.SoundDevices;
import io.causerie.protocol.EndReason;
import io.causerie.protocol.ErrorCode;
import io.causerie.protocol.PresenceState;
import io.causerie.transport.impair.ImpairmentSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The headless client: JSON events on stdout, scripted or interactive calls. */
@Command(
    name = "client",
    mixinStandardHelpOptions = true,
    description = {
      "Signs in to a Causerie server and places or answers calls without a window.",
      "Prints one JSON object per line on stdout for each event (registered, presence, incoming, ringing,",
      "call-started, quality (every second of a call), call-ended, error, reconnecting); human-readable logs go",
      "to stderr.",
      "Without --call, --answer, --refuse or --wait it reads commands from stdin:",
      "  who | call NAME | answer | refuse | hangup | quit",
      "Audio: without --play, --tone or --input a call sends silence, and without --record or --output what",
      "arrives is decoded and discarded, so a headless run is deterministic; sound devices are used only when",
      "asked for (see 'causerie devices')."
    },
    footer = {"", ExitCodes.HELP})
final class ClientCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--server", required = true, paramLabel = "HOST[:PORT]",
      description = "Server address; the port defaults to 6100.")
  String server;

  @Option(names = "--user", required = true, paramLabel = "NAME", description = "User name.")
  String user;

  @Option(names = "--password-stdin", description = "Read the password from the first line of stdin.")
  boolean passwordStdin;

  @Option(names = "--password-file", paramLabel = "FILE", description = "Read the password from the first line of FILE.")
  Path passwordFile;

  @Option(names = "--call", paramLabel = "NAME", description = "Call NAME once signed in; exit when the call ends.")
  String call;

  @Option(names = "--duration", paramLabel = "SECONDS",
      description = "With --call or --answer: hang up this long after the call starts.")
  Double durationSeconds;

  @Option(names = "--answer", description = "Accept the first incoming call; exit when that call is over.")
  boolean answer;

  @Option(names = "--refuse", description = "Refuse the first incoming call, then exit.")
  boolean refuse;

  @Option(names = "--wait", paramLabel = "SECONDS",
      description = "With --answer/--refuse: how long to wait for a call (exit 12 if none). Alone: stay signed in"
          + " that long, then exit 0.")
  Double waitSeconds;

  @Option(names = "--local-port", paramLabel = "P", defaultValue = "0",
      description = "Local UDP port for signalling (default: any free port).")
  int localPort;

  @Option(names = "--legacy-ports",
      description = "Use the spec's fixed client ports: send from 5000, receive voice on 5001 and signalling on 5101"
          + " (breaks behind NAT; one client per host).")
  boolean legacyPorts;

  @Option(names = "--server-fingerprint", paramLabel = "SHA256:..",
      description = "Accept only a server certificate with this fingerprint (as `causerie server --print-fingerprint`"
          + " shows it). Without it the client trusts the server on first use and remembers it in --known-servers.")
  String serverFingerprint;

  @Option(names = "--known-servers", paramLabel = "FILE",
      description = "Where servers' fingerprints are remembered (default: ~/.config/causerie/known_servers, or under"
          + " $XDG_CONFIG_HOME). A server that later presents another certificate is refused (exit code 14).")
  Path knownServers;

  @Option(names = "--insecure-plaintext-signalling",
      description = "Talk to a server started with --insecure-plaintext-signalling (no DTLS). Voice stays"
          + " end-to-end encrypted. For debugging only.")
  boolean plaintextSignalling;

  @Option(names = "--connect-timeout", paramLabel = "SECONDS", defaultValue = "10",
      description = "How long the first sign-in may take before the server counts as unreachable (default: 10).")
  double connectTimeoutSeconds;

  @Option(names = "--play", paramLabel = "FILE.wav",
      description = "Send this WAV file (16-bit PCM, any rate, mono or stereo) from the start of each call, in real"
          + " time, once; then silence.")
  Path playFile;

  @Option(names = "--tone", paramLabel = "HZ", description = "Send a sine tone of HZ (e.g. 440) for the whole call.")
  Double toneHz;

  @Option(names = "--input", paramLabel = "DEV",
      description = "Send from this capture device (a name from 'causerie devices', a unique part of it, or 'default').")
  String inputDevice;

  @Option(names = "--record", paramLabel = "FILE.wav",
      description = "Record what arrives to FILE.wav (48 kHz mono 16-bit; rewritten by each call).")
  Path recordFile;

  @Option(names = "--output", paramLabel = "DEV",
      description = "Play what arrives on this playback device (a name from 'causerie devices', or 'default').")
  String outputDevice;

  @Option(names = "--codec", paramLabel = "opus|pcmu|pcma",
      description = "Preferred codec, offered first when calling (default: opus, then pcmu, pcma). The callee takes"
          + " the caller's first codec it supports.")
  String codec;

  @Option(names = "--jitter-cap", paramLabel = "MS", defaultValue = "200",
      description = "Hard cap on the jitter buffer's delay, 40-2000 ms (default: 200).")
  int jitterCapMillis;

  @Option(names = "--impair", paramLabel = "SPEC",
      description = "Impair this client's own voice path, for testing: loss=PCT,burst=N,jitter=MS,reorder=PCT,dup=PCT,"
          + "seed=N,delay=MS (default: off). Acts on incoming voice unless --impair-direction says otherwise.")
  String impair;

  @Option(names = "--impair-direction", paramLabel = "in|out|both", defaultValue = "in",
      description = "Which way --impair acts: in (what arrives, like pjsua's --rx-drop-pct; default), out, or both.")
  String impairDirection;

  @Option(names = "--redundancy", paramLabel = "auto|off|always", defaultValue = "auto",
      description = "Redundant copies of earlier Opus frames in each packet (RFC 2198, negotiated as opus+red), so"
          + " two losses in a row are recovered: auto sends them while the peer reports loss (default), off"
          + " neither offers nor accepts them, always sends them from the first packet.")
  String redundancy;

  @Option(names = "--redundancy-frames", paramLabel = "N[,N...]", defaultValue = "2,3",
      description = "Which earlier frames each packet carries, in packets back (default: 2,3, i.e. packet n carries"
          + " frames n-2 and n-3; its in-band FEC already rebuilds n-1, so three losses in a row are recovered)."
          + " 2 alone costs fewer bits and recovers two in a row. At most 4 back.")
  String redundancyFrames;

  /** Where stdin comes from; tests replace it. */
  InputStream in = System.in;

  private PrintWriter out;
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "causerie-client-timers");
    t.setDaemon(true);
    return t;
  });
  private final AtomicBoolean sawIncoming = new AtomicBoolean();
  private MediaConfig media;
  /** The call's media and its quality ticker; guarded by {@code this} (as {@link #emit}). */
  private MediaSession session;
  private ScheduledFuture<?> qualityTicker;

  @Override
  public Integer call() throws Exception {
    out = spec.commandLine().getOut();
    validate();
    BufferedReader stdin = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    media = mediaConfig();
    String deviceProblem = checkDevices();
    if (deviceProblem != null) {
      emit(Json.event("error").put("code", "no-audio-device").put("message", deviceProblem));
      return ExitCodes.FAILED;
    }
    char[] password = readPassword(stdin);
    ClientConfig config;
    try {
      config = ClientConfig.of(ClientConfig.parseServer(server), user, password)
          .withLocalPort(localPort)
          .withLegacyPorts(legacyPorts)
          .withConnectTimeout(Duration.ofMillis((long) (connectTimeoutSeconds * 1000)))
          .withServerFingerprint(serverFingerprint)
          .withKnownServers(knownServers != null ? knownServers : ClientConfig.defaultKnownServers())
          .withPlaintextSignalling(plaintextSignalling)
          .withRedundancy(media.redundancy() != RedundancyMode.OFF);
      if (serverFingerprint != null) {
        io.causerie.transport.dtls.ServerIdentity.normalizeFingerprint(serverFingerprint); // checks it
      }
      if (codec != null) {
        List<String> codecs = new ArrayList<>(ClientConfig.DEFAULT_CODECS);
        codecs.remove(codec);
        codecs.add(0, codec);
        config = config.withCodecs(codecs);
      }
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    SignallingClient client;
    try {
      client = new SignallingClient(config, new Events());
    } catch (IOException e) {
      emit(Json.event("error").put("code", "local-port").put("message",
          "cannot open the local UDP port: " + e.getMessage()));
      return ExitCodes.FAILED;
    }
    clientRef = client;
    try {
      try {
        client.connect().get();
      } catch (ExecutionException e) {
        SignInException failure = (SignInException) e.getCause();
        if (failure.serverKeyChanged()) {
          emit(Json.event("error").put("code", "server-key-changed").put("message", failure.getMessage()));
          return ExitCodes.SERVER_KEY_CHANGED;
        }
        emit(Json.event("error")
            .put("code", failure.code() == null ? "unreachable" : failure.code().jsonName())
            .put("message", failure.code() == null
                ? "server " + server + " did not answer within " + connectTimeoutSeconds + " s"
                : failure.getMessage()));
        return ExitCodes.forSignIn(failure.code());
      }
      if (call != null) {
        client.call(call);
      } else if (answer || refuse) {
        if (waitSeconds != null) {
          timers.schedule(() -> {
            if (!sawIncoming.get()) {
              exit.complete(ExitCodes.TIMED_OUT);
            }
          }, (long) (waitSeconds * 1000), TimeUnit.MILLISECONDS);
        }
      } else if (waitSeconds != null) {
        timers.schedule(() -> exit.complete(ExitCodes.OK), (long) (waitSeconds * 1000), TimeUnit.MILLISECONDS);
      } else {
        Thread console = new Thread(() -> console(stdin, client), "causerie-console");
        console.setDaemon(true);
        console.start();
      }
      return exit.get();
    } finally {
      timers.shutdownNow();
      client.close();
      java.util.Arrays.fill(password, '\0');
    }
  }

  private void validate() {
    if (passwordStdin == (passwordFile != null)) {
      throw new ParameterException(spec.commandLine(), "give exactly one of --password-stdin or --password-file");
    }
    int actions = (call != null ? 1 : 0) + (answer ? 1 : 0) + (refuse ? 1 : 0);
    if (actions > 1) {
      throw new ParameterException(spec.commandLine(), "--call, --answer and --refuse exclude each other");
    }
    if (durationSeconds != null && call == null && !answer) {
      throw new ParameterException(spec.commandLine(), "--duration needs --call or --answer");
    }
    if (durationSeconds != null && durationSeconds < 0 || waitSeconds != null && waitSeconds < 0) {
      throw new ParameterException(spec.commandLine(), "--duration and --wait must not be negative");
    }
    if (call != null && waitSeconds != null) {
      throw new ParameterException(spec.commandLine(), "--wait goes with --answer, --refuse or alone, not with --call");
    }
    int inputs = (playFile != null ? 1 : 0) + (toneHz != null ? 1 : 0) + (inputDevice != null ? 1 : 0);
    if (inputs > 1) {
      throw new ParameterException(spec.commandLine(), "--play, --tone and --input exclude each other");
    }
    if (toneHz != null && !(toneHz > 0 && toneHz < 24_000)) {
      throw new ParameterException(spec.commandLine(), "--tone must be between 0 and 24000 Hz");
    }
    if (codec != null) {
      codec = codec.toLowerCase(Locale.ROOT);
      if (!Codecs.NAMES.contains(codec)) {
        throw new ParameterException(spec.commandLine(), "--codec must be one of " + String.join(", ", Codecs.NAMES));
      }
    }
    if (jitterCapMillis < MediaConfig.MIN_JITTER_CAP_MILLIS || jitterCapMillis > MediaConfig.MAX_JITTER_CAP_MILLIS) {
      throw new ParameterException(spec.commandLine(), "--jitter-cap must be " + MediaConfig.MIN_JITTER_CAP_MILLIS
          + "-" + MediaConfig.MAX_JITTER_CAP_MILLIS + " ms");
    }
    if (playFile != null) {
      try (WavReader r = WavReader.open(playFile)) {
        r.sampleRateHz();
      } catch (IOException e) {
        throw new ParameterException(spec.commandLine(), "cannot play " + playFile + ": " + e.getMessage());
      }
    }
    if (recordFile != null) {
      Path parent = recordFile.toAbsolutePath().getParent();
      if (parent == null || !Files.isDirectory(parent) || Files.isDirectory(recordFile)) {
        throw new ParameterException(spec.commandLine(), "cannot record to " + recordFile + ": no such directory");
      }
    }
  }

  /** The media settings from the audio flags; usage errors for a bad --impair. */
  private MediaConfig mediaConfig() {
    MediaConfig m = MediaConfig.defaults().withJitterCapMillis(jitterCapMillis);
    if (playFile != null) {
      m = m.withInput(AudioInput.wavFile(playFile));
    } else if (toneHz != null) {
      m = m.withInput(AudioInput.tone(toneHz));
    } else if (inputDevice != null) {
      m = m.withInput(AudioInput.device(inputDevice));
    }
    AudioOutput out = null;
    if (recordFile != null) {
      out = AudioOutput.wavFile(recordFile);
    }
    if (outputDevice != null) {
      out = out == null ? AudioOutput.device(outputDevice) : AudioOutput.both(out, AudioOutput.device(outputDevice));
    }
    if (out != null) {
      m = m.withOutput(out);
    }
    try {
      List<Integer> frames = new ArrayList<>();
      for (String f : redundancyFrames.split(",")) {
        try {
          frames.add(Integer.parseInt(f.trim()));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("--redundancy-frames takes numbers like 2 or 1,2, not '"
              + redundancyFrames + "'");
        }
      }
      m = m.withRedundancy(RedundancyMode.parse(redundancy), frames);
      ImpairmentSpec spec = impair == null ? ImpairmentSpec.NONE : ImpairmentSpec.parse(impair);
      return m.withImpairment(spec, ImpairDirection.parse(impairDirection));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /** Null when every device asked for exists; else the one line that says what is missing. */
  private String checkDevices() {
    try {
      if (inputDevice != null) {
        SoundDevices.find(SoundDevices.captureDevices(), inputDevice, "capture");
      }
      if (outputDevice != null) {
        SoundDevices.find(SoundDevices.playbackDevices(), outputDevice, "playback");
      }
      return null;
    } catch (NoSuchSoundDeviceException e) {
      return e.getMessage();
    }
  }

  private char[] readPassword(BufferedReader stdin) throws IOException {
    String line;
    if (passwordStdin) {
      line = stdin.readLine();
    } else {
      try (BufferedReader r = Files.newBufferedReader(passwordFile, StandardCharsets.UTF_8)) {
        line = r.readLine();
      } catch (IOException e) {
        throw new ParameterException(spec.commandLine(), "cannot read --password-file " + passwordFile + ": "
            + e.getMessage());
      }
    }
    if (line == null || line.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "the password is empty");
    }
    return line.toCharArray();
  }

  private synchronized void emit(Json event) {
    out.println(event);
    out.flush();
  }

  private void console(BufferedReader stdin, SignallingClient client) {
    try {
      try {
        client.presenceReady().get(5, TimeUnit.SECONDS); // so that "who" right away is complete
      } catch (Exception e) {
        // no presence yet: "who" shows what is known
      }
      String line;
      while ((line = stdin.readLine()) != null) {
        String[] words = line.trim().split("\\s+", 2);
        switch (words[0]) {
          case "" -> {}
          case "who" -> {
            try {
              client.presence().get(5, TimeUnit.SECONDS).forEach((u, s) ->
                  emit(Json.event("presence").put("user", u).put("state", s.jsonName())));
            } catch (Exception e) {
              emit(Json.event("error").put("code", "internal").put("message", "presence unavailable"));
            }
          }
          case "call" -> {
            if (words.length < 2) {
              emit(Json.event("error").put("code", "usage").put("message", "call NAME"));
            } else {
              client.call(words[1].trim());
            }
          }
          case "answer" -> client.answer();
          case "refuse" -> client.refuse();
          case "hangup" -> client.hangup();
          case "quit", "exit" -> {
            exit.complete(ExitCodes.OK);
            return;
          }
          default -> emit(Json.event("error").put("code", "usage")
              .put("message", "unknown command '" + words[0] + "': who | call NAME | answer | refuse | hangup | quit"));
        }
      }
      exit.complete(ExitCodes.OK); // end of input
    } catch (IOException e) {
      exit.complete(ExitCodes.FAILED);
    }
  }

  /** Prints events and drives the scripted actions. Runs on the client's signalling thread. */
  private final class Events implements ClientListener {
    private long startedNanos;

    @Override
    public void onRegistered(String u, int mediaPort, boolean again) {
      emit(Json.event("registered").put("user", u).put("server", server).put("mediaPort", mediaPort)
          .put("again", again));
    }

    @Override
    public void onPresence(Map<String, PresenceState> changed, Map<String, PresenceState> all) {
      changed.forEach((u, s) -> emit(Json.event("presence").put("user", u).put("state", s.jsonName())));
    }

    @Override
    public void onIncoming(CallInfo c) {
      emit(Json.event("incoming").put("call", c.idHex()).put("from", c.peer()));
      if ((answer || refuse) && sawIncoming.compareAndSet(false, true)) {
        if (answer) {
          clientAction(SignallingClient::answer);
        } else {
          clientAction(SignallingClient::refuse);
        }
      }
    }

    @Override
    public void onRinging(CallInfo c) {
      emit(Json.event("ringing").put("call", c.idHex()).put("to", c.peer()));
    }

    @Override
    public void onCallStarted(CallInfo c) {
      startedNanos = System.nanoTime();
      emit(Json.event("call-started").put("call", c.idHex()).put("peer", c.peer())
          .put("direction", c.outgoing() ? "outgoing" : "incoming").put("codec", c.codec())
          .put("mediaPort", c.mediaPort()).put("sas", c.sas()).put("redundancy", c.redundancy()));
      if (durationSeconds != null && (call != null || answer)) {
        timers.schedule(() -> clientAction(SignallingClient::hangup), (long) (durationSeconds * 1000),
            TimeUnit.MILLISECONDS);
      }
      startMedia(c);
    }

    @Override
    public void onCallEnded(CallInfo c, EndReason reason) {
      Json e = Json.event("call-ended").put("call", c.idHex()).put("peer", c.peer()).put("reason", reason.jsonName());
      if (c.codec() != null && startedNanos != 0) {
        e.put("durationSeconds", (System.nanoTime() - startedNanos) / 1e9);
      }
      QualitySnapshot summary = stopMedia();
      if (summary != null) {
        putQuality(e, summary);
        long expected = summary.received() + summary.lost();
        clientRef.reportQuality(c.callId(), expected == 0 ? Double.NaN : 100.0 * summary.lost() / expected,
            summary.jitterMillis(), summary.rttMillis(), summary.mos());
      }
      emit(e);
      startedNanos = 0;
      if (call != null && c.outgoing() && c.peer().equals(call) || (answer || refuse) && !c.outgoing()) {
        exit.complete(refuse && reason == EndReason.REFUSED ? ExitCodes.OK : ExitCodes.forEnd(reason));
      }
    }

    @Override
    public void onError(ErrorCode code, String message) {
      emit(Json.event("error").put("code", code == null ? "no-answer-from-server" : code.jsonName())
          .put("message", message));
      if (code == ErrorCode.SESSION_REPLACED) {
        exit.complete(ExitCodes.SIGN_IN_REFUSED);
      }
    }

    @Override
    public void onReconnecting(String why) {
      emit(Json.event("reconnecting").put("reason", why));
    }
  }

  private volatile SignallingClient clientRef;

  private void clientAction(java.util.function.Consumer<SignallingClient> action) {
    action.accept(clientRef);
  }

  /** Starts the call's voice and its once-a-second quality event. Signalling thread. */
  private void startMedia(CallInfo c) {
    MediaSession s;
    try {
      s = MediaSession.start(clientRef, c, media);
    } catch (IOException | RuntimeException e) {
      emit(Json.event("error").put("code", "media").put("message", "no voice in this call: " + e.getMessage()));
      return;
    }
    synchronized (this) {
      session = s;
      qualityTicker = timers.scheduleAtFixedRate(() -> qualityTick(s, c), 1, 1, TimeUnit.SECONDS);
    }
  }

  private synchronized void qualityTick(MediaSession s, CallInfo c) {
    if (session == s) {
      emit(putCryptoDrops(putQuality(Json.event("quality").put("call", c.idHex()), s.quality()), s));
    }
  }

  /** Media the SRTP check refused: forged or corrupted, repeated, or too old for the replay window. */
  private static Json putCryptoDrops(Json e, MediaSession s) {
    return e.put("tampered", s.cryptoDrops(SrtpContext.Reason.AUTH_FAILED))
        .put("replayed", s.cryptoDrops(SrtpContext.Reason.REPLAYED))
        .put("tooOld", s.cryptoDrops(SrtpContext.Reason.TOO_OLD));
  }

  /** Stops the call's voice (a recording is complete afterwards); null if there was none. */
  private QualitySnapshot stopMedia() {
    MediaSession s;
    synchronized (this) {
      s = session;
      session = null;
      if (qualityTicker != null) {
        qualityTicker.cancel(false);
        qualityTicker = null;
      }
    }
    return s == null ? null : s.stop();
  }

  private static Json putQuality(Json e, QualitySnapshot q) {
    return e.put("sent", q.sent()).put("received", q.received()).put("lost", q.lost()).put("late", q.late())
        .put("concealed", q.concealed()).put("fecRecovered", q.fecRecovered()).put("jitterMs", q.jitterMillis())
        .put("rttMs", q.rttMillis()).put("jbDelayMs", q.jitterBufferDelayMillis()).put("mos", q.mos())
        .put("codec", q.codec()).put("remoteLossPct", q.remoteLossPercent()).put("fec", q.fecSending())
        .put("redRecovered", q.redRecovered()).put("red", q.redSending());
  }
}
