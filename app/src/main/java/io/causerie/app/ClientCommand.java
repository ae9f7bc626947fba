package io.causerie.app;

import io.causerie.client.CallInfo;
import io.causerie.client.ClientConfig;
import io.causerie.client.ClientListener;
import io.causerie.client.SignInException;
import io.causerie.client.SignallingClient;
import io.causerie.protocol.EndReason;
import io.causerie.protocol.ErrorCode;
import io.causerie.protocol.PresenceState;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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
      "call-started, call-ended, error, reconnecting); human-readable logs go to stderr.",
      "Without --call, --answer, --refuse or --wait it reads commands from stdin:",
      "  who | call NAME | answer | refuse | hangup | quit"
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

  @Option(names = "--connect-timeout", paramLabel = "SECONDS", defaultValue = "10",
      description = "How long the first sign-in may take before the server counts as unreachable (default: 10).")
  double connectTimeoutSeconds;

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

  @Override
  public Integer call() throws Exception {
    out = spec.commandLine().getOut();
    validate();
    BufferedReader stdin = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    char[] password = readPassword(stdin);
    ClientConfig config;
    try {
      config = ClientConfig.of(ClientConfig.parseServer(server), user, password)
          .withLocalPort(localPort)
          .withLegacyPorts(legacyPorts)
          .withConnectTimeout(Duration.ofMillis((long) (connectTimeoutSeconds * 1000)));
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
          .put("mediaPort", c.mediaPort()));
      if (durationSeconds != null && (call != null || answer)) {
        timers.schedule(() -> clientAction(SignallingClient::hangup), (long) (durationSeconds * 1000),
            TimeUnit.MILLISECONDS);
      }
    }

    @Override
    public void onCallEnded(CallInfo c, EndReason reason) {
      Json e = Json.event("call-ended").put("call", c.idHex()).put("peer", c.peer()).put("reason", reason.jsonName());
      if (c.codec() != null && startedNanos != 0) {
        e.put("durationSeconds", (System.nanoTime() - startedNanos) / 1e9);
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
}
