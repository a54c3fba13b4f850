package io.nacgw.core.log;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Lets one log line through per interval and counts the rest, so a flood (slowloris, password spraying, malformed
 * datagrams) cannot flood the log; {@link PeerLogLimiter} does the same per peer. Lock-free, safe from any thread,
 * allocation-free (the suppressed count is a {@link LongAdder}, so a flood on many threads does not contend).
 */
public final class LogThrottle {
    private final long intervalNanos;
    private final LongSupplier nanos;
    private final AtomicLong next = new AtomicLong(Long.MIN_VALUE);
    private final LongAdder suppressed = new LongAdder();

    /** @param nanos a monotonic nanosecond source ({@code System::nanoTime}; tests drive it by hand) */
    public LogThrottle(Duration interval, LongSupplier nanos) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the interval must be positive");
        }
        this.intervalNanos = interval.toNanos();
        this.nanos = nanos;
    }

    /** One line per {@code interval} of {@link System#nanoTime()}. */
    public static LogThrottle every(Duration interval) {
        return new LogThrottle(interval, System::nanoTime);
    }

    /** -1 when this event should not be logged; otherwise how many were suppressed since the last logged one. */
    public long admit() {
        long now = nanos.getAsLong();
        long n = next.get();
        if ((n == Long.MIN_VALUE || now - n >= 0) && next.compareAndSet(n, now + intervalNanos)) {
            return suppressed.sumThenReset();
        }
        suppressed.increment();
        return -1;
    }
}
