-- V40 (shared mode change log) is PostgreSQL-only: the embedded store is single-node. Kept as a no-op so both
-- engines share one numbered history.
SELECT 1;
