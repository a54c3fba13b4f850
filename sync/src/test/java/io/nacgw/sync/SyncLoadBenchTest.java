package io.nacgw.sync;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.nacgw.core.service.ComplianceService;
import io.nacgw.core.service.IndexSettings;
import io.nacgw.core.store.ComplianceStore;
import io.nacgw.core.store.StoreSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Syncs 100,000 devices over 100 pages into an SQLite file store and records time and heap. Not in the default run:
 * <pre>
 * mvn -B -q -pl sync -am test -Dtest=SyncLoadBenchTest -Dsurefire.failIfNoSpecifiedTests=false -Dnacgw.bench=true
 * </pre>
 * Results are printed and written to {@code sync/target/sync-bench.txt}.
 */
@EnabledIfSystemProperty(named = "nacgw.bench", matches = "true")
final class SyncLoadBenchTest {
    private static final int DEVICES = Integer.getInteger("nacgw.bench.devices", 100_000);
    private static final int PAGE = 1000;

    @Test
    void fullSync_100kDevicesOver100Pages_timeAndPeakHeap(@TempDir Path dir) throws Exception {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        HeapWatch watch = new HeapWatch(memory);
        List<String> out = new ArrayList<>();
        try (FakeGraph graph = new FakeGraph();
             ComplianceStore store = ComplianceStore.open(StoreSettings.embedded(dir.resolve("bench"), 4, StoreSettings.Sync.NORMAL));
             ComplianceService compliance = ComplianceService.start(store, IndexSettings.DEFAULTS)) {
            graph.setGenerated(DEVICES, FakeGraph::device);
            SyncSettings settings = graph.settings().pageSize(PAGE).build();
            try (DefaultSyncService sync = new DefaultSyncService(settings, compliance, HttpClient.newHttpClient(),
                    Clock.systemUTC(), Sleeper.REAL, Math::random)) {
                long baseline = liveHeap(memory);
                out.add(String.format("devices %d, pages of %d, JVM max heap %d MB, live heap before sync %.1f MB",
                        DEVICES, PAGE, memory.getHeapMemoryUsage().getMax() >> 20, baseline / 1e6));

                watch.start();
                SyncReport first = sync.runFull();
                watch.stop();
                assertTrue(first.succeeded(), first.error());
                assertEquals(DEVICES, first.changesApplied());
                assertEquals(DEVICES / PAGE, first.pages());
                long afterIndex = liveHeap(memory);
                out.add(String.format("first full sync (all inserted): %d ms, %.0f devices/s; peak heap used %.1f MB "
                                + "(sampled, garbage included), max live after any GC %.1f MB, live after sync %.1f MB "
                                + "(index and store cache: %.0f bytes/device)",
                        first.duration().toMillis(), DEVICES * 1000.0 / first.duration().toMillis(),
                        watch.peakUsed.get() / 1e6, watch.peakAfterGc.get() / 1e6, afterIndex / 1e6,
                        (afterIndex - baseline) / (double) DEVICES));

                watch.reset();
                watch.start();
                SyncReport second = sync.runFull();
                watch.stop();
                assertEquals(DEVICES, second.unchanged());
                out.add(String.format("second full sync (nothing changed): %d ms; peak heap used %.1f MB, max live "
                                + "after any GC %.1f MB (live before it: %.1f MB)", second.duration().toMillis(),
                        watch.peakUsed.get() / 1e6, watch.peakAfterGc.get() / 1e6, afterIndex / 1e6));

                // 1 % flipped to noncompliant, 1 % gone from the MDM
                int gone = DEVICES / 100;
                graph.setGenerated(DEVICES - gone, i -> {
                    Map<String, Object> d = FakeGraph.device(i + gone);
                    if (i % 100 == 1) {
                        d.put("complianceState", "noncompliant");
                    }
                    return d;
                });
                watch.reset();
                watch.start();
                SyncReport third = sync.runFull();
                watch.stop();
                assertTrue(third.succeeded(), third.error());
                assertEquals(gone, third.retired());
                out.add(String.format("third full sync (1%% changed, 1%% retired): %d ms, %d changed, %d retired; "
                                + "peak heap used %.1f MB, max live after any GC %.1f MB", third.duration().toMillis(),
                        third.changesApplied(), third.retired(), watch.peakUsed.get() / 1e6,
                        watch.peakAfterGc.get() / 1e6));
            }
        } finally {
            watch.close();
        }
        out.forEach(System.out::println);
        Path report = Path.of("target", "sync-bench.txt");
        Files.createDirectories(report.getParent());
        Files.write(report, out);
    }

    /** Heap in use after a full collection: what is really retained. */
    private static long liveHeap(MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** Samples heap use every few ms and records heap retained after each GC (the live set at that moment). */
    private static final class HeapWatch implements AutoCloseable {
        final AtomicLong peakUsed = new AtomicLong();
        final AtomicLong peakAfterGc = new AtomicLong();
        private final MemoryMXBean memory;
        private final NotificationListener listener;
        private volatile boolean sampling;
        private Thread sampler;

        HeapWatch(MemoryMXBean memory) {
            this.memory = memory;
            this.listener = (n, h) -> {
                if (!sampling || !n.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                    return;
                }
                GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
                        (CompositeData) n.getUserData());
                long after = 0;
                for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                    if (isHeapPool(e.getKey())) {
                        after += e.getValue().getUsed();
                    }
                }
                peakAfterGc.accumulateAndGet(after, Math::max);
            };
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((NotificationEmitter) gc).addNotificationListener(listener, null, null);
            }
        }

        private static boolean isHeapPool(String name) {
            return !(name.contains("Metaspace") || name.contains("Code") || name.contains("Compressed Class")
                    || name.contains("CodeHeap"));
        }

        void start() {
            sampling = true;
            sampler = new Thread(() -> {
                while (sampling) {
                    peakUsed.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-sampler");
            sampler.setDaemon(true);
            sampler.start();
        }

        void stop() throws InterruptedException {
            sampling = false;
            sampler.join();
        }

        void reset() {
            peakUsed.set(0);
            peakAfterGc.set(0);
        }

        @Override
        public void close() throws javax.management.ListenerNotFoundException {
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((NotificationEmitter) gc).removeNotificationListener(listener);
            }
        }
    }
}
