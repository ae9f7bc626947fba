package io.causerie.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.causerie.client.CallInfo;
import io.causerie.client.ClientConfig;
import io.causerie.client.ClientListener;
import io.causerie.client.SignallingClient;
import io.causerie.protocol.EndReason;
import io.causerie.protocol.scram.ScramCredential;
import io.causerie.server.store.Database;
import io.causerie.server.store.JdbcCallHistoryStore;
import io.causerie.server.store.JdbcUserStore;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server as an operator runs it: a separate process, stopped with SIGTERM in the middle of a call. */
class ServerProcessTest {
  private static final String ALICE_PW = "correct horse battery staple";
  private static final String BOB_PW = "Tr0ub4dor&3";

  @TempDir Path dir;

  private static int freeUdpPort() throws Exception {
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void sigtermDuringACallEndsItCleanlyOnBothClientsAndLogsNoSecret() throws Exception {
    Path db = dir.resolve("p.db");
    try (Database d = Database.open(db.toString())) {
      JdbcUserStore users = new JdbcUserStore(d);
      users.add("alice", ScramCredential.generate(ALICE_PW.toCharArray(), 4096, new SecureRandom()), null);
      users.add("bob", ScramCredential.generate(BOB_PW.toCharArray(), 4096, new SecureRandom()), null);
    }
    int port = freeUdpPort();
    Path log = dir.resolve("server.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process server = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "io.causerie.app.Main",
        "server", "--bind", "127.0.0.1", "--port", String.valueOf(port), "--media-ports", "0", "--db", db.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      waitFor(() -> Files.readString(log).contains("listening"), Duration.ofSeconds(30));
      CompletableFuture<EndReason> aliceEnd = new CompletableFuture<>();
      CompletableFuture<EndReason> bobEnd = new CompletableFuture<>();
      CompletableFuture<Void> started = new CompletableFuture<>();
      InetSocketAddress at = new InetSocketAddress("127.0.0.1", port);
      try (SignallingClient alice = new SignallingClient(ClientConfig.of(at, "alice", ALICE_PW.toCharArray()),
              new ClientListener() {
                @Override
                public void onCallStarted(CallInfo call) {
                  started.complete(null);
                }

                @Override
                public void onCallEnded(CallInfo call, EndReason reason) {
                  aliceEnd.complete(reason);
                }
              });
          SignallingClient bob = new SignallingClient(ClientConfig.of(at, "bob", BOB_PW.toCharArray()),
              new ClientListener() {
                @Override
                public void onIncoming(CallInfo call) {
                  bobRef[0].answer();
                }

                @Override
                public void onCallEnded(CallInfo call, EndReason reason) {
                  bobEnd.complete(reason);
                }
              })) {
        bobRef[0] = bob;
        alice.connect().get(10, TimeUnit.SECONDS);
        bob.connect().get(10, TimeUnit.SECONDS);
        alice.presenceReady().get(10, TimeUnit.SECONDS);
        alice.call("bob");
        started.get(10, TimeUnit.SECONDS);
        server.destroy(); // SIGTERM
        assertThat(aliceEnd.get(10, TimeUnit.SECONDS)).isEqualTo(EndReason.SHUTDOWN);
        assertThat(bobEnd.get(10, TimeUnit.SECONDS)).isEqualTo(EndReason.SHUTDOWN);
        assertThat(server.waitFor(15, TimeUnit.SECONDS)).isTrue();
      }
    } finally {
      server.destroyForcibly();
    }
    String logged = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(logged).contains("alice signed in", "server stopped");
    for (String secret : List.of(ALICE_PW, BOB_PW, "p=", "v=")) {
      assertThat(logged).as("the log must not contain %s", secret).doesNotContain(secret);
    }
    // The history was written before the database closed: nothing half-written.
    try (Database d = Database.open(db.toString())) {
      assertThat(new JdbcCallHistoryStore(d).query(null, 0, 10)).singleElement()
          .satisfies(c -> assertThat(c.outcome()).isEqualTo("shutdown"));
    }
  }

  private final SignallingClient[] bobRef = new SignallingClient[1];

  interface Check {
    boolean ok() throws Exception;
  }

  private static void waitFor(Check c, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!c.ok()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out");
      }
      Thread.sleep(50);
    }
  }
}
