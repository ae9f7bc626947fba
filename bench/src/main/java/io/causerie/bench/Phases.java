package io.causerie.bench;

import io.causerie.bench.SignallingDriver.Call;
import io.causerie.bench.SignallingDriver.Client;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** Set-up steps both benches share: sign in many clients, set up many calls, wait for the server to calm down. */
final class Phases {
  private Phases() {}

  /** Sign-ins or call set-ups in flight at once while setting up (not measured). */
  static final int SETUP_CONCURRENCY = 64;
  /**
   * Set-up is paced to the server's presence flush (every 50 ms, to every session): one PRESENCE carries up to
   * 16 changes, so up to 16 sign-ins or 8 calls (2 changes each) per flush cost each session one datagram.
   * Faster bursts cost the same per change but flood every client at once.
   */
  static final long PACE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  static final int SIGN_INS_PER_PACE = 16;
  static final int CALLS_PER_PACE = 8;
  /** A call not up after this long counts as failed. */
  static final long CALL_SETUP_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(20);
  /** Attempts per client before a sign-in counts as failed. */
  static final int SIGN_IN_ATTEMPTS = 3;
  static final long RETRY_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  /** How a bulk sign-in went. */
  record SignIns(int signedIn, int failed, long millis, String lastError) {}

  /** How a bulk call set-up went; {@code up} are the established calls. */
  record Calls(List<Call> up, int failed, long millis, String lastError) {}

  /** Runs {@code s} on the driver's thread and returns its result. */
  static <T> T onLoop(SignallingDriver d, Supplier<T> s) {
    CompletableFuture<T> f = new CompletableFuture<>();
    d.execute(() -> {
      try {
        f.complete(s.get());
      } catch (RuntimeException e) {
        f.completeExceptionally(e);
      }
    });
    return await(f, Duration.ofSeconds(30));
  }

  static <T> T await(CompletableFuture<T> f, Duration timeout) {
    try {
      return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s", e);
    }
  }

  /** Signs in every client, {@link #SETUP_CONCURRENCY} at a time, retrying refused attempts. */
  static SignIns signInAll(SignallingDriver d, List<Client> clients, Duration timeout) {
    BulkSignIn l = new BulkSignIn(d, clients);
    d.setListener(l);
    d.execute(l::pump);
    return await(l.done, timeout);
  }

  /** Sets up a call for each pair (caller, callee), {@link #SETUP_CONCURRENCY} at a time. */
  static Calls callAll(SignallingDriver d, List<Client[]> pairs, Duration timeout) {
    BulkCalls l = new BulkCalls(d, pairs);
    d.setListener(l);
    d.execute(l::pump);
    return await(l.done, timeout);
  }

  /** Loop thread only. */
  private static final class BulkSignIn implements SignallingDriver.Listener {
    final SignallingDriver d;
    final long t0 = System.nanoTime();
    final CompletableFuture<SignIns> done = new CompletableFuture<>();
    final ArrayDeque<Client> queue;
    final Map<Client, Integer> attempts = new HashMap<>();
    int inFlight;
    int waitingRetry;
    int ok;
    int failed;
    int budget;
    boolean pacing;
    String lastError;

    BulkSignIn(SignallingDriver d, List<Client> clients) {
      this.d = d;
      this.queue = new ArrayDeque<>(clients);
    }

    void refill() {
      budget = SIGN_INS_PER_PACE;
      pump();
      if (!done.isDone()) {
        d.schedule(PACE_NANOS, this::refill);
      }
    }

    void pump() {
      if (!pacing) {
        pacing = true;
        refill();
        return;
      }
      while (inFlight < SETUP_CONCURRENCY && budget > 0 && !queue.isEmpty()) {
        budget--;
        Client c = queue.poll();
        inFlight++;
        attempts.merge(c, 1, Integer::sum);
        d.signIn(c, System.nanoTime());
      }
      if (queue.isEmpty() && inFlight == 0 && waitingRetry == 0) {
        done.complete(new SignIns(ok, failed, (System.nanoTime() - t0) / 1_000_000, lastError));
      }
    }

    @Override
    public void onSignedIn(Client c) {
      inFlight--;
      ok++;
      pump();
    }

    @Override
    public void onSignInFailed(Client c, String why) {
      inFlight--;
      lastError = why;
      if (attempts.get(c) < SIGN_IN_ATTEMPTS) {
        waitingRetry++;
        d.schedule(RETRY_DELAY_NANOS, () -> {
          waitingRetry--;
          queue.add(c);
          pump();
        });
      } else {
        failed++;
      }
      pump();
    }
  }

  /** Loop thread only. */
  private static final class BulkCalls implements SignallingDriver.Listener {
    final SignallingDriver d;
    final long t0 = System.nanoTime();
    final CompletableFuture<Calls> done = new CompletableFuture<>();
    final ArrayDeque<Client[]> queue;
    final List<Call> up = new ArrayList<>();
    int inFlight;
    int failed;
    int budget;
    boolean pacing;
    String lastError;

    BulkCalls(SignallingDriver d, List<Client[]> pairs) {
      this.d = d;
      this.queue = new ArrayDeque<>(pairs);
    }

    void refill() {
      budget = CALLS_PER_PACE;
      pump();
      if (!done.isDone()) {
        d.schedule(PACE_NANOS, this::refill);
      }
    }

    void pump() {
      if (!pacing) {
        pacing = true;
        refill();
        return;
      }
      while (inFlight < SETUP_CONCURRENCY && budget > 0 && !queue.isEmpty()) {
        Client[] p = queue.poll();
        if (p[0].state() != SignallingDriver.State.ONLINE || p[1].state() != SignallingDriver.State.ONLINE) {
          failed++;
          lastError = "a party is not signed in";
          continue;
        }
        budget--;
        inFlight++;
        Call call = d.call(p[0], p[1], System.nanoTime());
        d.schedule(CALL_SETUP_TIMEOUT_NANOS, () -> {
          if (call.startedNanos() == 0 && !call.finished()) {
            d.giveUp(call, "not up after " + TimeUnit.NANOSECONDS.toSeconds(CALL_SETUP_TIMEOUT_NANOS) + " s");
          }
        });
      }
      if (queue.isEmpty() && inFlight == 0) {
        done.complete(new Calls(List.copyOf(up), failed, (System.nanoTime() - t0) / 1_000_000, lastError));
      }
    }

    @Override
    public void onCallStarted(Call call) {
      inFlight--;
      up.add(call);
      pump();
    }

    @Override
    public void onCallFailed(Call call, String why) {
      if (call.startedNanos() != 0) {
        if (up.remove(call)) { // one of ours, up and dropped again
          failed++;
          lastError = why;
        }
        return;
      }
      lastError = why;
      failed++;
      inFlight--;
      pump();
    }
  }

  /**
   * Waits until no notification has arrived for {@code quietMillis} (the server's presence fan-out after a burst
   * of sign-ins or calls is over), at most {@code maxMillis}. Returns how long it waited.
   */
  static long awaitQuiet(SignallingDriver d, long quietMillis, long maxMillis) throws InterruptedException {
    long t0 = System.nanoTime();
    long quiet = TimeUnit.MILLISECONDS.toNanos(quietMillis);
    long max = TimeUnit.MILLISECONDS.toNanos(maxMillis);
    while (System.nanoTime() - t0 < max) {
      long since = System.nanoTime() - d.lastNotificationNanos();
      if (since >= quiet) {
        break;
      }
      TimeUnit.NANOSECONDS.sleep(Math.max(1_000_000, quiet - since));
    }
    return (System.nanoTime() - t0) / 1_000_000;
  }
}
