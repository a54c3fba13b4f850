-- V51 (an index on the shared-mode change log's deletions) is PostgreSQL-only: the embedded store has no change log.
-- Kept as a no-op so both engines share one numbered history.
SELECT 1;
