package io.nacgw.nacapi;

import io.nacgw.core.log.LogThrottle;
import io.nacgw.core.store.StoreUnavailableException;
import io.netty.handler.codec.http.HttpHeaderNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HTTP error policy in one place: which failure becomes which status. Expected failures carry their own
 * status ({@link ApiException}); anything else is a 500 whose detail is an incident number that matches the
 * ERROR log line, never the exception text or a stack trace.
 */
public final class ErrorMapper {
    private static final Logger log = LoggerFactory.getLogger(ErrorMapper.class);
    private static final AtomicLong INCIDENTS = new AtomicLong();
    private static final LogThrottle STORE_DOWN_LOG = LogThrottle.every(Duration.ofSeconds(10));

    private ErrorMapper() {
    }

    public static ApiException toApiException(Throwable t, String path) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof ApiException) {
            return (ApiException) c;
        }
        if (c instanceof StoreUnavailableException) {
            return unavailable((StoreUnavailableException) c);
        }
        long incident = INCIDENTS.incrementAndGet();
        log.error("incident {}: request to {} failed", incident, path, c);
        return new ApiException(500, "internal error (incident " + incident + ")");
    }

    /** The store is known to be down: 503 with Retry-After, answered at once; one rate-limited WARN, no stack trace. */
    public static ApiException unavailable(StoreUnavailableException e) {
        long suppressed = STORE_DOWN_LOG.admit();
        if (suppressed >= 0) {
            log.warn("refusing writes while the store is unreachable ({} more not logged): {}", suppressed, e.getMessage());
        }
        return new ApiException(503, "the store is unreachable; nothing was written; retry later",
                Map.of(HttpHeaderNames.RETRY_AFTER.toString(), Integer.toString(e.retryAfterSeconds())), false);
    }
}
