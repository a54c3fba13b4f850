package io.nacgw.core.service;

import io.nacgw.core.concurrent.DaemonThreads;
import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.id.DeviceGuid;
import io.nacgw.core.id.IdentifierKind;
import io.nacgw.core.store.DedicatedConnection;
import io.nacgw.core.store.StoreException;
import io.nacgw.core.store.StoreSettings;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Shared mode on PostgreSQL: applies the device changes other nodes commit (the {@code device_changes} table that
 * migration V40 fills by trigger) to this node's {@link ComplianceService}, which emits a {@link DeviceChange} for
 * each, so CoA fires on every node. One dedicated connection on its own thread: {@code LISTEN} wakes it at once,
 * and it reads the log at least every {@code catchUpInterval} (a lost notification, a reconnect). Sequence values
 * become visible in commit order, not in number order, so numbers skipped by a read are re-read for
 * {@link #GAP_WAIT}. Changes older than {@code retention} are pruned, and the highest pruned sequence recorded
 * ({@code device_changes_pruned}, V41). A node whose next change was pruned, or more than {@code reloadBehind}
 * changes behind, re-reads every device from the store instead (updating memory in place: lookups go on meanwhile).
 */
public final class ChangeLogFollower implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChangeLogFollower.class);
    static final String CHANNEL = "nacgw_device_changes";
    /** How the dedicated connection shows in {@code pg_stat_activity}. */
    static final String APPLICATION_NAME = "nacgw-changelog";
    static final Duration GAP_WAIT = Duration.ofSeconds(30);
    private static final int BATCH = 5_000;
    private static final int MAX_TRACKED_GAPS = 10_000;
    private static final Duration PRUNE_EVERY = Duration.ofMinutes(1);
    private static final long MAX_BACKOFF_MS = 10_000;

    private final StoreSettings store;
    private final ChangeLogSettings settings;
    private final Clock clock;
    private final AtomicLong lastApplied = new AtomicLong();
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong reloads = new AtomicLong();
    /** Changes in the log after the last applied one, as of the last read. */
    private final AtomicLong behind = new AtomicLong();
    /** When this node last had applied every change in the log (epoch ms). */
    private final AtomicLong caughtUpAt = new AtomicLong();
    /** Skipped sequence numbers that may still commit, with when they were first seen missing (epoch ms). */
    private final Map<Long, Long> gaps = new LinkedHashMap<>();
    private final Thread thread;
    private volatile ComplianceService target;
    private volatile boolean running = true;
    private volatile Connection connection;
    private long lastPrune;

    private ChangeLogFollower(StoreSettings store, ChangeLogSettings settings, Clock clock, Connection c, long from) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.connection = c;
        this.lastApplied.set(from);
        this.lastPrune = clock.millis();
        this.caughtUpAt.set(clock.millis());
        this.thread = DaemonThreads.thread(this::run, "nacgw-changelog");
    }

    /**
     * Connects, listens, and notes the newest change: call it BEFORE loading the index, then {@link #start} with
     * the loaded index, so nothing committed in between is missed (a change seen twice is applied once).
     */
    public static ChangeLogFollower open(StoreSettings store, ChangeLogSettings settings, Clock clock) {
        if (!store.isPostgres()) {
            throw new IllegalArgumentException("the change log needs a jdbc:postgresql: store");
        }
        try {
            Connection c = connect(store);
            return new ChangeLogFollower(store, settings, clock, c, newest(c));
        } catch (SQLException e) {
            throw new StoreException("cannot follow the change log: " + e.getMessage(), e);
        }
    }

    /** Starts applying changes to {@code index} on the follower's thread. */
    public void start(ComplianceService index) {
        this.target = index;
        thread.start();
    }

    private static Connection connect(StoreSettings s) throws SQLException {
        Connection c = DedicatedConnection.open(s, APPLICATION_NAME, 0);
        try (Statement st = c.createStatement()) {
            st.execute("LISTEN " + CHANNEL);
        }
        return c;
    }

    private static long newest(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(seq), 0) FROM device_changes")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void run() {
        long backoff = 100;
        while (running) {
            try {
                if (connection == null) {
                    connection = connect(store);
                    reconnects.incrementAndGet();
                    log.info("change log: reconnected, catching up after change {}", lastApplied.get());
                }
                catchUp(connection);
                pruneIfDue(connection);
                backoff = 100;
                // wakes on NOTIFY at once, or after the catch-up interval
                connection.unwrap(PGConnection.class).getNotifications((int) settings.catchUpInterval().toMillis());
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    break;
                }
                log.warn("change log: {} (retrying in {} ms)", e.getMessage(), backoff);
                closeQuietly();
                sleep(backoff);
                backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
            }
        }
    }

    /** Reads and applies everything after the last applied change (and the gaps still open); visible for tests. */
    void catchUp(Connection c) throws SQLException {
        long[] span = span(c);
        long prunedUpTo = span[0];
        long newest = span[1];
        long last = lastApplied.get();
        behind.set(Math.max(0, newest - last));
        if (prunedUpTo > last || newest - last > settings.reloadBehind()) {
            reload(c, prunedUpTo, newest);
        }
        while (true) {
            Set<UUID> devices = new LinkedHashSet<>();
            // a batch counts as applied only once every device in it is: if reading a device fails (the store just
            // went away), the position and the open gaps go back, and the batch is read again after the reconnect
            long before = lastApplied.get();
            Map<Long, Long> gapsBefore = gaps.isEmpty() ? Map.of() : new LinkedHashMap<>(gaps);
            int read;
            try {
                read = readAfter(c, devices);
                readGaps(c, devices);
                apply(devices);
            } catch (SQLException | RuntimeException e) {
                lastApplied.set(before);
                gaps.clear();
                gaps.putAll(gapsBefore);
                throw e;
            }
            behind.set(Math.max(0, newest - lastApplied.get()));
            if (read < BATCH) {
                behind.set(0);
                caughtUpAt.set(clock.millis());
                return;
            }
        }
    }

    /** Reads the changed devices from the store in one query per chunk and applies each (absent: deleted). */
    private void apply(Set<UUID> devices) {
        if (devices.isEmpty()) {
            return;
        }
        List<DeviceGuid> ids = new ArrayList<>(devices.size());
        for (UUID id : devices) {
            ids.add(DeviceGuid.of(IdentifierKind.INTUNE_ID, id));
        }
        Map<UUID, DeviceRecord> stored = new java.util.HashMap<>();
        for (DeviceRecord r : target.store().getAll(ids)) {
            stored.put(r.deviceId().uuid(), r);
        }
        for (DeviceGuid guid : ids) {
            target.applyStored(guid, stored.get(guid.uuid()));
            applied.incrementAndGet();
        }
    }

    /** The highest pruned sequence and the newest sequence in the log. */
    private static long[] span(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT (SELECT upto FROM device_changes_pruned WHERE id = 1), "
                     + "COALESCE(MAX(seq), 0) FROM device_changes")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    /**
     * Re-reads every device instead of applying the log: changed devices are applied (emitting their change event,
     * so CoA still fires), devices gone from the store are removed. The log is then followed from a little before
     * {@code newest}, so a transaction that was still committing during the scan is applied after it.
     */
    private void reload(Connection c, long prunedUpTo, long newest) throws SQLException {
        long last = lastApplied.get();
        log.warn("change log: {} (last applied {}, pruned up to {}, newest {}): reloading every device from the store",
                prunedUpTo > last ? "changes after the last applied one were pruned" : "more than "
                        + settings.reloadBehind() + " changes behind", last, prunedUpTo, newest);
        long start = clock.millis();
        gaps.clear();
        lastApplied.set(Math.max(last, Math.max(prunedUpTo, newest - BATCH)));
        long[] seen = {0};
        target.store().forEach(r -> {
            target.applyStored(r.deviceId(), r);
            seen[0]++;
        });
        int removed = removeGone(c);
        reloads.incrementAndGet();
        log.info("change log: reloaded {} devices ({} gone) in {} ms; following the log after change {}", seen[0],
                removed, clock.millis() - start, lastApplied.get());
    }

    /** Removes resident devices the store no longer holds; returns how many. */
    private int removeGone(Connection c) throws SQLException {
        List<UUID> resident = new ArrayList<>(target.residentCount());
        target.forEachResident(r -> resident.add(r.deviceId().uuid()));
        int removed = 0;
        for (int from = 0; from < resident.size(); from += 1_000) {
            List<UUID> chunk = resident.subList(from, Math.min(resident.size(), from + 1_000));
            Set<UUID> stored = new java.util.HashSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT device_id FROM devices WHERE device_id = ANY (?)")) {
                ps.setArray(1, c.createArrayOf("uuid", chunk.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        stored.add(rs.getObject(1, UUID.class));
                    }
                }
            }
            for (UUID id : chunk) {
                if (!stored.contains(id)) {
                    target.applyStored(DeviceGuid.of(IdentifierKind.INTUNE_ID, id), null);
                    removed++;
                }
            }
        }
        return removed;
    }

    private int readAfter(Connection c, Set<UUID> devices) throws SQLException {
        long after = lastApplied.get();
        int n = 0;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT seq, device_id FROM device_changes WHERE seq > ? ORDER BY seq LIMIT " + BATCH)) {
            ps.setLong(1, after);
            try (ResultSet rs = ps.executeQuery()) {
                long expected = after + 1;
                long now = clock.millis();
                while (rs.next()) {
                    long seq = rs.getLong(1);
                    for (long missing = expected; missing < seq && gaps.size() < MAX_TRACKED_GAPS; missing++) {
                        gaps.put(missing, now);
                    }
                    expected = seq + 1;
                    devices.add(rs.getObject(2, UUID.class));
                    lastApplied.set(seq);
                    n++;
                }
            }
        }
        return n;
    }

    private void readGaps(Connection c, Set<UUID> devices) throws SQLException {
        if (gaps.isEmpty()) {
            return;
        }
        long now = clock.millis();
        gaps.values().removeIf(seen -> now - seen > GAP_WAIT.toMillis()); // a rolled-back transaction's number
        if (gaps.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, device_id FROM device_changes WHERE seq = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("bigint", gaps.keySet().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    gaps.remove(rs.getLong(1));
                    devices.add(rs.getObject(2, UUID.class));
                }
            }
        }
    }

    private void pruneIfDue(Connection c) throws SQLException {
        long now = clock.millis();
        if (now - lastPrune < PRUNE_EVERY.toMillis()) {
            return;
        }
        lastPrune = now;
        prune(c);
    }

    /** Deletes changes older than the retention; visible for tests. */
    int prune(Connection c) throws SQLException {
        // the mark tells a node that was away whether the changes it still needs are gone
        try (PreparedStatement ps = c.prepareStatement("WITH d AS (DELETE FROM device_changes WHERE changed_at < ? "
                + "RETURNING seq) UPDATE device_changes_pruned SET upto = GREATEST(upto, COALESCE((SELECT MAX(seq) "
                + "FROM d), 0)) WHERE id = 1 RETURNING (SELECT COUNT(*) FROM d)")) {
            ps.setObject(1, java.time.OffsetDateTime.ofInstant(clock.instant().minus(settings.retention()),
                    java.time.ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private void closeQuietly() {
        Connection c = connection;
        connection = null;
        DedicatedConnection.closeQuietly(c);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Counters for metrics, status and {@code /health}. */
    public Stats stats() {
        return new Stats(lastApplied.get(), applied.get(), reconnects.get(), reloads.get(), behind.get(),
                Duration.ofMillis(Math.max(0, clock.millis() - caughtUpAt.get())), connection != null);
    }

    /** How often the log is read when no notification arrives. */
    public Duration catchUpInterval() {
        return settings.catchUpInterval();
    }

    /**
     * Follower counters.
     *
     * @param lastSequence the last change-log sequence applied
     * @param applied      device changes applied from the log (including this node's own, which change nothing)
     * @param reconnects   times the dedicated connection was re-established
     * @param reloads      times every device was re-read instead of applying the log (pruned, or too far behind)
     * @param behind       changes in the log after the last applied one, as of the last read (sequence lag)
     * @param lag          time since this node last had applied every change in the log (at most about
     *                     {@code catchUpInterval} while it keeps up)
     * @param connected    whether the dedicated connection is open
     */
    public record Stats(long lastSequence, long applied, long reconnects, long reloads, long behind, Duration lag,
                        boolean connected) {
    }

    @Override
    public void close() {
        running = false;
        closeQuietly(); // unblocks getNotifications
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
