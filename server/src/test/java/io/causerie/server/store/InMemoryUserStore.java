package io.causerie.server.store;

import io.causerie.protocol.scram.ScramCredential;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/** A {@link UserStore} in a map, for tests of code that needs users but not a database. Thread-safe. */
public final class InMemoryUserStore implements UserStore {
  private final TreeMap<String, User> users = new TreeMap<>();
  private final Clock clock;
  private long nextId = 1;

  public InMemoryUserStore(Clock clock) {
    this.clock = clock;
  }

  public InMemoryUserStore() {
    this(Clock.systemUTC());
  }

  @Override
  public synchronized Optional<User> find(String name) {
    return Optional.ofNullable(users.get(name));
  }

  @Override
  public synchronized List<User> list() {
    return new ArrayList<>(users.values());
  }

  @Override
  public synchronized User add(String name, ScramCredential credential, String allowedCidrOrNull) {
    UserNames.validate(name);
    String cidr = allowedCidrOrNull == null ? null : Cidr.parse(allowedCidrOrNull).toString();
    if (users.containsKey(name)) {
      throw new DuplicateUserException(name);
    }
    User u = new User(nextId++, name, credential, null, cidr, clock.millis());
    users.put(name, u);
    return u;
  }

  @Override
  public synchronized boolean updateCredential(String name, ScramCredential credential) {
    User u = users.get(name);
    if (u == null) {
      return false;
    }
    users.put(name, new User(u.id(), name, credential, u.lastSeenIp(), u.allowedCidr(), u.createdAtMillis()));
    return true;
  }

  @Override
  public synchronized boolean delete(String name) {
    return users.remove(name) != null;
  }

  @Override
  public synchronized void recordLastSeen(String name, String ip) {
    User u = users.get(name);
    if (u != null) {
      users.put(name, new User(u.id(), name, u.credential(), ip, u.allowedCidr(), u.createdAtMillis()));
    }
  }
}
