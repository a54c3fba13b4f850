package io.nacgw.nacapi.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Counts failed logins per source address in fixed windows; a source over the limit is refused until its window
 * ends, before any password is checked. The table is a Caffeine cache on the same clock: a window expires
 * {@code windowMs} after its first failure, and at {@link #MAX_SOURCES} the least useful windows are evicted.
 */
final class FailureLimiter {
    static final int MAX_SOURCES = 100_000;
    private final int maxFailures;
    private final long windowMs;
    private final Clock clock;
    private final Cache<InetAddress, Window> windows;

    FailureLimiter(int maxFailures, long windowMs, Clock clock) {
        this.maxFailures = maxFailures;
        this.windowMs = windowMs;
        this.clock = clock;
        this.windows = Caffeine.newBuilder().maximumSize(MAX_SOURCES).expireAfterWrite(Duration.ofMillis(windowMs))
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis())).executor(Runnable::run).build();
    }

    /** Seconds until {@code source} may try again, or 0 when it may try now. */
    long blockedSeconds(InetAddress source) {
        Window w = windows.getIfPresent(source);
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

    /**
     * Counts an attempt as a failure before the (slow) verification runs, so concurrent guesses cannot all slip in
     * before the first failure is recorded; returns the seconds to wait instead when {@code source} is over the limit.
     * A successful verification gives it back with {@link #refund}.
     */
    long tryAttempt(InetAddress source) {
        long now = clock.millis();
        Window w = window(source, now);
        synchronized (w) {
            if (now - w.start >= windowMs) {
                w.start = now;
                w.failures = 0;
            }
            if (w.failures >= maxFailures) {
                return Math.max(1, (w.start + windowMs - now + 999) / 1000);
            }
            w.failures++;
            return 0;
        }
    }

    /** Gives back an attempt counted by {@link #tryAttempt} that turned out to be a valid login. */
    void refund(InetAddress source) {
        Window w = windows.getIfPresent(source);
        if (w != null) {
            synchronized (w) {
                if (w.failures > 0) {
                    w.failures--;
                }
            }
        }
    }

    private Window window(InetAddress source, long now) {
        return windows.get(source, k -> new Window(now));
    }

    void recordFailure(InetAddress source) {
        long now = clock.millis();
        Window w = window(source, now);
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
