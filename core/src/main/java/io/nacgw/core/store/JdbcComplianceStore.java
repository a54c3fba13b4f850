package io.nacgw.core.store;

import io.nacgw.core.device.ComplianceState;
import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.device.ManagementState;
import io.nacgw.core.device.Ownership;
import io.nacgw.core.device.Platform;
import io.nacgw.core.device.ThreatLevel;
import io.nacgw.core.id.DeviceGuid;
import io.nacgw.core.id.DeviceIdentifier;
import io.nacgw.core.id.IdentifierKind;
import io.nacgw.core.id.Imei;
import io.nacgw.core.id.MacAddress;
import io.nacgw.core.id.Meid;
import io.nacgw.core.id.SerialNumber;
import io.nacgw.core.id.Udid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/** {@link ComplianceStore} over JDBC (embedded SQLite or PostgreSQL) with a HikariCP pool; the same portable SQL for both. */
final class JdbcComplianceStore implements ComplianceStore {
    private static final Logger log = LoggerFactory.getLogger(JdbcComplianceStore.class);
    /** Rows per transaction: large enough to amortise a commit, small enough for IN lists (SQLite allows 32766 parameters). */
    private static final int CHUNK = 5_000;
    private static final int INSERT_RACE_RETRIES = 5;
    private static final String COLUMNS = "device_id, entra_id, device_name, upn, platform, os_version, model, "
            + "manufacturer, ownership, management_state, compliance_state, grace_expiry, policy_assigned, "
            + "threat_level, jailbroken, encrypted, last_check_in, macs, serial, imei, meid, udid, mdm_modified, stored_at";
    private static final String INSERT = "INSERT INTO devices (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
    private static final String UPDATE = "UPDATE devices SET entra_id=?, device_name=?, upn=?, platform=?, os_version=?, "
            + "model=?, manufacturer=?, ownership=?, management_state=?, compliance_state=?, grace_expiry=?, "
            + "policy_assigned=?, threat_level=?, jailbroken=?, encrypted=?, last_check_in=?, macs=?, serial=?, imei=?, "
            + "meid=?, udid=?, mdm_modified=?, stored_at=? WHERE device_id=? AND mdm_modified < ?";
    /** Column 25: the store sequence (an identity column, so INSERT and UPDATE never name it). */
    private static final String SELECT = "SELECT " + COLUMNS + ", row_seq FROM devices";
    /** The threads of {@link #forEachBatch} beyond the caller's. */
    private static final java.util.concurrent.ThreadFactory SCAN_THREADS =
            io.nacgw.core.concurrent.DaemonThreads.numbered("nacgw-store-scan");

    private final StoreDatabase db;
    private final StoreEngine engine;
    /** SQLite has one writer at a time: writers of this process queue here instead of in SQLite's busy handler. */
    private final ReentrantLock sqliteWriter = new ReentrantLock(true);

    /** The connections this store's share of the pool holds: no more parts of a scan than that run at once. */
    private final int connections;

    private JdbcComplianceStore(StoreDatabase db, int connections) {
        this.db = db;
        this.engine = db.engine();
        this.connections = connections;
    }

    static JdbcComplianceStore open(StoreSettings s) {
        StoreDatabase db = StoreDatabase.open(s, "devices", s.maxPoolSize());
        log.info("store open: {} ({}{})", db.description(), db.engine(),
                db.engine() == StoreEngine.SQLITE ? ", WAL, synchronous=" + s.sync() : "");
        return new JdbcComplianceStore(db, s.maxPoolSize());
    }

    @Override
    public List<Upserted> upsertAllSequenced(List<DeviceRecord> records) {
        db.ensureUp();
        List<Upserted> out = new ArrayList<>(records.size());
        for (int from = 0; from < records.size(); from += CHUNK) {
            List<DeviceRecord> chunk = records.subList(from, Math.min(records.size(), from + CHUNK));
            out.addAll(upsertChunkWithRetry(chunk));
        }
        return out;
    }

    private List<Upserted> upsertChunkWithRetry(List<DeviceRecord> chunk) {
        for (int attempt = 1; ; attempt++) {
            try {
                return upsertChunk(chunk);
            } catch (SQLException e) {
                // two writers inserting the same new device: the loser retries and now sees the row
                boolean duplicate = engine.isDuplicateKey(e);
                if (!duplicate || attempt >= INSERT_RACE_RETRIES) {
                    throw db.failed("upsert of " + chunk.size() + " devices", e);
                }
            }
        }
    }

    private List<Upserted> upsertChunk(List<DeviceRecord> chunk) throws SQLException {
        // within one chunk, the newest record of each device wins; older duplicates are stale
        Map<UUID, Integer> newest = new HashMap<>();
        UpsertOutcome[] outcome = new UpsertOutcome[chunk.size()];
        for (int i = 0; i < chunk.size(); i++) {
            UUID id = chunk.get(i).deviceId().uuid();
            Integer prev = newest.get(id);
            if (prev == null) {
                newest.put(id, i);
            } else if (chunk.get(i).lastModifiedEpochMilli() > chunk.get(prev).lastModifiedEpochMilli()) {
                outcome[prev] = UpsertOutcome.STALE;
                newest.put(id, i);
            } else {
                outcome[i] = UpsertOutcome.STALE;
            }
        }
        return serialisedWrite(() -> writeChunk(chunk, newest, outcome));
    }

    /** Writes the newest record of each device in {@code chunk} ({@code newest}) in one transaction. */
    private List<Upserted> writeChunk(List<DeviceRecord> chunk, Map<UUID, Integer> newest, UpsertOutcome[] outcome)
            throws SQLException {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                Map<UUID, Long> stored = storedVersions(c, newest.keySet());
                List<Integer> updates = new ArrayList<>();
                List<Integer> inserts = new ArrayList<>();
                for (int i : newest.values()) {
                    DeviceRecord r = chunk.get(i);
                    Long version = stored.get(r.deviceId().uuid());
                    if (version == null) {
                        inserts.add(i);
                    } else if (version < r.lastModifiedEpochMilli()) {
                        updates.add(i);
                    } else {
                        outcome[i] = UpsertOutcome.STALE;
                    }
                }
                long now = System.currentTimeMillis();
                if (!updates.isEmpty()) {
                    try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
                        for (int i : updates) {
                            bindUpdate(ps, chunk.get(i), now);
                            ps.addBatch();
                        }
                        int[] counts = ps.executeBatch();
                        for (int k = 0; k < counts.length; k++) {
                            // 0 rows: a newer version was committed meanwhile
                            outcome[updates.get(k)] = counts[k] == 0 ? UpsertOutcome.STALE : UpsertOutcome.UPDATED;
                        }
                    }
                }
                if (!inserts.isEmpty()) {
                    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                        for (int i : inserts) {
                            bindInsert(ps, chunk.get(i), now);
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                    for (int i : inserts) {
                        outcome[i] = UpsertOutcome.INSERTED;
                    }
                }
                List<Integer> updated = new ArrayList<>(updates.size());
                for (int i : updates) {
                    if (outcome[i] == UpsertOutcome.UPDATED) {
                        updated.add(i);
                    }
                }
                writeMacs(c, chunk, updated, inserts);
                List<Integer> applied = new ArrayList<>(updated);
                applied.addAll(inserts);
                Map<UUID, Long> sequences = sequences(c, chunk, applied);
                c.commit();
                List<Upserted> out = new ArrayList<>(chunk.size());
                for (int i = 0; i < chunk.size(); i++) {
                    Long seq = outcome[i].applied() ? sequences.get(chunk.get(i).deviceId().uuid()) : null;
                    out.add(new Upserted(outcome[i], seq == null ? 0 : seq));
                }
                return out;
            } catch (SQLException | RuntimeException e) {
                rollback(c, e);
                throw e;
            }
        }
    }

    /** Store work that may fail with an {@link SQLException}. */
    @FunctionalInterface
    private interface SqlWork<T> {
        T run() throws SQLException;
    }

    /** Runs {@code work} as this process's only writer on SQLite (one writer at a time); directly on PostgreSQL. */
    private <T> T serialisedWrite(SqlWork<T> work) throws SQLException {
        if (engine != StoreEngine.SQLITE) {
            return work.run();
        }
        sqliteWriter.lock();
        try {
            return work.run();
        } finally {
            sqliteWriter.unlock();
        }
    }

    /** The store sequence of each applied record's device, read inside the writing transaction. */
    private Map<UUID, Long> sequences(Connection c, List<DeviceRecord> chunk, List<Integer> applied)
            throws SQLException {
        List<UUID> ids = new ArrayList<>(applied.size());
        for (int i : applied) {
            ids.add(chunk.get(i).deviceId().uuid());
        }
        return longById(c, "row_seq", ids);
    }

    /**
     * Rolls back after {@code cause}; a rollback that fails too (the pool closed a broken connection) must not hide
     * the cause, which says whether the database is unreachable.
     */
    private static void rollback(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private Map<UUID, Long> storedVersions(Connection c, java.util.Set<UUID> ids) throws SQLException {
        return longById(c, "mdm_modified", ids);
    }

    /** {@code column} of each device in {@code ids} that is stored (one query, an IN list of at most a chunk). */
    private Map<UUID, Long> longById(Connection c, String column, java.util.Collection<UUID> ids)
            throws SQLException {
        Map<UUID, Long> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        StringBuilder sql = new StringBuilder("SELECT device_id, " + column + " FROM devices WHERE device_id IN (");
        for (int i = 0; i < ids.size(); i++) {
            sql.append(i == 0 ? "?" : ",?");
        }
        sql.append(')');
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int k = 1;
            for (UUID id : ids) {
                engine.setUuid(ps, k++, id);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(engine.getUuid(rs, 1), rs.getLong(2));
                }
            }
        }
        return out;
    }

    /** Replaces the MAC rows of updated devices and adds those of inserted ones (which have none yet). */
    private void writeMacs(Connection c, List<DeviceRecord> chunk, List<Integer> updated, List<Integer> inserted)
            throws SQLException {
        if (updated.isEmpty() && inserted.isEmpty()) {
            return;
        }
        try (PreparedStatement del = c.prepareStatement("DELETE FROM device_macs WHERE device_id = ?");
             PreparedStatement ins = c.prepareStatement("INSERT INTO device_macs (mac, device_id) VALUES (?, ?)")) {
            boolean any = false;
            for (int i : updated) {
                engine.setUuid(del, 1, chunk.get(i).deviceId().uuid());
                del.addBatch();
            }
            List<Integer> changed = new ArrayList<>(updated);
            changed.addAll(inserted);
            for (int i : changed) {
                DeviceRecord r = chunk.get(i);
                UUID id = r.deviceId().uuid();
                for (MacAddress m : r.macs()) {
                    ins.setLong(1, m.value());
                    engine.setUuid(ins, 2, id);
                    ins.addBatch();
                    any = true;
                }
            }
            if (!updated.isEmpty()) {
                del.executeBatch();
            }
            if (any) {
                ins.executeBatch();
            }
        }
    }

    private int bindFields(PreparedStatement ps, int k, DeviceRecord r, long now) throws SQLException {
        engine.setUuid(ps, k++, r.entraId().map(DeviceGuid::uuid).orElse(null));
        ps.setString(k++, r.deviceName().orElse(null));
        ps.setString(k++, r.userPrincipalName().orElse(null));
        ps.setString(k++, r.platform().wireName());
        ps.setString(k++, r.osVersion().orElse(null));
        ps.setString(k++, r.model().orElse(null));
        ps.setString(k++, r.manufacturer().orElse(null));
        ps.setString(k++, r.ownership().wireName());
        ps.setString(k++, r.managementState().wireName());
        ps.setString(k++, r.complianceState().wireName());
        setLong(ps, k++, r.graceExpiryEpochMilli());
        ps.setBoolean(k++, r.policyAssigned());
        ps.setString(k++, r.threatLevel().wireName());
        setFlag(ps, k++, r.jailbreakKnown(), r.jailbroken());
        setFlag(ps, k++, r.encryptionKnown(), r.encrypted());
        setLong(ps, k++, r.lastCheckInEpochMilli());
        StringBuilder macs = new StringBuilder();
        for (MacAddress m : r.macs()) {
            macs.append(macs.length() == 0 ? "" : ",").append(m.toHex12());
        }
        ps.setString(k++, macs.length() == 0 ? null : macs.toString());
        ps.setString(k++, r.serial().map(SerialNumber::value).orElse(null));
        setLong(ps, k++, r.imei().map(Imei::value).orElse(Long.MIN_VALUE));
        setLong(ps, k++, r.meid().map(Meid::value).orElse(Long.MIN_VALUE));
        ps.setString(k++, r.udid().map(Udid::value).orElse(null));
        ps.setLong(k++, r.lastModifiedEpochMilli());
        ps.setLong(k++, now);
        return k;
    }

    private void bindInsert(PreparedStatement ps, DeviceRecord r, long now) throws SQLException {
        engine.setUuid(ps, 1, r.deviceId().uuid());
        bindFields(ps, 2, r, now);
    }

    private void bindUpdate(PreparedStatement ps, DeviceRecord r, long now) throws SQLException {
        int k = bindFields(ps, 1, r, now);
        engine.setUuid(ps, k++, r.deviceId().uuid());
        ps.setLong(k, r.lastModifiedEpochMilli());
    }

    /** NULL for a flag the MDM never reported (V26 made these columns nullable). */
    private static void setFlag(PreparedStatement ps, int k, boolean known, boolean v) throws SQLException {
        if (known) {
            ps.setBoolean(k, v);
        } else {
            ps.setNull(k, Types.BOOLEAN);
        }
    }

    private static Boolean flag(ResultSet rs, int k) throws SQLException {
        boolean v = rs.getBoolean(k);
        return rs.wasNull() ? null : v;
    }

    private static void setLong(PreparedStatement ps, int k, long v) throws SQLException {
        if (v == Long.MIN_VALUE) {
            ps.setNull(k, Types.BIGINT);
        } else {
            ps.setLong(k, v);
        }
    }

    @Override
    public boolean delete(DeviceGuid deviceId) {
        db.ensureUp();
        try {
            return serialisedWrite(() -> {
                try (Connection c = db.connection();
                     PreparedStatement ps = c.prepareStatement("DELETE FROM devices WHERE device_id = ?")) {
                    engine.setUuid(ps, 1, deviceId.uuid());
                    return ps.executeUpdate() > 0;
                }
            });
        } catch (SQLException e) {
            throw db.failed("delete of " + deviceId, e);
        }
    }

    @Override
    public Optional<DeviceRecord> get(DeviceGuid deviceId) {
        List<DeviceRecord> l = query(SELECT + " WHERE device_id = ?", deviceId.uuid());
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    @Override
    public List<DeviceRecord> getAll(java.util.Collection<DeviceGuid> deviceIds) {
        if (engine != StoreEngine.POSTGRESQL) {
            return ComplianceStore.super.getAll(deviceIds);
        }
        db.ensureUp();
        List<DeviceRecord> out = new ArrayList<>(deviceIds.size());
        List<DeviceGuid> ids = new ArrayList<>(deviceIds);
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(SELECT + " WHERE device_id = ANY (?)")) {
            for (int from = 0; from < ids.size(); from += 1_000) {
                List<DeviceGuid> chunk = ids.subList(from, Math.min(ids.size(), from + 1_000));
                ps.setArray(1, c.createArrayOf("uuid", chunk.stream().map(DeviceGuid::uuid).toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(read(rs));
                    }
                }
            }
            return out;
        } catch (SQLException e) {
            throw db.failed("reading " + ids.size() + " devices", e);
        }
    }

    /**
     * The newest logged deletion of each of a set of devices (PostgreSQL), found through the partial index
     * {@code device_changes_deleted_device} (V51), which holds the deletions only: every other logged change costs no
     * index entry. Package-private: JdbcComplianceStoreTest checks its plan.
     */
    static final String DELETED_VERSIONS = "SELECT DISTINCT ON (device_id) device_id, mdm_modified FROM device_changes "
            + "WHERE deleted AND device_id = ANY (?) ORDER BY device_id, seq DESC";

    @Override
    public Map<DeviceGuid, Instant> deletedVersions(java.util.Collection<DeviceGuid> deviceIds) {
        if (engine != StoreEngine.POSTGRESQL || deviceIds.isEmpty()) {
            return ComplianceStore.super.deletedVersions(deviceIds); // no change log on the embedded store
        }
        db.ensureUp();
        Map<DeviceGuid, Instant> out = new HashMap<>();
        List<DeviceGuid> ids = new ArrayList<>(new java.util.LinkedHashSet<>(deviceIds));
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(DELETED_VERSIONS)) {
            for (int from = 0; from < ids.size(); from += 1_000) {
                List<DeviceGuid> chunk = ids.subList(from, Math.min(ids.size(), from + 1_000));
                ps.setArray(1, c.createArrayOf("uuid", chunk.stream().map(DeviceGuid::uuid).toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(DeviceGuid.of(IdentifierKind.INTUNE_ID, engine.getUuid(rs, 1)),
                                Instant.ofEpochMilli(rs.getLong(2)));
                    }
                }
            }
            return out;
        } catch (SQLException e) {
            throw db.failed("reading the deletions of " + ids.size() + " devices", e);
        }
    }

    @Override
    public List<DeviceRecord> find(DeviceIdentifier id) {
        switch (id.kind()) {
            case MAC:
                return query(SELECT + " WHERE device_id IN (SELECT device_id FROM device_macs WHERE mac = ?)",
                        ((MacAddress) id).value());
            case SERIAL:
                return query(SELECT + " WHERE serial = ?", id.canonical());
            case IMEI:
                return query(SELECT + " WHERE imei = ?", ((Imei) id).value());
            case MEID:
                return query(SELECT + " WHERE meid = ?", ((Meid) id).value());
            case UDID:
                return query(SELECT + " WHERE udid = ?", id.canonical());
            case INTUNE_ID:
                return query(SELECT + " WHERE device_id = ?", ((DeviceGuid) id).uuid());
            case ENTRA_ID:
                return query(SELECT + " WHERE entra_id = ?", ((DeviceGuid) id).uuid());
            default:
                throw new AssertionError(id.kind());
        }
    }

    @Override
    public List<DeviceRecord> findByUser(String upn) {
        return query(SELECT + " WHERE LOWER(upn) = LOWER(?) ORDER BY device_id", upn);
    }

    @Override
    public List<DeviceRecord> page(long afterSequence, int limit) {
        if (limit < 1 || limit > 100_000) {
            throw new IllegalArgumentException("page limit must be 1 to 100000");
        }
        return query(SELECT + " WHERE row_seq > ? ORDER BY row_seq LIMIT " + limit, afterSequence);
    }

    @Override
    public void backupTo(java.nio.file.Path file) {
        if (engine != StoreEngine.SQLITE) {
            ComplianceStore.super.backupTo(file);
        }
        java.nio.file.Path target = file.toAbsolutePath();
        if (java.nio.file.Files.exists(target)) {
            throw new IllegalArgumentException("backup file " + target + " exists already; choose a new name");
        }
        try {
            // created empty and owner-only first: VACUUM INTO fills an empty file and keeps its mode
            io.nacgw.core.files.OwnerOnly.createFile(target);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot create the backup file " + target + ": " + e.getMessage(), e);
        }
        db.ensureUp();
        try (Connection c = db.connection(); PreparedStatement st = c.prepareStatement("VACUUM INTO ?")) {
            st.setString(1, target.toString());
            st.execute();
        } catch (SQLException e) {
            try {
                java.nio.file.Files.deleteIfExists(target);
            } catch (java.io.IOException ignored) {
                // the error below names the file
            }
            throw db.failed("backup to " + target, e);
        }
    }

    @Override
    public java.util.Map<String, String> readState(java.util.Collection<String> names) {
        db.ensureUp();
        java.util.Map<String, String> out = new java.util.HashMap<>();
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT value FROM store_state WHERE name = ?")) {
            for (String name : names) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        out.put(name, rs.getString(1));
                    }
                }
            }
            return out;
        } catch (SQLException e) {
            throw db.failed("reading " + names, e);
        }
    }

    @Override
    public void writeState(java.util.Map<String, String> values) {
        if (values.isEmpty()) {
            return;
        }
        for (var e : values.entrySet()) {
            if (e.getKey().isEmpty() || e.getKey().length() > 64 || e.getValue() == null || e.getValue().length() > 1000) {
                throw new IllegalArgumentException("state " + e.getKey() + ": a name of 1-64 and a value of at most "
                        + "1000 characters");
            }
        }
        db.ensureUp();
        try {
            // one statement, so one transaction: all the values or none
            String rows = String.join(", ", java.util.Collections.nCopies(values.size(), "(?, ?, ?)"));
            serialisedWrite(() -> {
                try (Connection c = db.connection();
                     PreparedStatement ps = c.prepareStatement("INSERT INTO store_state (name, value, updated_at) "
                             + "VALUES " + rows + " ON CONFLICT (name) DO UPDATE SET value = excluded.value, "
                             + "updated_at = excluded.updated_at")) {
                    long now = System.currentTimeMillis();
                    int k = 1;
                    for (var e : values.entrySet()) {
                        ps.setString(k++, e.getKey());
                        ps.setString(k++, e.getValue());
                        ps.setLong(k++, now);
                    }
                    ps.executeUpdate();
                }
                return null;
            });
        } catch (SQLException e) {
            throw db.failed("writing " + values.keySet(), e);
        }
    }

    @Override
    public long count() {
        db.ensureUp();
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM devices");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw db.failed("count", e);
        }
    }

    @Override
    public void forEach(Consumer<DeviceRecord> sink) {
        db.ensureUp();
        try (Connection c = db.connection()) {
            // PostgreSQL streams with a cursor only inside a transaction; SQLite streams anyway, and a transaction
            // there would begin IMMEDIATE and hold the write lock for the whole scan
            boolean tx = engine == StoreEngine.POSTGRESQL;
            c.setAutoCommit(!tx);
            try (PreparedStatement ps = c.prepareStatement(SELECT)) {
                ps.setFetchSize(5_000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(read(rs));
                    }
                }
            } finally {
                if (tx && !c.isClosed()) {
                    c.rollback();
                    c.setAutoCommit(true);
                }
            }
        } catch (SQLException e) {
            throw db.failed("reading all devices", e);
        }
    }

    /**
     * SQLite: the table split into {@code threads} ranges of its rowid (the order it is stored in, so each part is a
     * sequential read), each read on its own connection and thread (WAL readers do not block each other), the first
     * on the caller's; PostgreSQL: one transaction's cursor, as {@link #forEach}. The outer ranges are open-ended, so
     * every row is in exactly one part.
     */
    @Override
    public void forEachBatch(int threads, Consumer<List<DeviceRecord>> sink) {
        int parts = Math.min(threads, connections);
        if (engine != StoreEngine.SQLITE || parts < 2) {
            ComplianceStore.super.forEachBatch(threads, sink);
            return;
        }
        db.ensureUp();
        long min;
        long max;
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT MIN(rowid), MAX(rowid) FROM devices");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            min = rs.getLong(1);
            if (rs.wasNull()) {
                return; // no devices
            }
            max = rs.getLong(2);
        } catch (SQLException e) {
            throw db.failed("reading all devices", e);
        }
        long[] bounds = new long[parts + 1];
        bounds[0] = Long.MIN_VALUE;
        bounds[parts] = Long.MAX_VALUE;
        long span = max - min + 1; // rowids are positive: no overflow
        for (int i = 1; i < parts; i++) {
            bounds[i] = min - 1 + span * i / parts;
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        List<Thread> others = new ArrayList<>(parts - 1);
        for (int i = 1; i < parts; i++) {
            long after = bounds[i];
            long upTo = bounds[i + 1];
            Thread t = SCAN_THREADS.newThread(() -> scanPart(after, upTo, sink, stop, failure));
            others.add(t);
            t.start();
        }
        scanPart(bounds[0], bounds[1], sink, stop, failure);
        boolean interrupted = false;
        for (Thread t : others) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                    stop.set(true);
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        if (interrupted) {
            throw new StoreException("interrupted while reading all devices", null);
        }
    }

    /** One rowid range {@code (after, upTo]} of {@link #forEachBatch}; a failure stops the other parts. */
    private void scanPart(long after, long upTo, Consumer<List<DeviceRecord>> sink, AtomicBoolean stop,
            AtomicReference<RuntimeException> failure) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement(SELECT + " WHERE rowid > ? AND rowid <= ?")) {
            ps.setLong(1, after);
            ps.setLong(2, upTo);
            List<DeviceRecord> batch = new ArrayList<>(SCAN_BATCH);
            try (ResultSet rs = ps.executeQuery()) {
                while (!stop.get() && rs.next()) {
                    batch.add(read(rs));
                    if (batch.size() == SCAN_BATCH) {
                        sink.accept(batch);
                        batch.clear();
                    }
                }
            }
            if (!batch.isEmpty() && !stop.get()) {
                sink.accept(batch);
            }
        } catch (SQLException e) {
            fail(failure, stop, db.failed("reading all devices", e));
        } catch (RuntimeException e) {
            fail(failure, stop, e);
        }
    }

    private static void fail(AtomicReference<RuntimeException> failure, AtomicBoolean stop, RuntimeException e) {
        failure.compareAndSet(null, e);
        stop.set(true);
    }

    private List<DeviceRecord> query(String sql, Object... args) {
        db.ensureUp();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            engine.bind(ps, args);
            List<DeviceRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw db.failed("query", e);
        }
    }

    private DeviceRecord read(ResultSet rs) throws SQLException {
        DeviceRecord.Builder b = DeviceRecord.builder()
                .deviceId(DeviceGuid.of(IdentifierKind.INTUNE_ID, engine.getUuid(rs, 1)));
        UUID entra = engine.getUuid(rs, 2);
        if (entra != null) {
            b.entraId(DeviceGuid.of(IdentifierKind.ENTRA_ID, entra));
        }
        b.deviceName(rs.getString(3)).userPrincipalName(rs.getString(4))
                .platform(Platform.fromWire(rs.getString(5))).osVersion(rs.getString(6)).model(rs.getString(7))
                .manufacturer(rs.getString(8)).ownership(Ownership.fromWire(rs.getString(9)))
                .managementState(ManagementState.fromWire(rs.getString(10)))
                .complianceState(ComplianceState.fromWire(rs.getString(11)));
        long grace = rs.getLong(12);
        if (!rs.wasNull()) {
            b.graceExpiry(Instant.ofEpochMilli(grace));
        }
        b.policyAssigned(rs.getBoolean(13)).threatLevel(ThreatLevel.fromWire(rs.getString(14)))
                .jailbroken(flag(rs, 15)).encrypted(flag(rs, 16));
        long checkIn = rs.getLong(17);
        if (!rs.wasNull()) {
            b.lastCheckIn(Instant.ofEpochMilli(checkIn));
        }
        String macs = rs.getString(18);
        if (macs != null) {
            addMacs(b, macs);
        }
        String serial = rs.getString(19);
        if (serial != null) {
            b.serial(new SerialNumber(serial));
        }
        long imei = rs.getLong(20);
        if (!rs.wasNull()) {
            b.imei(Imei.ofValue(imei));
        }
        long meid = rs.getLong(21);
        if (!rs.wasNull()) {
            b.meid(Meid.parse(Long.toHexString(meid | (1L << 56)).substring(1)));
        }
        String udid = rs.getString(22);
        if (udid != null) {
            b.udid(new Udid(udid));
        }
        return b.lastModified(Instant.ofEpochMilli(rs.getLong(23))).storeSequence(rs.getLong(25)).build();
    }

    /**
     * The {@code macs} column: {@link MacAddress#toHex12} values joined by commas, read without a substring each (a
     * start-up reads a million); anything else goes through {@link MacAddress#parse} and fails as it does.
     */
    static void addMacs(DeviceRecord.Builder b, String macs) {
        for (int start = 0; start <= macs.length(); ) {
            int end = macs.indexOf(',', start);
            end = end < 0 ? macs.length() : end;
            long v = end - start == 12 ? hex12(macs, start) : -1;
            b.addMac(v >= 0 ? MacAddress.of(v) : MacAddress.parse(macs.substring(start, end)));
            start = end + 1;
        }
    }

    /** The 12 hex digits at {@code from} as a number, or -1 when one is not a hex digit. */
    private static long hex12(String s, int from) {
        long v = 0;
        for (int i = from; i < from + 12; i++) {
            char c = s.charAt(i);
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (d < 0) {
                return -1;
            }
            v = (v << 4) | d;
        }
        return v;
    }

    @Override
    public StoreHealth health() {
        return db.health();
    }

    @Override
    public void close() {
        db.close();
        log.info("store closed: {}", db.description());
    }

    @Override
    public String toString() {
        return "JdbcComplianceStore[" + db.description() + "]";
    }
}
