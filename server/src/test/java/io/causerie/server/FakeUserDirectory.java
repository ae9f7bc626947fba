package io.causerie.server;

import io.causerie.protocol.scram.ScramCredential;
import io.causerie.server.store.CallRecord;
import io.causerie.server.store.User;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/** An in-memory user directory that answers at once, on the caller's thread. */
final class FakeUserDirectory implements UserDirectory {
  /** Cheap iterations: tests need the protocol, not the key stretching. */
  static final int TEST_ITERATIONS = 4096;

  final Map<String, User> users = new TreeMap<>();
  final List<CallRecord> history = new ArrayList<>();
  final Map<String, String> lastSeen = new TreeMap<>();
  boolean failing;

  FakeUserDirectory add(String name, String password) {
    return add(name, password, null);
  }

  FakeUserDirectory add(String name, String password, String cidr) {
    ScramCredential c = ScramCredential.generate(password.toCharArray(), TEST_ITERATIONS, new SecureRandom());
    users.put(name, new User(users.size() + 1, name, c, null, cidr, 0));
    return this;
  }

  @Override
  public void find(String name, BiConsumer<Optional<User>, Exception> then) {
    if (failing) {
      then.accept(null, new IllegalStateException("database down"));
    } else {
      then.accept(Optional.ofNullable(users.get(name)), null);
    }
  }

  @Override
  public void names(BiConsumer<List<String>, Exception> then) {
    then.accept(List.copyOf(users.keySet()), null);
  }

  @Override
  public void seen(String name, String ip) {
    lastSeen.put(name, ip);
  }

  @Override
  public void recordCall(CallRecord call) {
    history.add(call);
  }
}
