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
  /** First wait before a call-history write that failed (database locked, read-only, down) is tried again. */
  public static final long HISTORY_RETRY_FIRST_MILLIS = 5_000;
  /** Longest wait between two tries of the same history row (the wait doubles up to it). */
  public static final long HISTORY_RETRY_MAX_MILLIS = 60_000;
  /** How long a history row is kept trying before it is given up (and logged as lost). */
  public static final long HISTORY_RETRY_GIVE_UP_MILLIS = 30 * 60_000;
  /** History rows waiting for the database at most; beyond it the new row is logged as lost at once. */
  public static final int MAX_UNWRITTEN_HISTORY = 1_000;

  /**
   * How long a read of every user name serves presence snapshots: one query per sign-in read the whole user table
   * (600 rows at 1,000 sign-ins/s in the bench). A user added meanwhile shows in others' snapshots this much later
   * (in their own at once: the signalling core adds whoever is signed in).
   */
  public static final long NAMES_MAX_AGE_NANOS = 1_000_000_000L;

  /** A list of every user name and when it was read. */
  private record Names(List<String> names, long readNanos) {}

  private final UserStore users;
  /** The latest list read; written on a database thread, read on the signalling thread. */
  private volatile Names names;
  private final Object seenLock = new Object();
  /** Addresses to write, by user; guarded by seenLock. */
  private final java.util.Map<String, String> pendingSeen = new java.util.LinkedHashMap<>();
  /** A write of pendingSeen is queued and has not yet taken them; guarded by seenLock. */
  private boolean seenWriteQueued;
  private final java.util.function.LongSupplier nanoClock;
  private final CallHistoryStore history;
  private final java.util.concurrent.Executor signalling;
  private final ExecutorService pool;
  private final java.util.concurrent.ScheduledExecutorService retries =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "causerie-db-retry");
        t.setDaemon(true);
        return t;
      });
  private final java.util.concurrent.atomic.AtomicInteger unwritten = new java.util.concurrent.atomic.AtomicInteger();
  private final long historyRetryFirstMillis;

  public StoreUserDirectory(UserStore users, CallHistoryStore history, java.util.concurrent.Executor signalling) {
    this(users, history, signalling, System::nanoTime);
  }

  /** @param nanoClock the time the names list's age is measured in (a fake in tests) */
  public StoreUserDirectory(UserStore users, CallHistoryStore history, java.util.concurrent.Executor signalling,
      java.util.function.LongSupplier nanoClock) {
    this(users, history, signalling, nanoClock, HISTORY_RETRY_FIRST_MILLIS);
  }

  /** As above, with the first retry of a failed history write after {@code historyRetryFirstMillis} (tests). */
  StoreUserDirectory(UserStore users, CallHistoryStore history, java.util.concurrent.Executor signalling,
      long historyRetryFirstMillis) {
    this(users, history, signalling, System::nanoTime, historyRetryFirstMillis);
  }

  private StoreUserDirectory(UserStore users, CallHistoryStore history, java.util.concurrent.Executor signalling,
      java.util.function.LongSupplier nanoClock, long historyRetryFirstMillis) {
    this.nanoClock = nanoClock;
    this.historyRetryFirstMillis = historyRetryFirstMillis;
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
    Names n = names;
    if (n != null && nanoClock.getAsLong() - n.readNanos() < NAMES_MAX_AGE_NANOS) {
      signalling.execute(() -> then.accept(n.names(), null));
      return;
    }
    submit(() -> {
      long at = nanoClock.getAsLong();
      List<String> read = List.copyOf(users.names());
      names = new Names(read, at);
      return read;
    }, then);
  }

  /**
   * Queues the write; the addresses seen while a write is queued or running go together in the next one, one
   * transaction for all (at 1,000 sign-ins/s, one transaction per sign-in kept a database thread busy).
   */
  @Override
  public void seen(String name, String ip) {
    boolean start;
    synchronized (seenLock) {
      pendingSeen.put(name, ip);
      start = !seenWriteQueued;
      seenWriteQueued = true;
    }
    if (start) {
      submit(() -> {
        java.util.Map<String, String> batch;
        synchronized (seenLock) {
          batch = new java.util.LinkedHashMap<>(pendingSeen);
          pendingSeen.clear();
          seenWriteQueued = false;
        }
        users.recordLastSeen(batch);
        return batch.size();
      }, (r, f) -> {
        if (f != null) {
          log.warn("could not record where users signed in from: {}", f.getMessage());
          synchronized (seenLock) {
            seenWriteQueued = false; // refused before it ran (queue full): the next sign-in queues one again
          }
        }
      });
    }
  }

  @Override
  public void recordCall(CallRecord call) {
    writeHistory(call, 0, 0);
  }

  /**
   * Writes a finished call, and if the database refuses (locked, read-only, unreachable) keeps the row and tries
   * again later, the wait doubling from {@link #HISTORY_RETRY_FIRST_MILLIS} to {@link #HISTORY_RETRY_MAX_MILLIS},
   * for up to {@link #HISTORY_RETRY_GIVE_UP_MILLIS}: a database that is briefly unwritable loses no history.
   */
  private void writeHistory(CallRecord call, int failures, long waitedMillis) {
    submit(() -> {
      history.record(call);
      return null;
    }, (r, f) -> {
      if (f == null) {
        if (failures > 0) {
          unwritten.decrementAndGet();
          log.info("call history of {} -> {} written after {} failed tries", call.caller(), call.callee(), failures);
        }
        return;
      }
      if (failures == 0 && unwritten.incrementAndGet() > MAX_UNWRITTEN_HISTORY) {
        unwritten.decrementAndGet();
        log.warn("could not write call history ({} rows already waiting; this one is lost): {}",
            MAX_UNWRITTEN_HISTORY, f.getMessage());
        return;
      }
      long wait = Math.min(HISTORY_RETRY_MAX_MILLIS, historyRetryFirstMillis << Math.min(failures, 20));
      if (waitedMillis + wait > HISTORY_RETRY_GIVE_UP_MILLIS || pool.isShutdown()) {
        unwritten.decrementAndGet();
        log.warn("could not write call history of {} -> {} after {} tries; it is lost: {}", call.caller(), call.callee(),
            failures + 1, f.getMessage());
        return;
      }
      log.warn("could not write call history: {}; trying again in {} s", f.getMessage(), wait / 1000.0);
      try {
        retries.schedule(() -> writeHistory(call, failures + 1, waitedMillis + wait), wait, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException closed) {
        unwritten.decrementAndGet();
      }
    });
  }

  /** History rows that failed to be written and wait to be tried again. */
  public int unwrittenHistory() {
    return unwritten.get();
  }

  /** Waits for queued writes to finish. */
  @Override
  public void close() {
    int waiting = unwritten.get();
    if (waiting > 0) {
      log.warn("{} call history rows could not be written before shutdown and are lost", waiting);
    }
    retries.shutdownNow();
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
