package io.nacgw.radius.server;

import io.nacgw.radius.DropReason;
import io.nacgw.radius.RadiusStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A million random and mutated datagrams through both full pipelines ({@link FuzzRun}): none may make an exception
 * escape a handler, hang a handler (the tinyradius zero-length VSA loop) or stop the server from answering valid
 * requests, which are checked every 100,000 datagrams. The 10-million run is {@link RadiusFuzzBench}.
 */
final class FuzzTest {
    private static final int DATAGRAMS = 1_000_000;

    @Test
    // hang guard (a handler that loops forever), not a speed limit: a loaded machine took 5 min for what takes 10 s
    @Timeout(value = 20, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void fuzz_millionDatagrams_nothingEscapesAndValidRequestsStillAnswered() {
        try (FuzzRun run = new FuzzRun(20261123L)) {
            FuzzRun.Result r = run.run(DATAGRAMS, 100_000, Long.MAX_VALUE + System.nanoTime());
            RadiusStats s = r.stats();
            System.out.printf("fuzz: %,d datagrams in %,d ms; accepts %d, rejects %d, accounting %d, drops %s%n",
                    r.datagrams(), r.millis(), s.accepts(), s.rejects(), s.accountingStored(), s.drops());
            assertEquals(DATAGRAMS, r.datagrams());
            assertEquals(0, s.drops(DropReason.INTERNAL_ERROR), "no exception escaped a handler");
            assertEquals(r.checks(), r.checksAnswered(), "valid requests answered throughout");
            assertTrue(s.accepts() + s.rejects() > 10_000, "mutations reached the authorizer: " + s);
            assertTrue(s.drops(DropReason.DECODE_FAILED) > 0 || s.drops(DropReason.MALFORMED) > 0);
            assertTrue(run.validAnswered(), "still answering");
            assertTrue(run.accountingAnswered(), "accounting still answered");
        }
    }
}
