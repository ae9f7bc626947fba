package io.causerie.server.store;

import io.causerie.protocol.scram.ScramCredential;
import java.util.List;
import java.util.Optional;

/**
 * The accounts that may sign in. Implementations block on I/O: call them off the signalling thread. Every method
 * may throw {@link StoreException} when the database fails.
 */
public interface UserStore {
  /** The user with exactly this name, if any. */
  Optional<User> find(String name);

  /** All users, ordered by name. */
  List<User> list();

  /** Every user name, in name order: what presence needs, without reading credentials. */
  default List<String> names() {
    return list().stream().map(User::name).toList();
  }

  /**
   * Adds a user.
   *
   * @param allowedCidrOrNull the address range the user may sign in from, e.g. {@code 192.168.10.0/24}; null for any
   * @throws IllegalArgumentException for a name {@link UserNames#validate} rejects or a range {@link Cidr#parse} rejects
   * @throws DuplicateUserException when the name is taken
   */
  User add(String name, ScramCredential credential, String allowedCidrOrNull);

  /** Replaces a user's credential; false when there is no such user. */
  boolean updateCredential(String name, ScramCredential credential);

  /** Deletes a user; false when there is no such user. Their call history stays. */
  boolean delete(String name);

  /** Remembers the address a user last signed in from; does nothing for an unknown name. */
  void recordLastSeen(String name, String ip);

  /** {@link #recordLastSeen} for several users (name to address), in one transaction where the store can. */
  default void recordLastSeen(java.util.Map<String, String> seen) {
    seen.forEach(this::recordLastSeen);
  }
}
