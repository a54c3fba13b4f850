package io.nacgw.sync;

import io.nacgw.core.secret.Secret;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.DoubleSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class RetryPolicyTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC);

    private static RetryPolicy policy(DoubleSupplier random) {
        SyncSettings s = SyncSettings.builder(URI.create("https://login.example/t"), "a", Secret.of("s"))
                .initialBackoff(Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(10))
                .maxRetryAfter(Duration.ofMinutes(2)).build();
        return new RetryPolicy(s, CLOCK, random);
    }

    @Test
    void retryAfter_seconds() {
        assertEquals(Duration.ofSeconds(7), policy(() -> 0).retryAfter("7"));
        assertEquals(Duration.ZERO, policy(() -> 0).retryAfter("0"));
    }

    @Test
    void retryAfter_httpDate_isTheTimeUntilThen() {
        assertEquals(Duration.ofSeconds(90), policy(() -> 0).retryAfter("Mon, 23 Nov 2026 12:01:30 GMT"));
        assertEquals(Duration.ZERO, policy(() -> 0).retryAfter("Mon, 23 Nov 2026 11:00:00 GMT"));
    }

    @Test
    void retryAfter_clampedToMaxRetryAfter() {
        assertEquals(Duration.ofMinutes(2), policy(() -> 0).retryAfter("86400"));
        assertEquals(Duration.ofMinutes(2), policy(() -> 0).retryAfter("99999999999999999999"));
        assertEquals(Duration.ofMinutes(2), policy(() -> 0).retryAfter("Tue, 24 Nov 2026 12:00:00 GMT"));
    }

    @Test
    void retryAfter_absentOrGarbage_isNull() {
        assertNull(policy(() -> 0).retryAfter(null));
        assertNull(policy(() -> 0).retryAfter(" "));
        assertNull(policy(() -> 0).retryAfter("soon"));
        assertNull(policy(() -> 0).retryAfter("-5"));
    }

    @Test
    void backoff_exponentialWithJitterBetweenHalfAndFull_capped() {
        RetryPolicy low = policy(() -> 0.0);
        RetryPolicy high = policy(() -> 0.999999);
        assertEquals(Duration.ofMillis(500), low.backoff(1));
        assertEquals(Duration.ofMillis(999), high.backoff(1));
        assertEquals(Duration.ofMillis(1000), low.backoff(2));
        assertEquals(Duration.ofMillis(2000), low.backoff(3));
        assertEquals(Duration.ofMillis(4000), low.backoff(4));
        assertEquals(Duration.ofMillis(5000), low.backoff(5)); // 16 s capped at 10 s, half of it
        assertEquals(Duration.ofMillis(9999), high.backoff(5));
        assertEquals(Duration.ofMillis(9999), high.backoff(40));
    }

    @Test
    void retryable_throttlingAndServerFaultsOnly() {
        for (int s : new int[] {408, 429, 500, 502, 503, 504}) {
            assertTrue(RetryPolicy.retryable(s), String.valueOf(s));
        }
        for (int s : new int[] {200, 400, 401, 403, 404, 501, 505}) {
            assertFalse(RetryPolicy.retryable(s), String.valueOf(s));
        }
    }
}
