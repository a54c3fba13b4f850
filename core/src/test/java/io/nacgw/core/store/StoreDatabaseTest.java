package io.nacgw.core.store;

import io.nacgw.core.id.MacAddress;
import io.nacgw.core.session.NasRef;
import io.nacgw.core.session.SessionEvent;
import io.nacgw.core.session.SessionStore;
import io.nacgw.core.testing.Postgres;
import io.nacgw.core.testing.TestDevices;
import io.nacgw.core.testing.TestStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class StoreDatabaseTest {
    private static final NasRef NAS = new NasRef("ip:10.1.0.1", "sw1", "10.1.0.1", "10.1.0.1");
    private static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");

    @RegisterExtension
    final Postgres pg = new Postgres();

    private StoreSettings settings(String kind) {
        return kind.equals("postgres") ? pg.freshSchema() : TestStores.fresh(4);
    }

    private static SessionEvent start(String id) {
        return new SessionEvent(SessionEvent.Kind.START, NAS, id, 1L, "Gi1/0/1", MacAddress.parse("00:11:22:33:44:55"),
                null, "alice", "10.0.0.5", null, null, null, T0, null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void deviceAndSessionStores_shareOnePool_sizedToTheSumOfTheirShares(String kind) {
        StoreSettings s = settings(kind);
        int before = StoreDatabase.openPools();
        try (ComplianceStore devices = ComplianceStore.open(s);
             SessionStore sessions = SessionStore.open(s)) {
            assertEquals(before + 1, StoreDatabase.openPools(), "one pool for both stores");
            assertEquals(List.of("devices", "sessions"), StoreDatabase.users(s));
            // devices: store.maxPoolSize (4); sessions: by default max(2, min(8, 4))
            assertEquals(4 + 4, StoreDatabase.maximumPoolSize(s));
            devices.upsertAll(List.of(TestDevices.compliant(1).build()));
            sessions.apply(start("s1"));
            assertEquals(1, devices.count());
            assertNotNull(sessions.get(NAS.id(), "s1").orElseThrow());
        }
        assertEquals(before, StoreDatabase.openPools(), "the last close closes the pool");
        assertEquals(List.of(), StoreDatabase.users(s));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void sessionStoresShare_isTheConfiguredSessionPoolSize(String kind) {
        StoreSettings s = settings(kind).withSessionPoolSize(3);
        try (ComplianceStore devices = ComplianceStore.open(s);
             SessionStore sessions = SessionStore.open(s)) {
            assertEquals(4 + 3, StoreDatabase.maximumPoolSize(s));
            sessions.close();
            assertEquals(4, StoreDatabase.maximumPoolSize(s), "its own share goes back when it closes");
        }
    }

    @ParameterizedTest
    @CsvSource({"sqlite,devices", "sqlite,sessions", "postgres,devices", "postgres,sessions"})
    void closingOneStore_leavesTheOtherWorking_andTheLastClosesThePool(String kind, String firstClosed) throws Exception {
        StoreSettings s = settings(kind);
        ComplianceStore devices = ComplianceStore.open(s);
        SessionStore sessions = SessionStore.open(s);
        try {
            if (firstClosed.equals("devices")) {
                devices.close();
                assertEquals(List.of("sessions"), StoreDatabase.users(s));
                assertEquals(4, StoreDatabase.maximumPoolSize(s), "the closed store's share is given back");
                sessions.apply(start("s1"));
                assertNotNull(sessions.get(NAS.id(), "s1").orElseThrow());
            } else {
                sessions.close();
                assertEquals(List.of("devices"), StoreDatabase.users(s));
                assertEquals(4, StoreDatabase.maximumPoolSize(s), "the closed store's share is given back");
                devices.upsertAll(List.of(TestDevices.compliant(1).build()));
                assertEquals(1, devices.count());
            }
        } finally {
            devices.close();
            sessions.close();
        }
        assertEquals(List.of(), StoreDatabase.users(s));
        assertEquals(0, StoreDatabase.maximumPoolSize(s));
        if (kind.equals("sqlite")) {
            assertLockFree(s);
        }
        try (ComplianceStore again = ComplianceStore.open(s)) {
            assertEquals(firstClosed.equals("devices") ? 0 : 1, again.count(), "the data outlives the pool");
        }
    }

    @Test
    void closedHandle_refusesConnections_whileAnotherKeepsThePoolOpen() throws Exception {
        StoreSettings s = TestStores.fresh(3);
        try (StoreDatabase a = StoreDatabase.open(s, "a", 3);
             StoreDatabase b = StoreDatabase.open(s, "b", 2)) {
            a.close();
            assertThrows(java.sql.SQLException.class, a::connection, "a closed store's handle");
            try (java.sql.Connection c = b.connection()) {
                assertTrue(c.isValid(1), "the other handle still works");
            }
        }
    }

    @Test
    void closingAHandleTwice_givesItsShareBackOnce() {
        StoreSettings s = TestStores.fresh(3);
        try (StoreDatabase a = StoreDatabase.open(s, "a", 3);
             StoreDatabase b = StoreDatabase.open(s, "b", 2)) {
            assertEquals(5, StoreDatabase.maximumPoolSize(s));
            a.close();
            a.close();
            assertEquals(List.of("b"), StoreDatabase.users(s));
            assertEquals(2, StoreDatabase.maximumPoolSize(s));
            assertEquals(StoreHealth.UP, b.health());
        }
        assertEquals(0, StoreDatabase.maximumPoolSize(s));
    }

    @Test
    void secondHandleWithAnotherSyncMode_isRefused() {
        StoreSettings s = TestStores.fresh(2);
        StoreSettings full = new StoreSettings(s.jdbcUrl(), "", "", 2, StoreSettings.Sync.FULL);
        try (StoreDatabase a = StoreDatabase.open(s, "a", 2)) {
            StoreException e = assertThrows(StoreException.class, () -> StoreDatabase.open(full, "b", 2));
            assertTrue(e.getMessage().contains("another password or sync mode"), e.getMessage());
            assertEquals(List.of("a"), StoreDatabase.users(s));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void bothStores_keepOneMigrationHistory(String kind) throws Exception {
        StoreSettings s = settings(kind);
        try (ComplianceStore devices = ComplianceStore.open(s);
             SessionStore sessions = SessionStore.open(s);
             StoreDatabase db = StoreDatabase.open(s, "test", 1);
             Connection c = db.connection();
             Statement st = c.createStatement()) {
            String tables = kind.equals("sqlite")
                    ? "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name LIKE '%schema_history%'"
                    : "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() "
                    + "AND table_name LIKE '%schema_history%'";
            assertEquals(1, count(st, tables));
            assertEquals(0, count(st, "SELECT count(*) FROM (SELECT version FROM flyway_schema_history "
                    + "WHERE version IS NOT NULL GROUP BY version HAVING count(*) > 1) AS twice"), "each version once");
            assertTrue(count(st, "SELECT count(*) FROM flyway_schema_history WHERE success") > 0);
        }
    }

    private static long count(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void assertLockFree(StoreSettings s) throws Exception {
        Path file = Path.of(s.jdbcUrl().substring("jdbc:sqlite:".length()));
        try (FileChannel ch = FileChannel.open(file.resolveSibling(file.getFileName() + ".lock"), StandardOpenOption.WRITE);
             FileLock held = ch.tryLock()) {
            assertNotNull(held, "the last close let go of the file lock");
        }
    }
}
