-- V41 (how far the shared-mode change log was pruned) is PostgreSQL-only: the embedded store is single-node. Kept
-- as a no-op so both engines share one numbered history.
SELECT 1;
