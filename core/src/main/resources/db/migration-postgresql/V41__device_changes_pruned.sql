-- Shared mode: how far the change log has been pruned. A node whose last applied change is below this mark
-- missed changes that no longer exist in the log and reloads every device instead (ChangeLogFollower). A plain
-- gap in the sequence (a transaction still committing, or rolled back) is not a reason to reload.
CREATE TABLE device_changes_pruned (
    id   INT    PRIMARY KEY CHECK (id = 1),
    upto BIGINT NOT NULL
);
INSERT INTO device_changes_pruned (id, upto) VALUES (1, 0);
