package io.causerie.app;

import io.causerie.server.ServerConfig;
import io.causerie.server.store.CallRecord;
import io.causerie.server.store.Database;
import io.causerie.server.store.JdbcCallHistoryStore;
import io.causerie.server.store.StoreException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The call history, for the administrator: who called whom, when, how it ended and how it sounded. */
@Command(
    name = "calls",
    mixinStandardHelpOptions = true,
    description = "Lists recorded calls, newest first, with outcome, duration and quality.")
final class CallsCommand implements Callable<Integer> {
  /** Most rows one listing prints. */
  static final int MAX_LIMIT = 1000;

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

  @Spec CommandSpec spec;

  @Option(names = "--user", paramLabel = "NAME", description = "Only calls NAME placed or received.")
  String user;

  @Option(names = "--since", paramLabel = "WHEN",
      description = "Only calls since WHEN: a date (2026-11-24), an instant (2026-11-24T08:00:00Z) or an age (90m, 12h, 7d).")
  String since;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "At most N calls (default: 100).")
  int limit;

  @Option(names = "--json", description = "One JSON object per call instead of a table.")
  boolean json;

  @Option(names = "--db", paramLabel = "PATH|JDBC-URL", defaultValue = ServerConfig.DEFAULT_DB,
      description = "SQLite file or JDBC URL (default: ${DEFAULT-VALUE}).")
  String db;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    long sinceMillis;
    try {
      sinceMillis = parseSince(since, Instant.now());
    } catch (IllegalArgumentException e) {
      err.println("causerie calls: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      err.println("causerie calls: --limit must be 1-" + MAX_LIMIT);
      return ExitCodes.USAGE;
    }
    List<CallRecord> calls;
    try (Database d = Database.open(db)) {
      calls = new JdbcCallHistoryStore(d).query(user, sinceMillis, limit);
    } catch (StoreException e) {
      err.println("causerie calls: " + e.getMessage());
      return ExitCodes.FAILED;
    }
    if (json) {
      for (CallRecord c : calls) {
        Json j = new Json().put("started", Instant.ofEpochMilli(c.startedAtMillis()).toString())
            .put("caller", c.caller()).put("callee", c.callee()).put("outcome", c.outcome())
            .put("durationSeconds", c.durationMillis() / 1000.0);
        if (c.mos() != null) {
          j.put("mos", c.mos());
        }
        if (c.lossPercent() != null) {
          j.put("lossPercent", c.lossPercent());
        }
        out.println(j);
      }
    } else if (calls.isEmpty()) {
      out.println("no calls recorded" + (user != null ? " for " + user : "") + (since != null ? " since " + since : ""));
    } else {
      String fmt = "%-19s  %-16s  %-16s  %-14s  %9s  %4s%n";
      out.printf(Locale.ROOT, fmt, "STARTED (UTC)", "CALLER", "CALLEE", "OUTCOME", "DURATION", "MOS");
      for (CallRecord c : calls) {
        out.printf(Locale.ROOT, fmt, TIME.format(Instant.ofEpochMilli(c.startedAtMillis())), c.caller(), c.callee(),
            c.outcome(), c.answeredAtMillis() == null ? "-" : formatDuration(c.durationMillis()),
            c.mos() == null ? "-" : String.format(Locale.ROOT, "%.1f", c.mos()));
      }
    }
    out.flush();
    return ExitCodes.OK;
  }

  static String formatDuration(long millis) {
    long s = Math.round(millis / 1000.0);
    return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
  }

  /** Parses --since: a date, an instant or an age before {@code now}; null means the beginning. */
  static long parseSince(String text, Instant now) {
    if (text == null) {
      return 0;
    }
    String t = text.trim();
    try {
      if (t.matches("\\d+[smhd]")) {
        long n = Long.parseLong(t.substring(0, t.length() - 1));
        Duration d = switch (t.charAt(t.length() - 1)) {
          case 's' -> Duration.ofSeconds(n);
          case 'm' -> Duration.ofMinutes(n);
          case 'h' -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
        return now.minus(d).toEpochMilli();
      }
      if (t.length() == 10) {
        return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
      }
      return Instant.parse(t).toEpochMilli();
    } catch (DateTimeParseException | NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException("bad --since '" + text
          + "': expected a date (2026-11-24), an instant (2026-11-24T08:00:00Z) or an age (90m, 12h, 7d)");
    }
  }
}
