package io.nacgw.nacapi;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HTTP error policy in one place: which failure becomes which status. Expected failures carry their own
 * status ({@link ApiException}); anything else is a 500 whose detail is an incident number that matches the
 * ERROR log line, never the exception text or a stack trace.
 */
final class ErrorMapper {
    private static final Logger log = LoggerFactory.getLogger(ErrorMapper.class);
    private static final AtomicLong INCIDENTS = new AtomicLong();

    private ErrorMapper() {
    }

    static ApiException toApiException(Throwable t, String path) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof ApiException) {
            return (ApiException) c;
        }
        long incident = INCIDENTS.incrementAndGet();
        log.error("incident {}: request to {} failed", incident, path, c);
        return new ApiException(500, "internal error (incident " + incident + ")");
    }
}
