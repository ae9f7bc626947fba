package io.causerie.server.store;

/** Thrown when adding a user whose name is already taken. */
public final class DuplicateUserException extends StoreException {
  private static final long serialVersionUID = 1L;

  private final String name;

  public DuplicateUserException(String name) {
    super("user '" + name + "' already exists");
    this.name = name;
  }

  public String name() {
    return name;
  }
}
