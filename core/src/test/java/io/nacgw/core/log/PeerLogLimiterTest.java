package io.nacgw.core.log;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class PeerLogLimiterTest {
    private long now = 1_000;

    @Test
    void allow_oncePerKeyPerInterval() {
        PeerLogLimiter l = new PeerLogLimiter(PeerLogLimiter.MINUTE_NANOS, 100, () -> now);
        assertTrue(l.allow("192.0.2.1"));
        assertFalse(l.allow("192.0.2.1"), "same peer within the minute");
        assertTrue(l.allow("192.0.2.2"), "another peer has its own line");
        now += PeerLogLimiter.MINUTE_NANOS - 1;
        assertFalse(l.allow("192.0.2.1"));
        now += 1;
        assertTrue(l.allow("192.0.2.1"), "a minute later");
        assertFalse(l.allow("192.0.2.1"));
    }

    @Test
    void allow_pastMaxKeys_forgetsAndStaysBounded() {
        PeerLogLimiter l = new PeerLogLimiter(PeerLogLimiter.MINUTE_NANOS, 2, () -> now);
        assertTrue(l.allow("a"));
        assertTrue(l.allow("b"));
        assertTrue(l.allow("c"), "memory full: cleared, c remembered");
        assertTrue(l.allow("a"), "a was forgotten with the rest");
        assertFalse(l.allow("c"));
    }

    @Test
    void constructor_rejectsNonPositiveBounds() {
        assertThrows(IllegalArgumentException.class, () -> new PeerLogLimiter(0, 1, () -> now));
        assertThrows(IllegalArgumentException.class, () -> new PeerLogLimiter(1, 0, () -> now));
    }
}
