package io.causerie.app;

import java.time.Instant;

/** Builds one JSON object on one line, for the headless client's event stream. */
final class Json {
  private final StringBuilder sb = new StringBuilder("{");

  Json() {}

  /** Starts an event object: {@code {"event":NAME,"ts":ISO-8601,...}}. */
  static Json event(String name) {
    return new Json().put("event", name).put("ts", Instant.now().toString());
  }

  Json put(String key, String value) {
    comma();
    string(key);
    sb.append(':');
    if (value == null) {
      sb.append("null");
    } else {
      string(value);
    }
    return this;
  }

  Json put(String key, long value) {
    comma();
    string(key);
    sb.append(':').append(value);
    return this;
  }

  Json put(String key, double value) {
    comma();
    string(key);
    sb.append(':').append(Double.isFinite(value) ? String.format(java.util.Locale.ROOT, "%.3f", value) : "null");
    return this;
  }

  Json put(String key, boolean value) {
    comma();
    string(key);
    sb.append(':').append(value);
    return this;
  }

  private void comma() {
    if (sb.length() > 1) {
      sb.append(',');
    }
  }

  private void string(String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  @Override
  public String toString() {
    return sb + "}";
  }
}
