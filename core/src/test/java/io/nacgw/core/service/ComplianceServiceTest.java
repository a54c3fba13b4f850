package io.nacgw.core.service;

import io.nacgw.core.device.ComplianceState;
import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.id.DeviceIdentifier;
import io.nacgw.core.id.IdentifierKind;
import io.nacgw.core.id.MacAddress;
import io.nacgw.core.store.ComplianceStore;
import io.nacgw.core.store.StoreSettings;
import io.nacgw.core.store.UpsertOutcome;
import io.nacgw.core.testing.TestDevices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.nacgw.core.testing.TestDevices.NOW;
import static io.nacgw.core.testing.TestDevices.compliant;
import static io.nacgw.core.testing.TestDevices.id;
import static io.nacgw.core.testing.TestDevices.mac;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class ComplianceServiceTest {

    private static Optional<DeviceRecord> now(CompletableFuture<Optional<DeviceRecord>> f) {
        assertTrue(f.isDone(), "answered from memory, synchronously");
        return f.join();
    }

    @Test
    void start_loadsStore_lookupByEveryIdentifierFromMemory() {
        try (ComplianceStore store = TestDevices.memoryStore()) {
            DeviceRecord r = compliant(1).entraId(io.nacgw.core.id.DeviceGuid.entra("6a0b9f3e-0c1d-4e2f-8a9b-0c1d2e3f4a5b"))
                    .serial(io.nacgw.core.id.SerialNumber.parse("C02XK1")).build();
            store.upsert(r);
            try (ComplianceService svc = ComplianceService.start(store, IndexSettings.DEFAULTS)) {
                assertTrue(svc.complete());
                for (DeviceIdentifier ident : r.identifiers()) {
                    assertEquals(r, now(svc.lookup(ident)).orElseThrow(), ident.kind().name());
                }
                assertTrue(now(svc.lookup(mac(99))).isEmpty());
                assertEquals(0, svc.stats().storeLoads(), "no lookup touched the database");
                assertEquals(1, svc.residentCount());
            }
        }
    }

    /**
     * Readiness means the whole index: once start returns on the embedded store (read in parallel parts), every
     * device, the last stored included, answers from memory by id and by MAC without touching the store.
     */
    @Test
    void start_onTheEmbeddedStore_everyDeviceAnswersFromMemoryOnceStarted(@TempDir Path dir) {
        int n = 12_345;
        try (ComplianceStore store = ComplianceStore.open(StoreSettings.embedded(dir))) {
            List<DeviceRecord> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                all.add(compliant(i).lastModified(NOW.plusMillis(i)).build());
            }
            store.upsertAll(all);
            try (ComplianceService svc = ComplianceService.start(store, IndexSettings.DEFAULTS)) {
                assertTrue(svc.complete());
                assertEquals(n, svc.residentCount());
                assertEquals(all.get(n - 1).deviceId(), now(svc.lookup(mac(n - 1))).orElseThrow().deviceId(), "the last one");
                for (int i = 0; i < n; i++) {
                    assertEquals(NOW.plusMillis(i), now(svc.lookup(id(i))).orElseThrow().lastModified(), "device " + i);
                    assertEquals(id(i), now(svc.lookup(mac(i))).orElseThrow().deviceId(), "MAC of device " + i);
                }
                assertEquals(0, svc.stats().storeLoads(), "no lookup touched the database");
            }
            try (ComplianceService svc = ComplianceService.start(store, IndexSettings.DEFAULTS.withMaxDevices(5_000))) {
                assertFalse(svc.complete(), "the bound holds across the parallel parts");
                assertEquals(5_000, svc.residentCount());
            }
        }
    }

    @Test
    void writeThrough_updatesMemoryAndEmitsChangeWithBeforeAndAfter() {
        try (ComplianceStore store = TestDevices.memoryStore();
             ComplianceService svc = ComplianceService.start(store, IndexSettings.DEFAULTS)) {
            List<DeviceChange> changes = new ArrayList<>();
            svc.addListener(changes::add);
            DeviceRecord v1 = compliant(1).lastModified(NOW).build();
            assertEquals(UpsertOutcome.INSERTED, svc.upsert(v1));
            DeviceRecord v2 = v1.toBuilder().complianceState(ComplianceState.NONCOMPLIANT).macs(List.of(mac(2)))
                    .lastModified(NOW.plusSeconds(1)).build();
            assertEquals(UpsertOutcome.UPDATED, svc.upsert(v2));
            assertEquals(UpsertOutcome.STALE, svc.upsert(v1));
            assertEquals(List.of(new DeviceChange(null, v1), new DeviceChange(v1, v2)), changes);
            assertTrue(now(svc.lookup(mac(1))).isEmpty(), "old MAC gone from memory");
            assertEquals(v2, now(svc.lookup(mac(2))).orElseThrow());
            assertEquals(1, svc.stats().staleUpdates());
            assertTrue(svc.delete(id(1)));
            assertEquals(new DeviceChange(v2, null), changes.get(2));
            assertTrue(now(svc.lookup(id(1))).isEmpty());
            assertEquals(0, store.count());
        }
    }

    @Test
    void failingListener_doesNotFailTheWriteOrOtherListeners() {
        try (ComplianceStore store = TestDevices.memoryStore();
             ComplianceService svc = ComplianceService.start(store, IndexSettings.DEFAULTS)) {
            List<DeviceChange> seen = new ArrayList<>();
            svc.addListener(c -> {
                throw new IllegalStateException("boom");
            });
            svc.addListener(seen::add);
            assertEquals(UpsertOutcome.INSERTED, svc.upsert(compliant(1).build()));
            assertEquals(1, seen.size());
        }
    }

    @Test
    void beyondTheBound_missesLoadFromStore_andUnknownsAreNegativelyCached() throws Exception {
        AtomicLong ticker = new AtomicLong();
        try (ComplianceStore store = TestDevices.memoryStore()) {
            for (int i = 0; i < 3; i++) {
                store.upsert(compliant(i).build());
            }
            IndexSettings small = IndexSettings.DEFAULTS.withMaxDevices(2);
            try (ComplianceService svc = ComplianceService.start(store, small, ticker::get)) {
                assertFalse(svc.complete());
                assertEquals(2, svc.residentCount());
                int outside = svc.findResident(id(0)) == null ? 0 : svc.findResident(id(1)) == null ? 1 : 2;
                assertNull(svc.findResident(mac(outside)));
                assertEquals(compliant(outside).build(), svc.lookup(mac(outside)).get(5, TimeUnit.SECONDS).orElseThrow());
                assertEquals(1, svc.stats().storeLoads());
                svc.lookup(mac(outside)).get(5, TimeUnit.SECONDS);
                assertEquals(1, svc.stats().storeLoads(), "second lookup served from the overflow cache");

                MacAddress unknown = mac(777);
                for (int i = 0; i < 100; i++) {
                    assertTrue(svc.lookup(unknown).get(5, TimeUnit.SECONDS).isEmpty());
                }
                assertEquals(2, svc.stats().storeLoads(), "a flood of one unknown MAC reaches the store once");
                ticker.addAndGet(Duration.ofSeconds(11).toNanos());
                svc.lookup(unknown).get(5, TimeUnit.SECONDS);
                assertEquals(3, svc.stats().storeLoads(), "negative entry expired after negativeTtl");

                // a device created later is found at once, despite the negative entry for its MAC
                svc.lookup(mac(5)).get(5, TimeUnit.SECONDS);
                svc.upsert(compliant(5).build());
                assertEquals(id(5), svc.lookup(mac(5)).get(5, TimeUnit.SECONDS).orElseThrow().deviceId());
            }
        }
    }

    @Test
    void loaderFull_failsFastWithOverloaded() throws Exception {
        try (ComplianceStore store = TestDevices.memoryStore()) {
            store.upsert(compliant(0).build());
            store.upsert(compliant(1).build());
            IndexSettings tiny = new IndexSettings(1, Duration.ofSeconds(10), 10, Duration.ofSeconds(10), 1, 1);
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            ComplianceStore slow = new BlockingStore(store, release);
            try (ComplianceService svc = ComplianceService.start(slow, tiny)) {
                List<CompletableFuture<Optional<DeviceRecord>>> futures = new ArrayList<>();
                for (int i = 100; i < 110; i++) {
                    futures.add(svc.lookup(mac(i)));
                }
                CompletableFuture<Optional<DeviceRecord>> last = futures.get(futures.size() - 1);
                ExecutionException e = assertThrows(ExecutionException.class, () -> last.get(5, TimeUnit.SECONDS));
                assertInstanceOf(OverloadedException.class, e.getCause());
                assertTrue(svc.stats().overloaded() >= 1);
                release.countDown();
                assertTrue(futures.get(0).get(5, TimeUnit.SECONDS).isEmpty());
            }
        }
    }

    @Test
    void concurrentWriters_memoryConvergesToTheNewest() throws Exception {
        try (ComplianceStore store = TestDevices.memoryStore();
             ComplianceService svc = ComplianceService.start(store, IndexSettings.DEFAULTS)) {
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
            List<java.util.concurrent.Future<?>> fs = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int seed = w;
                fs.add(pool.submit(() -> {
                    for (int v = seed; v < 200; v += 4) {
                        svc.upsert(compliant(1).osVersion("v" + v).lastModified(NOW.plusMillis(v)).build());
                    }
                }));
            }
            for (java.util.concurrent.Future<?> f : fs) {
                f.get();
            }
            pool.shutdown();
            assertEquals("v199", svc.findResident(id(1)).osVersion().orElseThrow());
            assertEquals("v199", store.get(id(1)).orElseThrow().osVersion().orElseThrow());
        }
    }

    @Test
    void findResident_isMemoryOnly() {
        try (ComplianceStore store = TestDevices.memoryStore();
             ComplianceService svc = ComplianceService.start(store, IndexSettings.DEFAULTS)) {
            DeviceRecord r = compliant(3).build();
            svc.upsert(r);
            assertSame(svc.findResident(id(3)), svc.findResident(mac(3)));
            assertNull(svc.findResident(io.nacgw.core.id.DeviceGuid.of(IdentifierKind.ENTRA_ID, id(3).uuid())));
        }
    }

    /** A store whose lookups wait for a latch: makes the loader queue fill deterministically. */
    private static final class BlockingStore implements ComplianceStore {
        private final ComplianceStore delegate;
        private final java.util.concurrent.CountDownLatch release;

        BlockingStore(ComplianceStore delegate, java.util.concurrent.CountDownLatch release) {
            this.delegate = delegate;
            this.release = release;
        }

        @Override
        public List<DeviceRecord> find(DeviceIdentifier id) {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return delegate.find(id);
        }

        @Override public List<io.nacgw.core.store.Upserted> upsertAllSequenced(List<DeviceRecord> records) { return delegate.upsertAllSequenced(records); }
        @Override public boolean delete(io.nacgw.core.id.DeviceGuid deviceId) { return delegate.delete(deviceId); }
        @Override public Optional<DeviceRecord> get(io.nacgw.core.id.DeviceGuid deviceId) { return delegate.get(deviceId); }
        @Override public List<DeviceRecord> findByUser(String upn) { return delegate.findByUser(upn); }
        @Override public List<DeviceRecord> page(long afterSequence, int limit) { return delegate.page(afterSequence, limit); }
        @Override public long count() { return delegate.count(); }
        @Override public void forEach(java.util.function.Consumer<DeviceRecord> sink) { delegate.forEach(sink); }
        @Override public void close() { }
    }
}
