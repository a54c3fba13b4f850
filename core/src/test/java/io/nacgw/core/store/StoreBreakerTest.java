package io.nacgw.core.store;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class StoreBreakerTest {
    private static final Instant T = Instant.parse("2026-11-30T05:00:00Z");
    private final AtomicBoolean reachable = new AtomicBoolean(false);
    private final StoreBreaker breaker = new StoreBreaker("t", () -> {
        if (!reachable.get()) {
            throw new SQLException("Connection to 127.0.0.1:5999 refused", "08001");
        }
    }, Duration.ofHours(1), Clock.fixed(T, ZoneOffset.UTC));

    @Test
    void statementError_isAStoreExceptionAndLeavesTheBreakerClosed() {
        StoreException e = breaker.failed("upsert", new SQLException("duplicate key", "23505"));
        assertFalse(e instanceof StoreUnavailableException);
        assertTrue(breaker.health().up());
        breaker.ensureUp();
    }

    @Test
    void outage_opensTheBreaker_thenEveryCallFailsAtOnceWithRetryAfter_untilAProbeSucceeds() {
        StoreException first = breaker.failed("upsert of 1 devices", new SQLTransientConnectionException(
                "nacgw-store - Connection is not available, request timed out after 5000ms.",
                new SQLException("Connection refused", "08001")));
        assertInstanceOf(StoreUnavailableException.class, first);
        StoreHealth h = breaker.health();
        assertFalse(h.up());
        assertEquals(T, h.since());
        assertTrue(h.reason().contains("Connection is not available"), h.reason());

        StoreUnavailableException fast = assertThrows(StoreUnavailableException.class, breaker::ensureUp);
        assertEquals(3600, fast.retryAfterSeconds());
        assertTrue(fast.getMessage().contains("unreachable since " + T), fast.getMessage());

        breaker.probeOnce(); // still refused
        assertFalse(breaker.health().up());
        reachable.set(true);
        breaker.probeOnce();
        assertTrue(breaker.health().up());
        breaker.ensureUp();
        breaker.close();
    }

    @Test
    void outageStates_areRecognised_statementStatesAreNot() {
        assertTrue(StoreBreaker.isOutage(new SQLException("terminating connection due to administrator command", "57P01")));
        assertTrue(StoreBreaker.isOutage(new SQLException("An I/O error occurred while sending to the backend.", "08006")));
        assertFalse(StoreBreaker.isOutage(new SQLException("syntax error", "42601")));
        assertFalse(StoreBreaker.isOutage(new SQLException("no state")));
    }
}
