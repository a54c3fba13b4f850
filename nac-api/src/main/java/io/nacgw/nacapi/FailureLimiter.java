package io.nacgw.nacapi;

import java.net.InetAddress;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed logins per source address in fixed windows; a source over the limit is refused until its window
 * ends, before any password is checked. The table is bounded: when it fills, expired windows are dropped first.
 */
final class FailureLimiter {
    static final int MAX_SOURCES = 100_000;
    private final int maxFailures;
    private final long windowMs;
    private final Clock clock;
    private final ConcurrentHashMap<InetAddress, Window> windows = new ConcurrentHashMap<>();

    FailureLimiter(int maxFailures, long windowMs, Clock clock) {
        this.maxFailures = maxFailures;
        this.windowMs = windowMs;
        this.clock = clock;
    }

    /** Seconds until {@code source} may try again, or 0 when it may try now. */
    long blockedSeconds(InetAddress source) {
        Window w = windows.get(source);
        if (w == null) {
            return 0;
        }
        long now = clock.millis();
        synchronized (w) {
            if (now - w.start >= windowMs) {
                return 0;
            }
            return w.failures >= maxFailures ? Math.max(1, (w.start + windowMs - now + 999) / 1000) : 0;
        }
    }

    void recordFailure(InetAddress source) {
        long now = clock.millis();
        if (windows.size() >= MAX_SOURCES) {
            windows.values().removeIf(w -> now - w.start >= windowMs);
        }
        Window w = windows.computeIfAbsent(source, k -> new Window(now));
        synchronized (w) {
            if (now - w.start >= windowMs) {
                w.start = now;
                w.failures = 0;
            }
            w.failures++;
        }
    }

    private static final class Window {
        long start;
        int failures;

        Window(long start) {
            this.start = start;
        }
    }
}
