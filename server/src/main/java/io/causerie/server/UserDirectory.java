package io.causerie.server;

import io.causerie.server.store.CallRecord;
import io.causerie.server.store.User;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The user database as the signalling core sees it: every call is asynchronous and its callback runs
 * on the signalling thread, so a slow database never stalls signalling.
 */
public interface UserDirectory {
  /** Looks a user up; the callback gets the user (or empty) and null, or null and the failure. */
  void find(String name, BiConsumer<Optional<User>, Exception> then);

  /** All user names, for presence snapshots. */
  void names(BiConsumer<List<String>, Exception> then);

  /** Records the address a user signed in from (fire and forget). */
  void seen(String name, String ip);

  /** Appends a finished call to the history (fire and forget). */
  void recordCall(CallRecord call);
}
