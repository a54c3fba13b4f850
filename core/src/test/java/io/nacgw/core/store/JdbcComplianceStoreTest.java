package io.nacgw.core.store;

import io.nacgw.core.device.ComplianceState;
import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.device.ThreatLevel;
import io.nacgw.core.id.DeviceGuid;
import io.nacgw.core.id.IdentifierKind;
import io.nacgw.core.id.Imei;
import io.nacgw.core.id.MacAddress;
import io.nacgw.core.id.Meid;
import io.nacgw.core.id.SerialNumber;
import io.nacgw.core.id.Udid;
import io.nacgw.core.testing.Postgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static io.nacgw.core.testing.TestDevices.NOW;
import static io.nacgw.core.testing.TestDevices.compliant;
import static io.nacgw.core.testing.TestDevices.id;
import static io.nacgw.core.testing.TestDevices.mac;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class JdbcComplianceStoreTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final Postgres pg = new Postgres();

    private ComplianceStore open(String kind) {
        return ComplianceStore.open(kind.equals("postgres") ? pg.freshSchema() : StoreSettings.embedded(dir));
    }

    private static DeviceRecord full(int n) {
        return compliant(n).entraId(DeviceGuid.entra(new UUID(7, n).toString())).addMac(MacAddress.of(0x0A0000000000L | n))
                .serial(SerialNumber.parse("SN" + n)).imei(Imei.parse("49015420323751" + Imei.luhnCheckDigit(4901542032375L * 10 + 1) ))
                .meid(Meid.parse("A10000009296F2")).udid(Udid.parse("00008030-001A2D3E3C41802E"))
                .threatLevel(ThreatLevel.LOW).graceExpiry(NOW.plusSeconds(60)).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void getAll_returnsTheStoredOnes_acrossChunks_leavingOutTheAbsent(String kind) {
        try (ComplianceStore s = open(kind)) {
            List<DeviceRecord> stored = new java.util.ArrayList<>();
            for (int n = 1; n <= 1_200; n++) {
                stored.add(full(n));
            }
            s.upsertAll(stored);
            List<io.nacgw.core.id.DeviceGuid> ask = new java.util.ArrayList<>();
            for (DeviceRecord r : stored) {
                ask.add(r.deviceId());
            }
            ask.add(full(5_000).deviceId()); // never stored
            List<DeviceRecord> got = s.getAll(ask);
            assertEquals(1_200, got.size());
            assertEquals(new java.util.HashSet<>(stored), new java.util.HashSet<>(got));
            assertEquals(List.of(), s.getAll(List.of()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void state_writtenTogether_readBack_overwritten_absentNamesLeftOut_badValuesRefused(String kind) {
        try (ComplianceStore s = open(kind)) {
            assertEquals(Map.of(), s.readState(List.of("a", "b")));
            s.writeState(Map.of("a", "1", "b", ""));
            assertEquals(Map.of("a", "1", "b", ""), s.readState(List.of("a", "b", "c")));
            s.writeState(Map.of("a", "2", "c", "x".repeat(1000)));
            assertEquals(Map.of("a", "2", "b", "", "c", "x".repeat(1000)), s.readState(List.of("a", "b", "c")));
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> s.writeState(Map.of("a", "3", "d", "x".repeat(1001))));
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> s.writeState(Map.of("n".repeat(65), "1")));
            assertEquals("2", s.readState(List.of("a")).get("a"), "a refused write changes nothing");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void upsert_thenGet_roundTripsEveryField(String kind) {
        try (ComplianceStore s = open(kind)) {
            DeviceRecord r = full(1);
            assertEquals(UpsertOutcome.INSERTED, s.upsert(r));
            assertEquals(r, s.get(r.deviceId()).orElseThrow());
            for (var ident : r.identifiers()) {
                assertEquals(List.of(r), s.find(ident), ident.kind().name());
            }
            assertEquals(List.of(r), s.findByUser("USER1@example.com"));
            assertEquals(1, s.count());
            DeviceRecord stored = s.get(r.deviceId()).orElseThrow();
            assertTrue(stored.encryptionKnown() && stored.encrypted());
            assertFalse(stored.jailbreakKnown(), "never reported stays unknown (NULL), not false");
            DeviceRecord reported = r.toBuilder().jailbroken(false).encrypted(null).lastModified(NOW.plusSeconds(5)).build();
            assertEquals(UpsertOutcome.UPDATED, s.upsert(reported));
            DeviceRecord back = s.get(r.deviceId()).orElseThrow();
            assertEquals(reported, back);
            assertTrue(back.jailbreakKnown() && !back.jailbroken());
            assertFalse(back.encryptionKnown());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void olderUpdate_isIgnoredAndReportedStale_newerApplies(String kind) {
        try (ComplianceStore s = open(kind)) {
            DeviceRecord v2 = compliant(1).lastModified(NOW).build();
            s.upsert(v2);
            DeviceRecord v1 = v2.toBuilder().complianceState(ComplianceState.NONCOMPLIANT).lastModified(NOW.minusSeconds(1)).build();
            assertEquals(UpsertOutcome.STALE, s.upsert(v1));
            assertEquals(UpsertOutcome.STALE, s.upsert(v2), "same version again is not a change");
            assertEquals(ComplianceState.COMPLIANT, s.get(id(1)).orElseThrow().complianceState());
            DeviceRecord v3 = v2.toBuilder().complianceState(ComplianceState.NONCOMPLIANT).macs(List.of(mac(9)))
                    .lastModified(NOW.plusSeconds(1)).build();
            assertEquals(UpsertOutcome.UPDATED, s.upsert(v3));
            assertEquals(v3, s.get(id(1)).orElseThrow());
            assertTrue(s.find(mac(1)).isEmpty(), "the old MAC no longer finds the device");
            assertEquals(List.of(v3), s.find(mac(9)));
        }
    }

    @Test
    void sqliteFile_survivesRestart() {
        try (ComplianceStore s = open("sqlite")) {
            s.upsertAll(List.of(full(1), full(2)));
        }
        try (ComplianceStore s = open("sqlite")) {
            assertEquals(2, s.count());
            assertEquals(full(2), s.get(id(2)).orElseThrow());
        }
    }

    @Test
    void embedded_fetchesNoGeneratedKeys() throws Exception {
        // sqlite-jdbc's default runs a regex over every statement and a query after every INSERT for them
        try (StoreDatabase db = StoreDatabase.open(StoreSettings.embedded(dir.resolve("keys")), "t", 1);
             java.sql.Connection c = db.connection();
             java.sql.Statement st = c.createStatement()) {
            st.executeUpdate("CREATE TABLE keys_probe (x INTEGER PRIMARY KEY, y TEXT)");
            assertEquals(1, st.executeUpdate("INSERT INTO keys_probe (y) VALUES ('a')"));
            try (java.sql.ResultSet keys = st.getGeneratedKeys()) {
                assertFalse(keys.next(), "generated keys were fetched");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"NORMAL", "FULL"})
    void embedded_isWalWithTheConfiguredSync_foreignKeysOn_filesOwnerOnly(String sync) throws Exception {
        Path data = dir.resolve("new/data");
        StoreSettings settings = StoreSettings.embedded(data, 2, StoreSettings.Sync.valueOf(sync));
        try (StoreDatabase db = StoreDatabase.open(settings, "t", 2);
             java.sql.Connection c = db.connection();
             java.sql.Statement st = c.createStatement()) {
            assertEquals("wal", scalar(st, "PRAGMA journal_mode"));
            assertEquals(sync.equals("FULL") ? "2" : "1", scalar(st, "PRAGMA synchronous"));
            assertEquals("1", scalar(st, "PRAGMA foreign_keys"));
            st.executeUpdate("CREATE TABLE mode_probe (x INTEGER)"); // a commit: the log has frames
            st.executeUpdate("INSERT INTO mode_probe (x) VALUES (1)");
            for (String f : List.of("nacgw.db", "nacgw.db-wal", "nacgw.db-shm", "nacgw.db.lock")) {
                assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                        java.nio.file.Files.getPosixFilePermissions(data.resolve(f))), f);
            }
            for (Path d : List.of(data, data.getParent())) {
                assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                        java.nio.file.Files.getPosixFilePermissions(d)), d.toString());
            }
        }
    }

    private static String scalar(java.sql.Statement st, String sql) throws java.sql.SQLException {
        try (java.sql.ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void embedded_lockedByAnotherProcess_isRefusedWithAClearMessage() throws Exception {
        java.nio.file.Files.createDirectories(dir);
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(dir.resolve("nacgw.db.lock"),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
             java.nio.channels.FileLock held = ch.lock()) {
            StoreException e = assertThrows(StoreException.class, () -> open("sqlite"));
            assertTrue(e.getMessage().contains("in use by another process"), e.getMessage());
        }
        try (ComplianceStore s = open("sqlite")) {
            assertEquals(0, s.count(), "opens once the other process let go");
        }
    }

    @Test
    void embedded_rootDirectoryAsTheStoreFile_isRefusedWithAClearMessage() {
        StoreException e = assertThrows(StoreException.class,
                () -> ComplianceStore.open(new StoreSettings("jdbc:sqlite:/", "", "", 2)));
        assertTrue(e.getMessage().contains("the store must be a file"), e.getMessage());
    }

    @Test
    void batch_withSameDeviceTwice_keepsTheNewest() {
        try (ComplianceStore s = open("sqlite")) {
            DeviceRecord a = compliant(1).lastModified(NOW).build();
            DeviceRecord b = a.toBuilder().complianceState(ComplianceState.NONCOMPLIANT).lastModified(NOW.plusSeconds(5)).build();
            assertEquals(List.of(UpsertOutcome.STALE, UpsertOutcome.INSERTED), s.upsertAll(List.of(a, b)));
            assertEquals(ComplianceState.NONCOMPLIANT, s.get(id(1)).orElseThrow().complianceState());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void concurrentUpsertsOfOneDevice_convergeToTheNewest(String kind) throws Exception {
        try (ComplianceStore s = open(kind)) {
            int writers = 8;
            int versions = 40;
            int newest = versions * writers - 1;
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            // each version once: 8v + 7w (mod 320) is a bijection over v < 40, w < 8
            UpsertOutcome[] outcomes = new UpsertOutcome[versions * writers];
            for (int w = 0; w < writers; w++) {
                int seed = w;
                futures.add(pool.submit(() -> {
                    go.await();
                    for (int v = 0; v < versions; v++) {
                        int version = (v * writers + seed * 7) % (versions * writers);
                        DeviceRecord r = compliant(1).osVersion("v" + version).lastModified(NOW.plusMillis(version)).build();
                        outcomes[version] = s.upsert(r); // one writer per index; Future.get() publishes it
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : futures) {
                f.get();
            }
            pool.shutdown();
            DeviceRecord stored = s.get(id(1)).orElseThrow();
            assertEquals(NOW.plusMillis(newest), stored.lastModified());
            assertEquals("v" + newest, stored.osVersion().orElseThrow());
            Map<UpsertOutcome, Long> counts = Arrays.stream(outcomes)
                    .collect(Collectors.groupingBy(o -> o, () -> new EnumMap<>(UpsertOutcome.class), Collectors.counting()));
            assertEquals(1L, counts.get(UpsertOutcome.INSERTED), "exactly one writer created the device: " + counts);
            assertTrue(outcomes[newest].applied(), "nothing is newer than the newest version, so it was applied: " + counts);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void delete_removesDeviceAndItsMacs(String kind) {
        try (ComplianceStore s = open(kind)) {
            s.upsert(full(1));
            assertTrue(s.delete(id(1)));
            assertFalse(s.delete(id(1)));
            assertTrue(s.find(mac(1)).isEmpty());
            assertEquals(0, s.count());
        }
    }

    @Test
    void deletedVersions_onPostgres_nameTheNewestLoggedDeletion_leaveOutTheLiveAndThePruned() throws Exception {
        StoreSettings settings = pg.freshSchema();
        try (ComplianceStore s = ComplianceStore.open(settings)) {
            s.upsertAll(List.of(full(1), full(2), full(3), full(4)));
            assertTrue(s.delete(id(1)));
            s.upsert(compliant(1).lastModified(NOW.plusSeconds(7)).build()); // back, newer, and deleted again
            assertTrue(s.delete(id(1)));
            assertTrue(s.delete(id(3)));
            s.upsert(compliant(4).lastModified(NOW.plusSeconds(9)).build()); // updated, never deleted
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(settings.jdbcUrl(), settings.user(),
                    settings.password()); java.sql.Statement st = c.createStatement()) {
                st.execute("DELETE FROM device_changes WHERE deleted AND device_id = '" + id(3).uuid() + "'"); // pruned
            }
            assertEquals(Map.of(id(1), NOW.plusSeconds(7)), s.deletedVersions(List.of(id(1), id(2), id(3), id(4),
                    id(5))));
            assertEquals(Map.of(), s.deletedVersions(List.of()));
        }
    }

    @Test
    void deletedVersions_onPostgres_findsTheDeletionsByDevice_notByScanningTheLog() throws Exception {
        // a log of 50,000 changes, one in 100 a deletion: before V51 the plan read every row of device_changes
        StoreSettings settings = pg.freshSchema();
        try (ComplianceStore s = ComplianceStore.open(settings);
             java.sql.Connection c = java.sql.DriverManager.getConnection(settings.jdbcUrl(), settings.user(),
                     settings.password()); java.sql.Statement st = c.createStatement()) {
            st.execute("INSERT INTO device_changes (device_id, mdm_modified, deleted) SELECT md5(i::text)::uuid, i, "
                    + "i % 100 = 0 FROM generate_series(1, 50000) i");
            st.execute("ANALYZE device_changes");
            String ids = "ARRAY['" + id(1).uuid() + "', '" + id(2).uuid() + "']::uuid[]";
            StringBuilder plan = new StringBuilder();
            try (java.sql.ResultSet rs = st.executeQuery("EXPLAIN " + JdbcComplianceStore.DELETED_VERSIONS
                    .replace("?", ids))) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
            assertTrue(plan.toString().contains("device_changes_deleted_device"), plan.toString());
            assertFalse(plan.toString().contains("Seq Scan"), plan.toString());
        }
    }

    @Test
    void deletedVersions_embedded_isEmpty_oneNodeNeedsNoSharedKey() {
        try (ComplianceStore s = ComplianceStore.open(StoreSettings.embedded(dir))) {
            s.upsert(full(1));
            assertTrue(s.delete(id(1)));
            assertEquals(Map.of(), s.deletedVersions(List.of(id(1))));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void page_walksAllDevicesInSequenceOrder_forEachStreamsAll(String kind) {
        try (ComplianceStore s = open(kind)) {
            List<DeviceRecord> all = new ArrayList<>();
            for (int i = 0; i < 1234; i++) {
                all.add(compliant(i).build());
            }
            s.upsertAll(all);
            List<DeviceGuid> seen = new ArrayList<>();
            long after = 0;
            List<DeviceRecord> page;
            while (!(page = s.page(after, 100)).isEmpty()) {
                for (DeviceRecord r : page) {
                    assertTrue(r.storeSequence() > after, "ascending");
                    after = r.storeSequence();
                    seen.add(r.deviceId());
                }
            }
            assertEquals(1234, seen.size());
            assertEquals(1234, seen.stream().distinct().count());
            AtomicInteger n = new AtomicInteger();
            s.forEach(r -> n.incrementAndGet());
            assertEquals(1234, n.get());
        }
    }

    /**
     * The start-up scan: every stored device exactly once, as stored, in batches of at most SCAN_BATCH, with gaps in
     * the table (deletes at both ends and in the middle); the embedded store reads its parts on several threads.
     */
    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void forEachBatch_deliversEveryDeviceOnceAsStored_inBoundedBatches(String kind) {
        try (ComplianceStore s = open(kind)) {
            List<DeviceRecord> all = new ArrayList<>();
            for (int i = 0; i < 4_321; i++) {
                all.add(full(i));
            }
            s.upsertAll(all);
            for (int i : new int[] {0, 1, 2_000, 2_001, 2_002, 4_320}) {
                s.delete(id(i));
            }
            Map<DeviceGuid, DeviceRecord> seen = new java.util.concurrent.ConcurrentHashMap<>();
            AtomicInteger twice = new AtomicInteger();
            AtomicInteger oversized = new AtomicInteger();
            java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
            s.forEachBatch(3, batch -> {
                threads.add(Thread.currentThread().getName());
                if (batch.size() > ComplianceStore.SCAN_BATCH) {
                    oversized.incrementAndGet();
                }
                for (DeviceRecord r : batch) {
                    if (seen.put(r.deviceId(), r) != null) {
                        twice.incrementAndGet();
                    }
                }
            });
            assertEquals(0, twice.get(), "devices delivered twice");
            assertEquals(0, oversized.get(), "batches over " + ComplianceStore.SCAN_BATCH);
            assertEquals(4_321 - 6, seen.size());
            for (int i : new int[] {3, 1_999, 2_003, 4_319}) {
                assertEquals(s.get(id(i)).orElseThrow(), seen.get(id(i)), "device " + i);
            }
            if (kind.equals("sqlite")) {
                assertEquals(3, threads.size(), "three parts, one thread each: " + threads);
            }
        }
    }

    @Test
    void macsColumn_hex12ReadDirectly_otherSpellingsParsed_badOnesRefused() {
        DeviceRecord.Builder b = compliant(1).macs(List.of());
        JdbcComplianceStore.addMacs(b, "0a0000000001,0A0000000002,0a:00:00:00:00:03");
        assertEquals(List.of(MacAddress.of(0x0A0000000001L), MacAddress.of(0x0A0000000002L), MacAddress.of(0x0A0000000003L)),
                b.build().macs());
        for (String bad : new String[] {"0a000000000g", "+a0000000001", "0a00000000001", "", "0a0000000001,"}) {
            assertThrows(io.nacgw.core.id.InvalidIdentifierException.class, () -> JdbcComplianceStore.addMacs(compliant(1), bad), bad);
        }
    }

    @Test
    void forEachBatch_emptyStore_deliversNothing() {
        try (ComplianceStore s = open("sqlite")) {
            AtomicInteger batches = new AtomicInteger();
            s.forEachBatch(4, batch -> batches.incrementAndGet());
            assertEquals(0, batches.get());
        }
    }

    @Test
    void forEachBatch_aFailingPart_failsTheScan_andStopsTheOthers() {
        try (ComplianceStore s = open("sqlite")) {
            List<DeviceRecord> all = new ArrayList<>();
            for (int i = 0; i < 5_000; i++) {
                all.add(compliant(i).build());
            }
            s.upsertAll(all);
            AtomicInteger delivered = new AtomicInteger();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.forEachBatch(2, batch -> {
                delivered.addAndGet(batch.size());
                throw new IllegalStateException("sink failed");
            }));
            assertEquals("sink failed", e.getMessage());
            assertTrue(delivered.get() <= 2 * ComplianceStore.SCAN_BATCH, "at most one batch per part: " + delivered);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void storeSequence_isAssignedOnInsert_keptByUpdates_newAfterDeleteAndReinsert(String kind) {
        try (ComplianceStore s = open(kind)) {
            List<Upserted> first = s.upsertAllSequenced(List.of(compliant(1).lastModified(NOW).build(),
                    compliant(2).lastModified(NOW).build()));
            long one = first.get(0).storeSequence();
            long two = first.get(1).storeSequence();
            assertTrue(one > 0 && two > 0 && one != two, first.toString());
            assertEquals(one, s.get(id(1)).orElseThrow().storeSequence());
            DeviceRecord changed = compliant(1).complianceState(ComplianceState.NONCOMPLIANT).lastModified(NOW.plusSeconds(1)).build();
            assertEquals(new Upserted(UpsertOutcome.UPDATED, one), s.upsertAllSequenced(List.of(changed)).get(0));
            assertEquals(one, s.get(id(1)).orElseThrow().storeSequence(), "an update keeps the position");
            assertEquals(new Upserted(UpsertOutcome.STALE, 0), s.upsertAllSequenced(List.of(changed)).get(0));
            assertTrue(s.delete(id(1)));
            long again = s.upsertAllSequenced(List.of(changed)).get(0).storeSequence();
            assertTrue(again > Math.max(one, two), "a re-inserted device is new: " + again);
            assertEquals(List.of(id(2), id(1)), s.page(0, 10).stream().map(DeviceRecord::deviceId).toList());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void migration_numbersDevicesStoredBeforeIt(String kind) throws Exception {
        StoreSettings settings = kind.equals("postgres") ? pg.freshSchema() : StoreSettings.embedded(dir);
        try (com.zaxxer.hikari.HikariDataSource ds = new com.zaxxer.hikari.HikariDataSource(hikari(settings))) {
            org.flywaydb.core.Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("2").load().migrate();
            try (java.sql.Connection c = ds.getConnection(); java.sql.Statement st = c.createStatement()) {
                for (int i = 1; i <= 3; i++) {
                    st.execute("INSERT INTO devices (device_id, platform, ownership, management_state, compliance_state, "
                            + "policy_assigned, threat_level, jailbroken, encrypted, mdm_modified, stored_at) VALUES ('"
                            + id(i).uuid() + "', 'ios', 'unknown', 'managed', 'compliant', TRUE, 'unknown', FALSE, TRUE, 1, 1)");
                }
            }
        }
        try (ComplianceStore s = ComplianceStore.open(settings)) {
            List<DeviceRecord> old = s.page(0, 10);
            assertEquals(3, old.size());
            assertEquals(3, old.stream().mapToLong(DeviceRecord::storeSequence).filter(q -> q > 0).distinct().count());
            long newest = s.upsertAllSequenced(List.of(compliant(4).build())).get(0).storeSequence();
            assertTrue(old.stream().allMatch(r -> r.storeSequence() < newest), "new devices come after the old ones");
        }
    }

    private static com.zaxxer.hikari.HikariConfig hikari(StoreSettings s) {
        com.zaxxer.hikari.HikariConfig hc = new com.zaxxer.hikari.HikariConfig();
        hc.setJdbcUrl(s.jdbcUrl());
        hc.setUsername(s.user());
        hc.setPassword(s.password());
        hc.setMaximumPoolSize(2); // Flyway holds one connection for its lock, one to migrate
        return hc;
    }

    @Test
    void badUrl_failsWithClearMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new StoreSettings("jdbc:mysql://x", "", "", 4));
        assertTrue(e.getMessage().contains("store.url"));
        StoreException se = assertThrows(StoreException.class, () -> ComplianceStore.open(
                new StoreSettings("jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2", "u", "secret-pw", 1)));
        assertTrue(se.getMessage().contains("cannot open the store"), se.getMessage());
        assertFalse(se.getMessage().contains("secret-pw"));
    }

    @Test
    void settings_toString_hidesPassword() {
        StoreSettings s = new StoreSettings("jdbc:postgresql://db/nacgw", "nacgw", "hunter2", 4);
        assertFalse(s.toString().contains("hunter2"));
        assertTrue(s.isPostgres());
        assertEquals(IdentifierKind.MAC, mac(1).kind());
    }
}
