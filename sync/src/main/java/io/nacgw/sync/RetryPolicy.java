package io.nacgw.sync;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.function.DoubleSupplier;

/**
 * When to retry a request and how long to wait: {@code Retry-After} (seconds or an HTTP date) for 429/503, clamped
 * to {@code sync.maxRetryAfter}; otherwise capped exponential backoff with jitter (a random delay between half and
 * all of {@code initialBackoff × 2^(attempt-1)}, at most {@code sync.maxBackoff}), so many gateways restarted
 * together do not retry in lock-step.
 */
final class RetryPolicy {
    private final int maxAttempts;
    private final Duration initial;
    private final Duration cap;
    private final Duration maxRetryAfter;
    private final Clock clock;
    private final DoubleSupplier random;

    RetryPolicy(SyncSettings s, Clock clock, DoubleSupplier random) {
        this.maxAttempts = s.maxAttempts();
        this.initial = s.initialBackoff();
        this.cap = s.maxBackoff();
        this.maxRetryAfter = s.maxRetryAfter();
        this.clock = clock;
        this.random = random;
    }

    int maxAttempts() {
        return maxAttempts;
    }

    /** True for statuses worth retrying: throttling and server-side faults. */
    static boolean retryable(int status) {
        return status == 429 || status == 408 || (status >= 500 && status <= 599 && status != 501 && status != 505);
    }

    /** The exponential delay before attempt {@code attempt + 1}, after {@code attempt} failures (1-based). */
    Duration backoff(int attempt) {
        long base = initial.toMillis();
        long capMs = cap.toMillis();
        long exp = attempt >= 31 ? capMs : Math.min(capMs, base << Math.max(0, attempt - 1));
        long half = exp / 2;
        return Duration.ofMillis(half + (long) (random.getAsDouble() * (exp - half)));
    }

    /**
     * The delay a {@code Retry-After} header asks for, clamped to {@code [0, maxRetryAfter]}; null when the header
     * is absent or unreadable (the caller then backs off exponentially).
     */
    Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String v = header.strip();
        Duration d;
        if (v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            d = v.length() > 9 ? maxRetryAfter : Duration.ofSeconds(Long.parseLong(v));
        } else {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                d = Duration.between(clock.instant(), at);
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        if (d.isNegative()) {
            return Duration.ZERO;
        }
        return d.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : d;
    }
}
