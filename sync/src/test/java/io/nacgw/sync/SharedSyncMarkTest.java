package io.nacgw.sync;

import io.nacgw.core.cluster.ClusterRole;
import io.nacgw.core.service.ComplianceService;
import io.nacgw.core.service.IndexSettings;
import io.nacgw.core.store.ComplianceStore;
import io.nacgw.core.testing.Postgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The high-water mark and the last full sync live in the store: a restarted node, or a new leader on a shared
 * PostgreSQL store, continues incrementally from the mark the last run committed.
 */
final class SharedSyncMarkTest {
    @RegisterExtension
    final Postgres pg = new Postgres();

    private static SyncSettings.Builder schedule(SyncSettings.Builder b) {
        return b.fullInterval(Duration.ofHours(6)).incrementalInterval(Duration.ofMinutes(10));
    }

    /** The Graph list requests made since {@code from}, decoded. */
    private static List<String> listRequests(FakeGraph graph, int from) {
        return graph.graphRequests.subList(from, graph.graphRequests.size()).stream()
                .map(r -> URLDecoder.decode(r, StandardCharsets.UTF_8)).toList();
    }

    /** A role the test turns on and off. */
    private static ClusterRole role(String node, AtomicBoolean leading) {
        return new ClusterRole() {
            @Override
            public boolean isLeader() {
                return leading.get();
            }

            @Override
            public String nodeName() {
                return node;
            }

            @Override
            public java.util.Optional<String> leaderName() {
                return java.util.Optional.of(leading.get() ? node : "other");
            }
        };
    }

    @Test
    void sqlite_restart_continuesIncrementallyFromTheStoredMark() throws Exception {
        try (SyncFixture f = new SyncFixture(SharedSyncMarkTest::schedule)) {
            f.graph.setDevices(SyncFixture.devices(1, 2, 3));
            SyncReport full = f.sync.tick();
            assertEquals(SyncMode.FULL, full.mode());
            SyncStatus before = f.sync.status();
            f.sync.close();

            // the process restarts: a new store handle on the same file, a new index, a new sync service
            try (ComplianceStore store = ComplianceStore.open(f.storeSettings);
                 ComplianceService compliance = ComplianceService.start(store, IndexSettings.DEFAULTS);
                 DefaultSyncService restarted = f.newService(f.settings, compliance)) {
                f.clock.advance(Duration.ofMinutes(10));
                int from = f.graph.graphRequests.size();
                SyncReport next = restarted.tick();
                assertEquals(SyncMode.INCREMENTAL, next.mode(), "the first sync after a restart is incremental");
                assertTrue(next.succeeded(), next.error());
                assertTrue(listRequests(f.graph, from).stream().allMatch(r -> r.contains("lastSyncDateTime gt")),
                        listRequests(f.graph, from).toString());
                assertEquals(before.lastFullSuccess(), restarted.status().lastFullSuccess());
                // the next full sync is due on the first one's schedule, not the restart's
                f.clock.advance(Duration.ofHours(6).minusMinutes(10));
                assertEquals(SyncMode.FULL, restarted.tick().mode());
            }
        }
    }

    @Test
    void sqlite_markOfAnotherTenant_isIgnored_theFirstSyncIsFull() throws Exception {
        try (SyncFixture f = new SyncFixture(SharedSyncMarkTest::schedule)) {
            f.graph.setDevices(SyncFixture.devices(1));
            assertEquals(SyncMode.FULL, f.sync.tick().mode());
            SyncSettings other = DefaultSyncServiceTest.otherTenant(f.settings);
            try (DefaultSyncService otherTenant = f.newService(other, f.compliance)) {
                assertNull(otherTenant.status().highWaterMark());
                f.clock.advance(Duration.ofMinutes(10));
                assertEquals(SyncMode.FULL, otherTenant.tick().mode());
            }
        }
    }

    @Test
    void postgres_leaderDies_theNewLeadersFirstSyncIsIncrementalFromTheSharedMark() throws Exception {
        try (SyncFixture a = new SyncFixture(SharedSyncMarkTest::schedule, pg.freshSchema())) {
            a.graph.setDevices(SyncFixture.devices(1, 2, 3, 4));
            AtomicBoolean aLeads = new AtomicBoolean(true);
            AtomicBoolean bLeads = new AtomicBoolean(false);
            a.sync.role(role("a", aLeads));
            // node B: its own store handle, index and sync service on the same schema
            try (ComplianceStore storeB = ComplianceStore.open(a.storeSettings);
                 ComplianceService complianceB = ComplianceService.start(storeB, IndexSettings.DEFAULTS);
                 DefaultSyncService b = a.newService(a.settings, complianceB)) {
                b.role(role("b", bLeads));
                assertEquals(SyncMode.FULL, a.sync.tick().mode());
                assertNull(b.tick(), "a follower does not sync");
                a.clock.advance(Duration.ofMinutes(10));
                assertEquals(SyncMode.INCREMENTAL, a.sync.tick().mode());
                var aMark = a.sync.status().highWaterMark();

                // A dies (its lock goes with its connection; nothing is handed over): B leads
                a.sync.close();
                aLeads.set(false);
                bLeads.set(true);
                a.clock.advance(Duration.ofMinutes(10));
                int from = a.graph.graphRequests.size();
                SyncReport first = b.tick();
                assertEquals(SyncMode.INCREMENTAL, first.mode(), "the new leader continues incrementally");
                assertTrue(first.succeeded(), first.error());
                List<String> asked = listRequests(a.graph, from);
                assertTrue(!asked.isEmpty() && asked.stream().allMatch(r -> r.contains("lastSyncDateTime gt")),
                        asked.toString());
                assertTrue(b.status().highWaterMark() != null && !b.status().highWaterMark().isBefore(aMark));
            }
        }
    }
}
