-- One row per finished call. Names are copied rather than referenced so history outlives deleted users.
-- Times are epoch milliseconds; the quality columns stay NULL until the media layer reports them.
CREATE TABLE call_history (
  id ${id_primary_key},
  caller TEXT NOT NULL,
  callee TEXT NOT NULL,
  started_at BIGINT NOT NULL,
  answered_at BIGINT,
  ended_at BIGINT NOT NULL,
  outcome TEXT NOT NULL,
  duration_millis BIGINT NOT NULL,
  loss_pct DOUBLE PRECISION,
  jitter_ms DOUBLE PRECISION,
  rtt_ms DOUBLE PRECISION,
  mos DOUBLE PRECISION
);
CREATE INDEX call_history_started_at ON call_history (started_at);
CREATE INDEX call_history_caller ON call_history (caller, started_at);
CREATE INDEX call_history_callee ON call_history (callee, started_at);
