-- SQLite port of V25 (db/migration-postgresql/V25__device_row_seq.sql): the store's sequence number of each
-- device, assigned once when the device is first stored, never changed by updates; the ISE listings page by it.
-- SQLite cannot add an identity column: existing rows are numbered from their rowid, new ones by a trigger (one
-- more than the largest, an index seek on devices_row_seq).
ALTER TABLE devices ADD COLUMN row_seq INTEGER;
UPDATE devices SET row_seq = rowid;
CREATE UNIQUE INDEX devices_row_seq ON devices (row_seq);
CREATE TRIGGER devices_row_seq_assign AFTER INSERT ON devices WHEN NEW.row_seq IS NULL
BEGIN
    UPDATE devices SET row_seq = (SELECT COALESCE(MAX(row_seq), 0) + 1 FROM devices) WHERE rowid = NEW.rowid;
END;
