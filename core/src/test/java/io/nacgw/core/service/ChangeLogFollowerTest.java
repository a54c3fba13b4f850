package io.nacgw.core.service;

import io.nacgw.core.store.ComplianceStore;
import io.nacgw.core.store.StoreSettings;
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
    void prune_deletesOnlyEntriesOlderThanTheRetention() throws Exception {
        StoreSettings s = pg.freshSchema();
        ComplianceStore store = track(ComplianceStore.open(s));
        store.upsert(TestDevices.compliant(6).build());
        ChangeLogFollower follower = track(ChangeLogFollower.open(s, FAST, Clock.systemUTC()));
        try (Connection c = raw(s); Statement st = c.createStatement()) {
            st.execute("INSERT INTO device_changes (device_id, mdm_modified, deleted, changed_at) VALUES ('"
                    + TestDevices.id(7).uuid() + "', 0, TRUE, now() - interval '2 days')");
            assertEquals(1, follower.prune(c));
            var rs = st.executeQuery("SELECT COUNT(*) FROM device_changes");
            rs.next();
            assertEquals(1, rs.getLong(1), "the fresh entry stays");
        }
    }

    @Test
    void settings_outOfRange_nameTheKey() {
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new ChangeLogSettings(Duration.ofMillis(10), Duration.ofDays(1))).getMessage()
                .contains("store.catchUpInterval"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new ChangeLogSettings(Duration.ofSeconds(1), Duration.ofDays(31))).getMessage()
                .contains("store.changeRetention"));
        assertThrows(IllegalArgumentException.class,
                () -> ChangeLogFollower.open(StoreSettings.embedded(java.nio.file.Path.of("/tmp/x")), FAST, Clock.systemUTC()));
    }
}
