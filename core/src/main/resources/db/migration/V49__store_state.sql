-- Small named values every node on the store agrees on, written in one transaction each: the MDM sync's
-- high-water mark and last full sync (so a new sync leader, or a restarted one, continues incrementally), with the
-- tenant and Graph URL they belong to. Plain SQL for SQLite and PostgreSQL (upserts use ON CONFLICT, both have it).
CREATE TABLE store_state (
    name        VARCHAR(64)   NOT NULL PRIMARY KEY,
    value       VARCHAR(1000) NOT NULL,
    updated_at  BIGINT        NOT NULL
);
