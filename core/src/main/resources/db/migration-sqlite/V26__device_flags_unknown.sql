-- SQLite port of V26 (db/migration-postgresql/V26__device_flags_unknown.sql): jailbroken and encrypted may be
-- unknown (NULL). SQLite cannot drop a NOT NULL constraint; each column is replaced by a nullable one with the
-- same values (the store names its columns, so their order does not matter).
ALTER TABLE devices RENAME COLUMN jailbroken TO jailbroken_v25;
ALTER TABLE devices ADD COLUMN jailbroken BOOLEAN;
UPDATE devices SET jailbroken = jailbroken_v25;
ALTER TABLE devices DROP COLUMN jailbroken_v25;
ALTER TABLE devices RENAME COLUMN encrypted TO encrypted_v25;
ALTER TABLE devices ADD COLUMN encrypted BOOLEAN;
UPDATE devices SET encrypted = encrypted_v25;
ALTER TABLE devices DROP COLUMN encrypted_v25;
