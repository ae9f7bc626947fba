package io.causerie.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/** The {@link CallHistoryStore} over JDBC, for SQLite and PostgreSQL alike. */
public final class JdbcCallHistoryStore implements CallHistoryStore {
  private static final String COLUMNS = "id, caller, callee, started_at, answered_at, ended_at, outcome,"
      + " duration_millis, loss_pct, jitter_ms, rtt_ms, mos";

  private final Database db;

  public JdbcCallHistoryStore(Database db) {
    this.db = db;
  }

  @Override
  public void record(CallRecord call) {
    try (Connection c = db.connection();
        PreparedStatement p = c.prepareStatement("INSERT INTO call_history (caller, callee, started_at, answered_at,"
            + " ended_at, outcome, duration_millis, loss_pct, jitter_ms, rtt_ms, mos)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      p.setString(1, call.caller());
      p.setString(2, call.callee());
      p.setLong(3, call.startedAtMillis());
      setLong(p, 4, call.answeredAtMillis());
      p.setLong(5, call.endedAtMillis());
      p.setString(6, call.outcome());
      p.setLong(7, call.durationMillis());
      setDouble(p, 8, call.lossPercent());
      setDouble(p, 9, call.jitterMillis());
      setDouble(p, 10, call.rttMillis());
      setDouble(p, 11, call.mos());
      p.executeUpdate();
    } catch (SQLException e) {
      throw db.failure("record a call from '" + call.caller() + "' to '" + call.callee() + "'", e);
    }
  }

  @Override
  public List<CallRecord> query(String userOrNull, long sinceMillis, int limit) {
    if (limit < 1 || limit > MAX_QUERY_ROWS) {
      throw new IllegalArgumentException("limit must be 1.." + MAX_QUERY_ROWS + ", got " + limit);
    }
    String sql = "SELECT " + COLUMNS + " FROM call_history WHERE started_at >= ?"
        + (userOrNull == null ? "" : " AND (caller = ? OR callee = ?)")
        + " ORDER BY started_at DESC, id DESC LIMIT ?";
    try (Connection c = db.connection();
        PreparedStatement p = c.prepareStatement(sql)) {
      int i = 1;
      p.setLong(i++, sinceMillis);
      if (userOrNull != null) {
        p.setString(i++, userOrNull);
        p.setString(i++, userOrNull);
      }
      p.setInt(i, limit);
      List<CallRecord> out = new ArrayList<>();
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          out.add(new CallRecord(r.getLong("id"), r.getString("caller"), r.getString("callee"),
              r.getLong("started_at"), getLong(r, "answered_at"), r.getLong("ended_at"), r.getString("outcome"),
              r.getLong("duration_millis"), getDouble(r, "loss_pct"), getDouble(r, "jitter_ms"),
              getDouble(r, "rtt_ms"), getDouble(r, "mos")));
        }
      }
      return out;
    } catch (SQLException e) {
      throw db.failure("query the call history", e);
    }
  }

  private static void setLong(PreparedStatement p, int i, Long v) throws SQLException {
    if (v == null) {
      p.setNull(i, Types.BIGINT);
    } else {
      p.setLong(i, v);
    }
  }

  private static void setDouble(PreparedStatement p, int i, Double v) throws SQLException {
    if (v == null) {
      p.setNull(i, Types.DOUBLE);
    } else {
      p.setDouble(i, v);
    }
  }

  private static Long getLong(ResultSet r, String column) throws SQLException {
    long v = r.getLong(column);
    return r.wasNull() ? null : v;
  }

  private static Double getDouble(ResultSet r, String column) throws SQLException {
    double v = r.getDouble(column);
    return r.wasNull() ? null : v;
  }
}
