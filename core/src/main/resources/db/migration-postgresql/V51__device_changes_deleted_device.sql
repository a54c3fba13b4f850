-- The change log's deletions by device: ComplianceStore.deletedVersions (a re-check claiming a deleted device's
-- CoA under its deletion's key) read the whole log once per page of sessions holding a deleted device. Partial:
-- only deletions are indexed, so the upserts that make up nearly all of the log cost no index entry.
CREATE INDEX device_changes_deleted_device ON device_changes (device_id, seq) WHERE deleted;
