package io.nacgw.bench;

import io.nacgw.core.service.ComplianceService;
import io.nacgw.core.service.IndexSettings;

import java.lang.management.ManagementFactory;

/**
 * Measures what JMH cannot: heap bytes per device held by the index (retained heap after full GCs, with every
 * identifier key). Start-up from a real store is measured end to end by {@code bench/store-import.sh}.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.nacgw.bench.IndexFootprint 1000000</pre>
 */
public final class IndexFootprint {
    private IndexFootprint() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;

        long before = usedAfterGc();
        ComplianceService mem = ComplianceService.start(new ListStore(n, BenchDevices::device), IndexSettings.DEFAULTS);
        long after = usedAfterGc();
        System.out.printf("heap: %d devices resident, %.0f bytes per device (all identifier keys included)%n",
                mem.residentCount(), (after - before) / (double) n);
        mem.close();
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
