package io.nacgw.core.service;

import io.nacgw.core.store.ComplianceStore;
import io.nacgw.core.store.StoreSettings;
import io.nacgw.core.testing.MutableClock;
import io.nacgw.core.testing.Postgres;
import io.nacgw.core.testing.TestDevices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class ChangeLogFollowerTest {
    @RegisterExtension
    final Postgres pg = new Postgres();
    private final List<AutoCloseable> open = new ArrayList<>();
    private static final ChangeLogSettings FAST = new ChangeLogSettings(Duration.ofMillis(100), Duration.ofDays(1));

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        pg.dropSchemas();
    }

    private <T extends AutoCloseable> T track(T c) {
        open.add(c);
        return c;
    }

    private record Node(ComplianceStore store, ChangeLogFollower follower, ComplianceService index) {
    }

    /** A store, an index over it, and a follower applying the log to that index (as the gateway starts them). */
    private Node node(StoreSettings s) {
        ComplianceStore store = track(ComplianceStore.open(s));
        ChangeLogFollower follower = ChangeLogFollower.open(s, FAST, Clock.systemUTC());
        ComplianceService index = track(ComplianceService.start(store, IndexSettings.DEFAULTS));
        track(follower).start(index);
        return new Node(store, follower, index);
    }

    private static Connection raw(StoreSettings s) throws Exception {
        return DriverManager.getConnection(s.jdbcUrl(), s.user(), s.password());
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void aChangeCommittedAfterAHigherOne_isStillApplied() throws Exception {
        StoreSettings s = pg.freshSchema();
        Node node = node(s);
        ComplianceStore store = node.store();
        ComplianceService index = node.index();
        try (Connection c = raw(s); Statement st = c.createStatement()) {
            // device 3 reaches the devices table unlogged; its change-log row is taken now and committed last
            st.execute("ALTER TABLE devices DISABLE TRIGGER devices_change_log");
            store.upsert(TestDevices.compliant(3).build());
            st.execute("ALTER TABLE devices ENABLE TRIGGER devices_change_log");
            c.setAutoCommit(false);
            st.execute("INSERT INTO device_changes (device_id, mdm_modified, deleted) VALUES ('"
                    + TestDevices.id(3).uuid() + "', 0, FALSE)");
            store.upsert(TestDevices.compliant(4).build()); // a higher sequence, committed first
            await(() -> index.findResident(TestDevices.mac(4)) != null, "device 4");
            assertNull(index.findResident(TestDevices.mac(3)), "device 3's change is not committed yet");
            c.commit();
        }
        await(() -> index.findResident(TestDevices.mac(3)) != null, "device 3 from the re-read gap");
    }

    @Test
    void aDroppedConnection_reconnectsAndCatchesUp() throws Exception {
        StoreSettings s = pg.freshSchema();
        Node node = node(s);
        ComplianceStore store = node.store();
        ComplianceService index = node.index();
        ChangeLogFollower follower = node.follower();
        Postgres.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '"
                + ChangeLogFollower.APPLICATION_NAME + "' AND pid <> pg_backend_pid()");
        store.upsert(TestDevices.compliant(5).build()); // its NOTIFY may reach no listener
        await(() -> index.findResident(TestDevices.mac(5)) != null, "device 5 after the reconnect");
        assertTrue(follower.stats().reconnects() >= 1, follower.stats().toString());
    }

    @Test
    void readingADeviceFails_theBatchIsAppliedAfterTheReconnect() throws Exception {
        StoreSettings s = pg.freshSchema();
        ComplianceStore real = track(ComplianceStore.open(s));
        java.util.concurrent.atomic.AtomicInteger failGets = new java.util.concurrent.atomic.AtomicInteger();
        // the store as the follower's index sees it: its next read of changed devices fails once (the store went away)
        ComplianceStore flaky = (ComplianceStore) java.lang.reflect.Proxy.newProxyInstance(
                ComplianceStore.class.getClassLoader(), new Class<?>[] {ComplianceStore.class}, (proxy, m, args) -> {
                    if (m.getName().equals("getAll") && failGets.getAndDecrement() > 0) {
                        throw new io.nacgw.core.store.StoreUnavailableException("store unreachable (test)", 5, null);
                    }
                    try {
                        return m.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        ChangeLogFollower follower = track(ChangeLogFollower.open(s, FAST, Clock.systemUTC()));
        ComplianceService index = track(ComplianceService.start(flaky, IndexSettings.DEFAULTS));
        failGets.set(1);
        follower.start(index);
        try (ComplianceStore other = ComplianceStore.open(s)) {
            other.upsert(TestDevices.compliant(8).build());
        }
        await(() -> index.findResident(TestDevices.mac(8)) != null, "device 8, read again after the failed read");
        assertTrue(follower.stats().reconnects() >= 1, follower.stats().toString());
    }

    @Test
    void prune_deletesOnlyEntriesOlderThanTheRetention() throws Exception {
        StoreSettings s = pg.freshSchema();
        ComplianceStore store = track(ComplianceStore.open(s));
        ChangeLogFollower follower = track(ChangeLogFollower.open(s, FAST, Clock.systemUTC()));
        try (Connection c = raw(s); Statement st = c.createStatement()) {
            st.execute("INSERT INTO device_changes (device_id, mdm_modified, deleted, changed_at) VALUES ('"
                    + TestDevices.id(7).uuid() + "', 0, TRUE, now() - interval '2 days')");
            store.upsert(TestDevices.compliant(6).build());
            assertEquals(1, follower.prune(c));
            assertEquals(1, count(st, "SELECT COUNT(*) FROM device_changes"), "the fresh entry stays");
        }
    }

    @Test
    void prune_recordsTheHighestPrunedSequence() throws Exception {
        StoreSettings s = pg.freshSchema();
        track(ComplianceStore.open(s));
        ChangeLogFollower follower = track(ChangeLogFollower.open(s, FAST, Clock.systemUTC()));
        try (Connection c = raw(s); Statement st = c.createStatement()) {
            assertEquals(0, count(st, "SELECT upto FROM device_changes_pruned"));
            for (int i = 0; i < 2; i++) {
                st.execute("INSERT INTO device_changes (device_id, mdm_modified, deleted, changed_at) VALUES ('"
                        + TestDevices.id(7).uuid() + "', 0, TRUE, now() - interval '2 days')");
            }
            assertEquals(2, follower.prune(c));
            assertEquals(2, count(st, "SELECT upto FROM device_changes_pruned"));
            assertEquals(0, follower.prune(c));
            assertEquals(2, count(st, "SELECT upto FROM device_changes_pruned"), "an empty prune keeps the mark");
        }
    }

    private static long count(Statement st, String sql) throws Exception {
        try (var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void nextChangePruned_reloadsEveryDevice_addsChangesAndRemovesTheDeleted() throws Exception {
        StoreSettings s = pg.freshSchema();
        ComplianceStore store = track(ComplianceStore.open(s));
        for (int n = 1; n <= 3; n++) {
            store.upsert(TestDevices.compliant(n).build());
        }
        ChangeLogFollower follower = track(ChangeLogFollower.open(s, FAST, Clock.systemUTC())); // after change 3
        ComplianceService index = track(ComplianceService.start(store, IndexSettings.DEFAULTS));
        // while this node is not following: other nodes add 4 and 5, delete 1, and the log is pruned
        try (ComplianceStore other = ComplianceStore.open(s); Connection c = raw(s); Statement st = c.createStatement()) {
            other.upsert(TestDevices.compliant(4).build());
            other.upsert(TestDevices.compliant(5).build());
            other.delete(TestDevices.id(1));
            // a node whose clock is 2 days on prunes everything
            MutableClock later = new MutableClock(java.time.Instant.now().plus(Duration.ofDays(2)));
            try (ChangeLogFollower pruner = ChangeLogFollower.open(s, FAST, later)) {
                assertEquals(6, pruner.prune(c));
            }
        }
        List<DeviceChange> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        index.addListener(events::add);
        follower.start(index);
        await(() -> follower.stats().reloads() == 1, "the reload");
        await(() -> index.findResident(TestDevices.mac(5)) != null, "device 5");
        assertTrue(index.findResident(TestDevices.mac(4)) != null, "device 4 came with the reload: its log entry is gone");
        await(() -> index.findResident(TestDevices.mac(1)) == null, "device 1 removed");
        assertTrue(index.findResident(TestDevices.mac(2)) != null);
        assertEquals(4, index.residentCount());
        // the change events still fire (CoA): 4 and 5 added, 1 removed
        assertTrue(events.stream().anyMatch(e -> e.after() == null && e.before().deviceId().equals(TestDevices.id(1))),
                events.toString());
        await(() -> follower.stats().behind() == 0 && follower.stats().lag().toMillis() < 60_000, "caught up");
    }

    @Test
    void moreThanReloadBehind_reloadsInsteadOfApplyingOneByOne() throws Exception {
        StoreSettings s = pg.freshSchema();
        ComplianceStore store = track(ComplianceStore.open(s));
        ChangeLogSettings settings = new ChangeLogSettings(Duration.ofMillis(100), Duration.ofDays(1), 1_000);
        ChangeLogFollower follower = track(ChangeLogFollower.open(s, settings, Clock.systemUTC()));
        ComplianceService index = track(ComplianceService.start(store, IndexSettings.DEFAULTS));
        List<io.nacgw.core.device.DeviceRecord> bulk = new ArrayList<>();
        for (int n = 1; n <= 1_200; n++) {
            bulk.add(TestDevices.compliant(n).build());
        }
        try (ComplianceStore other = ComplianceStore.open(s)) {
            other.upsertAll(bulk);
        }
        follower.start(index);
        await(() -> follower.stats().reloads() == 1, "the reload");
        await(() -> index.residentCount() == 1_200, "every device");
        store.upsert(TestDevices.compliant(1_201).build());
        await(() -> index.findResident(TestDevices.mac(1_201)) != null, "the log followed again after the reload");
        assertEquals(1, follower.stats().reloads());
    }

    @Test
    void stats_reportLagAndBehind() throws Exception {
        StoreSettings s = pg.freshSchema();
        Node node = node(s);
        node.store().upsert(TestDevices.compliant(9).build());
        await(() -> node.index().findResident(TestDevices.mac(9)) != null, "device 9");
        await(() -> node.follower().stats().behind() == 0, "nothing behind");
        ChangeLogFollower.Stats st = node.follower().stats();
        assertTrue(st.connected());
        assertTrue(st.lastSequence() >= 1, st.toString());
    }

    @Test
    void settings_outOfRange_nameTheKey() {
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new ChangeLogSettings(Duration.ofMillis(10), Duration.ofDays(1))).getMessage()
                .contains("store.catchUpInterval"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new ChangeLogSettings(Duration.ofSeconds(1), Duration.ofDays(31))).getMessage()
                .contains("store.changeRetention"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new ChangeLogSettings(Duration.ofSeconds(1), Duration.ofDays(1), 10)).getMessage()
                .contains("store.reloadBehind"));
        assertThrows(IllegalArgumentException.class,
                () -> ChangeLogFollower.open(StoreSettings.embedded(java.nio.file.Path.of("/tmp/x")), FAST, Clock.systemUTC()));
    }
}
