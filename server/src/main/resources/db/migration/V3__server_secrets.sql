-- Secrets the server keeps across restarts, e.g. the key that derives SCRAM parameters for unknown user
-- names, so that they stay the same after a restart just as a real user's do. Values are base64.
CREATE TABLE server_secrets (
  name TEXT PRIMARY KEY,
  secret TEXT NOT NULL
);
