package io.nacgw.bench;

import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.service.ComplianceService;
import io.nacgw.core.service.IndexSettings;
import io.nacgw.core.store.ComplianceStore;
import io.nacgw.core.store.StoreSettings;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures what JMH cannot: heap bytes per device held by the index (retained heap after full GCs, with every
 * identifier key), and the time to load N devices from a real embedded (SQLite) store at start.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.nacgw.bench.IndexFootprint 1000000 /tmp/nacgw-bench</pre>
 * The store file is created on the first run (slow: a bulk import) and reused afterwards.
 */
public final class IndexFootprint {
    private IndexFootprint() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path dir = Path.of(args.length > 1 ? args[1] : "/tmp/nacgw-bench");
        Files.createDirectories(dir);

        long before = usedAfterGc();
        ComplianceService mem = ComplianceService.start(new ListStore(n, BenchDevices::device), IndexSettings.DEFAULTS);
        long after = usedAfterGc();
        System.out.printf("heap: %d devices resident, %.0f bytes per device (all identifier keys included)%n",
                mem.residentCount(), (after - before) / (double) n);
        mem.close();
        mem = null;

        try (ComplianceStore store = ComplianceStore.open(StoreSettings.embedded(dir.resolve("n" + n)))) {
            long have = store.count();
            if (have < n) {
                long t0 = System.nanoTime();
                List<DeviceRecord> batch = new ArrayList<>(1000);
                for (int i = (int) have; i < n; i++) {
                    batch.add(BenchDevices.device(i));
                    if (batch.size() == 1000) {
                        store.upsertAll(batch);
                        batch.clear();
                    }
                }
                store.upsertAll(batch);
                System.out.printf("store: wrote %d devices in %d ms (%.0f/s)%n", n - have, (System.nanoTime() - t0) / 1_000_000,
                        (n - have) / ((System.nanoTime() - t0) / 1e9));
            }
        }
        for (int run = 1; run <= 3; run++) {
            try (ComplianceStore store = ComplianceStore.open(StoreSettings.embedded(dir.resolve("n" + n)))) {
                long t0 = System.nanoTime();
                try (ComplianceService svc = ComplianceService.start(store, IndexSettings.DEFAULTS)) {
                    System.out.printf("start-up load %d: %d devices in %d ms%n", run, svc.residentCount(),
                            (System.nanoTime() - t0) / 1_000_000);
                }
            }
        }
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
