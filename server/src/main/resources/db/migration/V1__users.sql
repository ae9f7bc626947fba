-- Users and the SCRAM-SHA-256 verifier that stands in for their password (never the password itself).
-- ${id_primary_key} is the dialect's auto-increment integer key; keys are standard base64 text.
CREATE TABLE users (
  id ${id_primary_key},
  name TEXT NOT NULL,
  scram_salt TEXT NOT NULL,
  scram_iterations INTEGER NOT NULL,
  scram_stored_key TEXT NOT NULL,
  scram_server_key TEXT NOT NULL,
  last_seen_ip TEXT,
  allowed_cidr TEXT,
  created_at BIGINT NOT NULL,
  CONSTRAINT users_name_unique UNIQUE (name)
);
