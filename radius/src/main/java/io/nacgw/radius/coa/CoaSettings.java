package io.nacgw.radius.coa;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the CoA sender (config keys {@code radius.coa.*}).
 *
 * @param enabled               send CoA/Disconnect when a live session's decision changes
 * @param maxAttempts           transmissions of one request before giving up (1-10); a NAK with Error-Cause 506
 *                              (Resources Unavailable) counts as an attempt and is retried after the same backoff
 * @param initialTimeout        wait for the first answer (10 ms-30 s); doubled for each retransmission
 *                              (3 attempts at 1 s: answers are awaited 1 s, 2 s, 4 s)
 * @param maxOutstandingPerNas  requests awaiting an answer per NAS CoA address (1-256, the identifier space)
 * @param ratePerNas            new requests per second per NAS CoA address (1-100,000); retransmissions are not
 *                              limited. Bursts of up to a tenth of a second's worth
 * @param queueSize             requests waiting to be sent, all NASes together (1-10,000,000); beyond it new
 *                              requests are refused, counted and logged, never waited for
 */
public record CoaSettings(boolean enabled, int maxAttempts, Duration initialTimeout, int maxOutstandingPerNas,
                          int ratePerNas, int queueSize) {
    /** On; 3 attempts from 1 s (1 s, 2 s, 4 s); 32 outstanding and 100 per second per NAS; 100,000 queued. */
    public static final CoaSettings DEFAULTS = new CoaSettings(true, 3, Duration.ofSeconds(1), 32, 100, 100_000);

    public CoaSettings {
        range("radius.coa.maxAttempts", maxAttempts, 1, 10);
        Objects.requireNonNull(initialTimeout, "radius.coa.initialTimeout");
        if (initialTimeout.compareTo(Duration.ofMillis(10)) < 0 || initialTimeout.compareTo(Duration.ofSeconds(30)) > 0) {
            throw new IllegalArgumentException("radius.coa.initialTimeout must be 10ms to 30s, got " + initialTimeout);
        }
        range("radius.coa.maxOutstandingPerNas", maxOutstandingPerNas, 1, 256);
        range("radius.coa.ratePerNas", ratePerNas, 1, 100_000);
        range("radius.coa.queueSize", queueSize, 1, 10_000_000);
    }

    private static void range(String key, int v, int min, int max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(key + " must be " + min + " to " + max + ", got " + v);
        }
    }

    /** How long to wait for an answer to transmission number {@code attempt} (1-based): doubling each time. */
    public long timeoutNanos(int attempt) {
        return initialTimeout.toNanos() << Math.min(attempt - 1, 20);
    }

    /** Requests a NAS may receive at once after a quiet spell: a tenth of a second's worth, at least one. */
    public int burst() {
        return Math.max(1, ratePerNas / 10);
    }

    /** A copy with other retransmission timing. */
    public CoaSettings withRetries(int attempts, Duration initial) {
        return new CoaSettings(enabled, attempts, initial, maxOutstandingPerNas, ratePerNas, queueSize);
    }

    /** A copy with other per-NAS limits and queue size. */
    public CoaSettings withLimits(int outstanding, int rate, int queue) {
        return new CoaSettings(enabled, maxAttempts, initialTimeout, outstanding, rate, queue);
    }
}
