package io.nacgw.core.store;

/**
 * The store is known to be down (its circuit breaker is open): the operation was refused at once, nothing was
 * written. Callers answer "try again later" ({@link #retryAfterSeconds()}), e.g. HTTP 503 with Retry-After.
 */
public final class StoreUnavailableException extends StoreException {
    private static final long serialVersionUID = 1L;
    private final int retryAfterSeconds;

    public StoreUnavailableException(String message, int retryAfterSeconds, Throwable cause) {
        super(message, cause);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** When a retry may succeed: the breaker probes the store this often. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
