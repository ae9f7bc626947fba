package io.causerie.protocol.scram;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** The attribute syntax of RFC 5802 §5.1 and §7: comma-separated {@code a=value} pairs, saslname escaping, nonces. */
final class ScramSyntax {
  private ScramSyntax() {}

  /** Rejects a message over {@link ScramLimits#MAX_MESSAGE_BYTES} before anything else looks at it. */
  static void checkSize(String message, String what) throws ScramException {
    if (message == null) {
      throw new ScramException(what + " is missing");
    }
    // UTF-8 never takes fewer bytes than UTF-16 code units, so the char count is a cheap first bound.
    if (message.length() > ScramLimits.MAX_MESSAGE_BYTES
        || message.getBytes(StandardCharsets.UTF_8).length > ScramLimits.MAX_MESSAGE_BYTES) {
      throw new ScramException(what + " exceeds " + ScramLimits.MAX_MESSAGE_BYTES + " bytes");
    }
  }

  /** Splits on every comma, keeping empty fields (a SCRAM value never contains a raw comma). */
  static List<String> split(String message) {
    List<String> parts = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < message.length(); i++) {
      if (message.charAt(i) == ',') {
        parts.add(message.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(message.substring(start));
    return parts;
  }

  /** True when the field is an attribute {@code a=...} with the given name. */
  static boolean is(String field, char name) {
    return field.length() >= 2 && field.charAt(0) == name && field.charAt(1) == '=';
  }

  /** The value of an attribute that must be present at this position, or a clear error. */
  static String attribute(List<String> parts, int index, char name, String what) throws ScramException {
    if (index >= parts.size() || !is(parts.get(index), name)) {
      throw new ScramException(what + ": expected attribute '" + name + "=' at position " + (index + 1));
    }
    return parts.get(index).substring(2);
  }

  /** Checks that fields from {@code from} on are well-formed extensions ({@code x=...}), which are then ignored. */
  static void checkExtensions(List<String> parts, int from, String what) throws ScramException {
    for (int i = from; i < parts.size(); i++) {
      String f = parts.get(i);
      if (f.length() < 2 || !isAttributeName(f.charAt(0)) || f.charAt(1) != '=') {
        throw new ScramException(what + ": malformed attribute at position " + (i + 1));
      }
    }
  }

  static boolean isAttributeName(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  /** RFC 5802 §5.1 saslname: {@code =} becomes {@code =3D}, {@code ,} becomes {@code =2C}. */
  static String escapeUsername(String username) {
    return username.replace("=", "=3D").replace(",", "=2C");
  }

  /** Reverses {@link #escapeUsername}, rejecting any other {@code =} sequence, NUL, and over-long names. */
  static String unescapeUsername(String saslname) throws ScramException {
    StringBuilder out = new StringBuilder(saslname.length());
    for (int i = 0; i < saslname.length(); i++) {
      char c = saslname.charAt(i);
      if (c == '=') {
        if (saslname.startsWith("=2C", i)) {
          out.append(',');
        } else if (saslname.startsWith("=3D", i)) {
          out.append('=');
        } else {
          throw new ScramException("user name has a bad escape: only =2C and =3D are allowed");
        }
        i += 2;
      } else if (c == '\0') {
        throw new ScramException("user name contains NUL");
      } else {
        out.append(c);
      }
    }
    String name = out.toString();
    checkUsername(name);
    return name;
  }

  static void checkUsername(String name) throws ScramException {
    if (name.isEmpty()) {
      throw new ScramException("user name is empty");
    }
    if (name.getBytes(StandardCharsets.UTF_8).length > ScramLimits.MAX_USERNAME_BYTES) {
      throw new ScramException("user name exceeds " + ScramLimits.MAX_USERNAME_BYTES + " UTF-8 bytes");
    }
  }

  /** RFC 5802 §7 printable: %x21-2B / %x2D-7E, i.e. visible ASCII without the comma. */
  static boolean isPrintable(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x21 || c > 0x7E || c == ',') {
        return false;
      }
    }
    return true;
  }

  static byte[] base64(String value, String what) throws ScramException {
    try {
      return Base64.getDecoder().decode(value);
    } catch (IllegalArgumentException e) {
      throw new ScramException(what + " is not valid base64");
    }
  }

  static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }
}
