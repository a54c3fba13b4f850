-- SQLite port of V25 (db/migration-postgresql/V25__device_row_seq.sql): the store's sequence number of each
-- device, assigned once when the device is first stored, never changed by updates and never reused; the ISE
-- listings page by it. SQLite cannot add an identity column: existing rows are numbered from their rowid, new ones
-- by a trigger from a one-row counter (so a number freed by a delete is not given out again).
ALTER TABLE devices ADD COLUMN row_seq INTEGER;
UPDATE devices SET row_seq = rowid;
CREATE UNIQUE INDEX devices_row_seq ON devices (row_seq);
CREATE TABLE devices_row_seq_last (n INTEGER NOT NULL);
INSERT INTO devices_row_seq_last (n) SELECT COALESCE(MAX(row_seq), 0) FROM devices;
CREATE TRIGGER devices_row_seq_assign AFTER INSERT ON devices WHEN NEW.row_seq IS NULL
BEGIN
    UPDATE devices_row_seq_last SET n = n + 1;
    UPDATE devices SET row_seq = (SELECT n FROM devices_row_seq_last) WHERE rowid = NEW.rowid;
END;
