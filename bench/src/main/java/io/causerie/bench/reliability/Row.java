package io.causerie.bench.reliability;

import io.causerie.bench.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row of the reliability table: what was run, its target, the measured figures, and whether the target was met.
 *
 * @param name short name (for {@code --only})
 * @param target the target, in words
 * @param measured the measured figures, in words
 * @param pass whether every target of the row was met
 * @param seconds how long the row took
 * @param details the figures one by one (numbers or strings), for JSON and for reading failures
 */
public record Row(String name, String target, String measured, boolean pass, double seconds,
    Map<String, Object> details) {
  public Row {
    details = new LinkedHashMap<>(details);
  }

  /** A row that could not run at all (set-up failed): a failure with the reason. */
  public static Row error(String name, String target, Throwable e, double seconds) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("error", e.toString());
    return new Row(name, target, "error: " + e.getMessage(), false, seconds, d);
  }

  public Json toJson() {
    Json d = Json.object();
    details.forEach((k, v) -> {
      if (v instanceof Number n && (v instanceof Integer || v instanceof Long)) {
        d.put(k, n.longValue());
      } else if (v instanceof Number n) {
        d.put(k, n.doubleValue());
      } else if (v instanceof Boolean b) {
        d.put(k, b);
      } else {
        d.put(k, String.valueOf(v));
      }
    });
    return Json.object().put("name", name).put("target", target).put("measured", measured).put("pass", pass)
        .put("seconds", seconds).put("details", d);
  }
}
