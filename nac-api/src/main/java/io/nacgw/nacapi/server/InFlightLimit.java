package io.nacgw.nacapi.server;

import io.nacgw.nacapi.ApiException;
import io.netty.handler.codec.http.HttpHeaderNames;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Request admission over all connections ({@code api.maxInFlightRequests}): a request is dispatched only while fewer
 * than the cap are being answered; beyond it the router answers at once with 503 and {@code Retry-After: 1}, counted
 * as shed, so an overload is answered with a cheap refusal instead of every request waiting behind the others.
 * Together with the connection caps ({@link ConnectionLimiter}) it bounds the work an HTTPS flood can queue.
 */
final class InFlightLimit {
    private final int max;
    private final AtomicInteger inFlight = new AtomicInteger();

    InFlightLimit(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("api.maxInFlightRequests must be at least 1, got " + max);
        }
        this.max = max;
    }

    /** Takes a place; false when {@code max} requests are being answered (nothing taken). */
    boolean tryAcquire() {
        while (true) {
            int n = inFlight.get();
            if (n >= max) {
                return false;
            }
            if (inFlight.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Gives back a place taken by {@link #tryAcquire()}. */
    void release() {
        inFlight.decrementAndGet();
    }

    /** Requests being answered now. */
    int inFlight() {
        return inFlight.get();
    }

    /** The refusal: 503, retry in a second. */
    static ApiException busy() {
        return new ApiException(503, "the server is answering api.maxInFlightRequests requests; retry later",
                Map.of(HttpHeaderNames.RETRY_AFTER.toString(), "1"), false);
    }
}
