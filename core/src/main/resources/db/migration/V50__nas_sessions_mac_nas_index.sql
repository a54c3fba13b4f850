-- An Access-Accept is written with "WHERE nas_id = ? AND acct_session_id IS NULL AND mac = ?". With only
-- nas_sessions_mac and the unique (nas_id, acct_session_id) index, SQLite chose the latter and read every
-- Accept-only row of the NAS: one wireless controller with 10,000 clients cost 10,000 rows per Accept. This index
-- answers all of the MAC-keyed statements in a few rows; it starts with mac, so it replaces nas_sessions_mac.
CREATE INDEX nas_sessions_mac_nas ON nas_sessions (mac, nas_id, acct_session_id);
DROP INDEX nas_sessions_mac;
