package io.causerie.server.store;

/**
 * The rule for user names, which the signalling protocol relies on: 1 to {@value #MAX_LENGTH} characters of ASCII
 * letters, digits, {@code .}, {@code _} and {@code -}, starting with a letter or digit.
 *
 * <p>ASCII only on purpose: no look-alike letters from other scripts, no Unicode normalisation variants of one
 * name, and a name always fits the protocol's byte limit.
 */
public final class UserNames {
  /** Longest user name, in characters (and bytes, since names are ASCII). */
  public static final int MAX_LENGTH = 32;

  private UserNames() {}

  /**
   * Returns the name if it follows the rule.
   *
   * @throws IllegalArgumentException with a message saying what is wrong with it
   */
  public static String validate(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("user name must not be empty");
    }
    if (name.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "user name '" + shorten(name) + "' is " + name.length() + " characters long; the limit is " + MAX_LENGTH);
    }
    if (!isAsciiLetterOrDigit(name.charAt(0))) {
      throw new IllegalArgumentException("user name '" + printable(name) + "' must start with a letter or digit");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!isAsciiLetterOrDigit(c) && c != '.' && c != '_' && c != '-') {
        throw new IllegalArgumentException("user name '" + printable(name) + "' contains "
            + describe(c) + ": only letters a-z and A-Z, digits, '.', '_' and '-' are allowed");
      }
    }
    return name;
  }

  /** True when {@link #validate} would accept the name. */
  public static boolean isValid(String name) {
    try {
      validate(name);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static boolean isAsciiLetterOrDigit(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  private static String describe(char c) {
    if (c == ' ') {
      return "a space";
    }
    if (c < 0x20 || c == 0x7F) {
      return String.format("control character U+%04X", (int) c);
    }
    return String.format("'%c' (U+%04X)", c, (int) c);
  }

  private static String printable(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      out.append(c < 0x20 || c == 0x7F ? '?' : c);
    }
    return out.toString();
  }

  private static String shorten(String s) {
    return printable(s.length() > MAX_LENGTH ? s.substring(0, MAX_LENGTH) + "…" : s);
  }
}
