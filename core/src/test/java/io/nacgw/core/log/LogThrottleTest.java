package io.nacgw.core.log;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

final class LogThrottleTest {
    private long now = 5;

    @Test
    void admit_letsTheFirstThrough_thenOnePerInterval_withTheSuppressedCount() {
        LogThrottle t = new LogThrottle(Duration.ofSeconds(10), () -> now);
        assertEquals(0, t.admit());
        assertEquals(-1, t.admit());
        now += Duration.ofSeconds(10).toNanos() - 1;
        assertEquals(-1, t.admit());
        now += 1;
        assertEquals(2, t.admit());
        assertEquals(-1, t.admit());
        now += Duration.ofSeconds(30).toNanos();
        assertEquals(1, t.admit());
    }

    @Test
    void admit_worksAcrossTheSignOfTheNanosecondClock() {
        now = Long.MAX_VALUE - 1;
        LogThrottle t = new LogThrottle(Duration.ofNanos(10), () -> now);
        assertEquals(0, t.admit());
        now += 5;
        assertEquals(-1, t.admit());
        now += 5; // wraps past Long.MAX_VALUE, as System.nanoTime() may
        assertEquals(1, t.admit());
    }

    @Test
    void nonPositiveInterval_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LogThrottle(Duration.ZERO, () -> now));
        assertThrows(IllegalArgumentException.class, () -> LogThrottle.every(Duration.ofSeconds(-1)));
    }
}
