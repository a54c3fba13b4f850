-- Shared sessions (several nodes on one PostgreSQL store; harmless on the embedded store, one node):
-- owner_node is the node that recorded the session's last Access-Accept or accounting record; it sends the CoA a
-- device change calls for. coa_claims makes a CoA race-free across nodes: a node sends the CoA for (session,
-- change) only after its INSERT of that key succeeded, so two nodes never both send it; rows are pruned by age.
-- coa_nodes is each node's heartbeat (epoch ms) and the time before which it has looked at every device change
-- it received (done_at): another node takes over the CoA of a session whose owner stopped heartbeating.
-- Plain SQL for SQLite and PostgreSQL.
ALTER TABLE nas_sessions ADD COLUMN owner_node VARCHAR(64);

CREATE TABLE coa_claims (
    session_id  VARCHAR(32)  NOT NULL,
    change_key  VARCHAR(128) NOT NULL,
    node        VARCHAR(64)  NOT NULL,
    claimed_at  BIGINT       NOT NULL,
    PRIMARY KEY (session_id, change_key)
);
CREATE INDEX coa_claims_claimed_at ON coa_claims (claimed_at);

CREATE TABLE coa_nodes (
    node          VARCHAR(64) NOT NULL,
    heartbeat_at  BIGINT      NOT NULL,
    done_at       BIGINT      NOT NULL,
    PRIMARY KEY (node)
);
