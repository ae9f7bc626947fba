package io.causerie.server.store;

import java.util.List;

/** The log of finished calls. Implementations block on I/O and may throw {@link StoreException}. */
public interface CallHistoryStore {
  /** Most rows one query returns. */
  int MAX_QUERY_ROWS = 1000;

  /** Appends a finished call; its {@code id} is ignored and assigned by the store. */
  void record(CallRecord call);

  /**
   * Calls started at or after {@code sinceMillis}, newest first.
   *
   * @param userOrNull only calls this user made or received; null for everyone's
   * @param limit 1..{@link #MAX_QUERY_ROWS}
   */
  List<CallRecord> query(String userOrNull, long sinceMillis, int limit);
}
