-- How the NAS of a session reached nacgw: 'udp' or 'radsec' (RADIUS over TLS); a CoA for a RadSec session goes
-- back over the NAS's TLS connection (RFC 6614 §2.5). NULL in rows written before: UDP.
-- Plain SQL for SQLite and PostgreSQL.
ALTER TABLE nas_sessions ADD COLUMN transport VARCHAR(8);
