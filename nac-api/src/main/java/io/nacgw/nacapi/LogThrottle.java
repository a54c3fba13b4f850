package io.nacgw.nacapi;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets one log line through per interval and counts the rest, so a flood (slowloris, password spraying from many
 * addresses) cannot flood the log. Lock-free; safe from any thread.
 */
final class LogThrottle {
    private final long intervalNanos;
    private final AtomicLong next = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    LogThrottle(long intervalMillis) {
        this.intervalNanos = intervalMillis * 1_000_000L;
    }

    /** -1 when this event should not be logged; otherwise how many were suppressed since the last logged one. */
    long admit() {
        long now = System.nanoTime();
        long n = next.get();
        if ((n == Long.MIN_VALUE || now - n >= 0) && next.compareAndSet(n, now + intervalNanos)) {
            return suppressed.getAndSet(0);
        }
        suppressed.incrementAndGet();
        return -1;
    }
}
