-- The answer each session was authorised with: Decision.answerHash() of its last Access-Accept (verdict and the
-- response attributes the NAS got). The CoA trigger sends a CoA only when a re-evaluated decision differs from it,
-- for device changes and policy reloads alike. NULL for sessions known from accounting only, or recorded before.
-- Plain SQL for SQLite and PostgreSQL.
ALTER TABLE nas_sessions ADD COLUMN answer_hash BIGINT;
