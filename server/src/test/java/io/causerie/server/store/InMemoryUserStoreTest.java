package io.causerie.server.store;

/** The test fake keeps the same contract as the real stores. */
class InMemoryUserStoreTest extends UserStoreContract {
  private final InMemoryUserStore store = new InMemoryUserStore(CLOCK);

  @Override
  UserStore store() {
    return store;
  }
}
