package io.causerie.server;

import io.causerie.server.store.CallHistoryStore;
import io.causerie.server.store.CallRecord;
import io.causerie.server.store.User;
import io.causerie.server.store.UserStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs user-store work on a small bounded pool and hands results back to the signalling thread, so a
 * slow or stalled database never blocks signalling.
 */
public final class StoreUserDirectory implements UserDirectory, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StoreUserDirectory.class);

  /** Database threads. */
  public static final int POOL_THREADS = 2;
  /** Queued database jobs beyond which new ones fail at once instead of piling up. */
  public static final int MAX_QUEUED_JOBS = 10_000;

  private final UserStore users;
  private final CallHistoryStore history;
  private final java.util.concurrent.Executor signalling;
  private final ExecutorService pool;

  public StoreUserDirectory(UserStore users, CallHistoryStore history, java.util.concurrent.Executor signalling) {
    this.users = users;
    this.history = history;
    this.signalling = signalling;
    this.pool = new ThreadPoolExecutor(POOL_THREADS, POOL_THREADS, 0, TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(MAX_QUEUED_JOBS), r -> {
          Thread t = new Thread(r, "causerie-db");
          t.setDaemon(true);
          return t;
        });
  }

  private interface Job<T> {
    T run() throws Exception;
  }

  private <T> void submit(Job<T> job, BiConsumer<T, Exception> then) {
    try {
      pool.execute(() -> {
        T result = null;
        Exception failure = null;
        try {
          result = job.run();
        } catch (Exception e) {
          failure = e;
        }
        T r = result;
        Exception f = failure;
        signalling.execute(() -> then.accept(r, f));
      });
    } catch (RejectedExecutionException e) {
      signalling.execute(() -> then.accept(null, e));
    }
  }

  @Override
  public void find(String name, BiConsumer<Optional<User>, Exception> then) {
    submit(() -> users.find(name), then);
  }

  @Override
  public void names(BiConsumer<List<String>, Exception> then) {
    submit(users::names, then);
  }

  @Override
  public void seen(String name, String ip) {
    submit(() -> {
      users.recordLastSeen(name, ip);
      return null;
    }, (r, f) -> {
      if (f != null) {
        log.warn("could not record the address of {}: {}", name, f.getMessage());
      }
    });
  }

  @Override
  public void recordCall(CallRecord call) {
    submit(() -> {
      history.record(call);
      return null;
    }, (r, f) -> {
      if (f != null) {
        log.warn("could not write call history: {}", f.getMessage());
      }
    });
  }

  /** Waits for queued writes to finish. */
  @Override
  public void close() {
    pool.shutdown();
    try {
      if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
        log.warn("database work still running at shutdown");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
