package io.nacgw.radius.server;

import io.nacgw.radius.DropReason;
import io.nacgw.radius.RadiusStats;

import java.util.concurrent.TimeUnit;

/**
 * The long fuzz benchmark (not run by CI): {@code N} random and mutated datagrams (default 10,000,000) through both
 * full pipelines in-process (no sockets, so nothing leaves the machine), bounded by {@code MAX_SECONDS} (default
 * 1800). Checks a valid MAB request every 100,000 datagrams, and compares the heap after a full GC at the end of a
 * warm-up (10%, at least 500,000; the run advances the test clock as 10,240 datagrams/s, so the duplicate caches reach their steady state of 10 s of requests early) and at the end of the run. Exit status 0 when nothing escaped, every check was answered and the heap grew by at most 32 MiB.
 *
 * <pre>
 * mvn -q -pl radius -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * cd radius && java -Xmx512m -cp target/test-classes:target/classes:$(cat /tmp/cp.txt) \
 *     io.nacgw.radius.server.RadiusFuzzBench 10000000 1800
 * </pre>
 */
final class RadiusFuzzBench {
    private static final long MAX_GROWTH_MIB = 32;

    private RadiusFuzzBench() {
    }

    public static void main(String[] args) {
        long n = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        long maxSeconds = args.length > 1 ? Long.parseLong(args[1]) : 1800;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
        try (FuzzRun run = new FuzzRun(20261130L)) {
            // warm-up: long enough (in simulated time, 50 s or more) that the duplicate caches hold their steady 10 s
            FuzzRun.Result warm = run.run(Math.max(500_000, n / 10), 100_000, deadline);
            long heapStart = FuzzRun.heapAfterGcMiB();
            FuzzRun.Result main = run.run(n - warm.datagrams(), 100_000, deadline);
            long heapEnd = FuzzRun.heapAfterGcMiB();
            RadiusStats s = main.stats();
            long sent = warm.datagrams() + main.datagrams();
            long checks = warm.checks() + main.checks();
            long answered = warm.checksAnswered() + main.checksAnswered();
            System.out.printf("fuzz bench: %,d of %,d datagrams in %,d s (%,.0f/s)%s%n", sent, n,
                    (warm.millis() + main.millis()) / 1000, sent * 1000.0 / Math.max(1, warm.millis() + main.millis()),
                    sent < n ? " — stopped at the time bound" : "");
            System.out.printf("valid MAB checks answered: %d of %d; heap after GC: %d MiB after the warm-up (%,d), "
                    + "%d MiB at the end (the session table's accounting rows are data, not a leak)%n",
                    answered, checks, heapStart, warm.datagrams(), heapEnd);
            System.out.printf("accepts %,d, rejects %,d, accounting %,d, internal errors %d, drops %s%n",
                    s.accepts(), s.rejects(), s.accountingStored(), s.drops(DropReason.INTERNAL_ERROR), s.drops());
            boolean ok = s.drops(DropReason.INTERNAL_ERROR) == 0 && answered == checks && checks > 0
                    && heapEnd - heapStart <= MAX_GROWTH_MIB && run.validAnswered() && run.accountingAnswered();
            System.out.println(ok ? "PASS" : "FAIL");
            System.exit(ok ? 0 : 1);
        }
    }
}
