package io.nacgw.core.log;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Decides whether a line about a peer may be logged now: at most once per key (a peer, or a reason and a peer) per
 * interval. Memory is bounded: past {@code maxKeys} remembered keys the memory is cleared (a flood from rotating
 * addresses then logs again, once per key, which the caller's per-reason budget or counters absorb).
 * Thread-safe and allocation-free for a key already seen.
 */
public final class PeerLogLimiter {
    /** The interval every transport uses for peer-triggered lines: one line per peer per minute. */
    public static final long MINUTE_NANOS = 60_000_000_000L;

    private final long intervalNanos;
    private final int maxKeys;
    private final LongSupplier nanos;
    private final ConcurrentHashMap<String, Long> last = new ConcurrentHashMap<>();

    /** @param nanos a monotonic nanosecond source ({@code System::nanoTime}; tests drive it by hand) */
    public PeerLogLimiter(long intervalNanos, int maxKeys, LongSupplier nanos) {
        if (intervalNanos <= 0 || maxKeys <= 0) {
            throw new IllegalArgumentException("interval and maxKeys must be positive");
        }
        this.intervalNanos = intervalNanos;
        this.maxKeys = maxKeys;
        this.nanos = nanos;
    }

    /** One line per key per minute, remembering up to 10,000 keys. */
    public static PeerLogLimiter perMinute() {
        return new PeerLogLimiter(MINUTE_NANOS, 10_000, System::nanoTime);
    }

    /** True when a line about {@code key} may be logged now (and remembers that it was). */
    public boolean allow(String key) {
        long now = nanos.getAsLong();
        Long before = last.get(key);
        if (before != null && now - before < intervalNanos) {
            return false;
        }
        if (before == null && last.size() >= maxKeys) {
            last.clear();
        }
        // two threads racing on the same key: only the one whose swap wins logs
        return before == null ? last.putIfAbsent(key, now) == null : last.replace(key, before, now);
    }
}
