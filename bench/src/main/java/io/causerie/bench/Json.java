package io.causerie.bench;

import java.util.List;
import java.util.Locale;

/** Builds one JSON object: the machine-readable form of a bench report (no dependency needed). */
public final class Json {
  private final StringBuilder sb = new StringBuilder("{");
  private boolean empty = true;

  public static Json object() {
    return new Json();
  }

  public Json put(String key, String value) {
    key(key);
    if (value == null) {
      sb.append("null");
    } else {
      string(sb, value);
    }
    return this;
  }

  public Json put(String key, long value) {
    key(key);
    sb.append(value);
    return this;
  }

  /** Finite doubles with up to 3 decimals; NaN and infinities as null. */
  public Json put(String key, double value) {
    key(key);
    sb.append(number(value));
    return this;
  }

  public Json put(String key, boolean value) {
    key(key);
    sb.append(value);
    return this;
  }

  public Json put(String key, Json value) {
    key(key);
    sb.append(value == null ? "null" : value.toString());
    return this;
  }

  public Json putObjects(String key, List<Json> values) {
    key(key);
    sb.append('[');
    for (int i = 0; i < values.size(); i++) {
      sb.append(i == 0 ? "" : ",").append(values.get(i));
    }
    sb.append(']');
    return this;
  }

  public Json putLongs(String key, List<Long> values) {
    key(key);
    sb.append('[');
    for (int i = 0; i < values.size(); i++) {
      sb.append(i == 0 ? "" : ",").append(values.get(i).longValue());
    }
    sb.append(']');
    return this;
  }

  private void key(String key) {
    if (!empty) {
      sb.append(',');
    }
    empty = false;
    string(sb, key);
    sb.append(':');
  }

  static String number(double v) {
    if (!Double.isFinite(v)) {
      return "null";
    }
    String s = String.format(Locale.ROOT, "%.3f", v);
    if (s.indexOf('.') >= 0) {
      int end = s.length();
      while (s.charAt(end - 1) == '0') {
        end--;
      }
      if (s.charAt(end - 1) == '.') {
        end--;
      }
      s = s.substring(0, end);
    }
    return s.equals("-0") ? "0" : s;
  }

  static void string(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  @Override
  public String toString() {
    return sb + "}";
  }
}
