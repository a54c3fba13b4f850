package io.nacgw.sync;

import io.nacgw.core.testing.TestStores;
import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.id.DeviceGuid;
import io.nacgw.core.service.ComplianceService;
import io.nacgw.core.service.IndexSettings;
import io.nacgw.core.store.ComplianceStore;
import io.nacgw.core.store.StoreSettings;

import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/** A fake Graph, a real SQLite store with its compliance index, a settable clock and a recording sleeper. */
final class SyncFixture implements AutoCloseable {

    final FakeGraph graph;
    final StoreSettings storeSettings;
    final ComplianceStore store;
    final ComplianceService compliance;
    final TestClock clock = new TestClock(Instant.parse("2026-11-23T12:00:00Z"));
    final RecordingSleeper sleeper = new RecordingSleeper(clock);
    final SyncSettings settings;
    final DefaultSyncService sync;

    SyncFixture(UnaryOperator<SyncSettings.Builder> configure) throws IOException {
        this(configure, List.of());
    }

    /** With {@code preloaded} devices in the store before the index starts. */
    SyncFixture(UnaryOperator<SyncSettings.Builder> configure, List<DeviceRecord> preloaded) throws IOException {
        this(configure, preloaded, IndexSettings.DEFAULTS);
    }

    SyncFixture(UnaryOperator<SyncSettings.Builder> configure, List<DeviceRecord> preloaded, IndexSettings index)
            throws IOException {
        this(configure, preloaded, index, TestStores.fresh(4));
    }

    /** On the store {@code storeSettings} names (e.g. a PostgreSQL schema). */
    SyncFixture(UnaryOperator<SyncSettings.Builder> configure, StoreSettings storeSettings) throws IOException {
        this(configure, List.of(), IndexSettings.DEFAULTS, storeSettings);
    }

    private SyncFixture(UnaryOperator<SyncSettings.Builder> configure, List<DeviceRecord> preloaded,
                        IndexSettings index, StoreSettings storeSettings) throws IOException {
        graph = new FakeGraph();
        this.storeSettings = storeSettings;
        store = ComplianceStore.open(storeSettings);
        if (!preloaded.isEmpty()) {
            store.upsertAll(preloaded);
        }
        compliance = ComplianceService.start(store, index);
        settings = configure.apply(graph.settings().pageSize(3).initialBackoff(Duration.ofSeconds(1))
                .maxBackoff(Duration.ofSeconds(8)).maxAttempts(4)).build();
        sync = newService(settings, compliance);
    }

    /** Another sync service like {@link #sync} (another node, or this one restarted) writing into {@code into}. */
    DefaultSyncService newService(SyncSettings with, ComplianceService into) {
        return new DefaultSyncService(with, into, HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER).build(), clock, sleeper, () -> 0.5);
    }

    SyncFixture() throws IOException {
        this(b -> b);
    }

    Optional<DeviceRecord> stored(int n) {
        return store.get(id(n));
    }

    /** Looks a device up through the compliance service (the gateway's read path). */
    Optional<DeviceRecord> lookup(int n) {
        return compliance.lookup(id(n)).join();
    }

    static DeviceGuid id(int n) {
        return DeviceGuid.intune(String.format("%08x-0000-4000-8000-%012x", n, n));
    }

    static List<java.util.Map<String, Object>> devices(int... ns) {
        List<java.util.Map<String, Object>> out = new ArrayList<>();
        for (int n : ns) {
            out.add(FakeGraph.device(n));
        }
        return out;
    }

    @Override
    public void close() {
        sync.close();
        compliance.close();
        store.close();
        graph.close();
    }

    /** A clock tests move by hand; sleeping through {@link RecordingSleeper} advances it. */
    static final class TestClock extends Clock {
        private final AtomicReference<Instant> now;

        TestClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        void advance(Duration d) {
            now.updateAndGet(t -> t.plus(d));
        }

        void set(Instant t) {
            now.set(t);
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    /** Records each requested delay and advances the test clock by it instead of waiting. */
    static final class RecordingSleeper implements Sleeper {
        final List<Duration> delays = Collections.synchronizedList(new ArrayList<>());
        private final TestClock clock;
        volatile Consumer<Duration> during = d -> { };

        RecordingSleeper(TestClock clock) {
            this.clock = clock;
        }

        @Override
        public void sleep(Duration d) throws InterruptedException {
            delays.add(d);
            clock.advance(d);
            during.accept(d);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }
}
