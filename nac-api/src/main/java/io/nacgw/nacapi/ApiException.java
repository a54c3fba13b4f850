package io.nacgw.nacapi;

import io.nacgw.core.service.OverloadedException;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * A request that cannot be answered normally; the error handler turns it into the API's own error format.
 * {@code detail} is shown to the client, so it never holds secrets or stack traces.
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final transient Map<String, String> headers;
    private final boolean close;

    public ApiException(int status, String detail) {
        this(status, detail, Map.of(), false);
    }

    public ApiException(int status, String detail, Map<String, String> headers, boolean close) {
        super(detail, null, false, false);
        this.status = status;
        this.headers = headers;
        this.close = close;
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(400, detail);
    }

    /**
     * {@code f}, with an {@link OverloadedException} (the index's loader is full) turned into {@code busy}'s answer
     * (a counted 503); any other failure passes through unchanged.
     */
    public static <T> CompletableFuture<T> busyWhenOverloaded(CompletableFuture<T> f, Supplier<ApiException> busy) {
        return f.handle((o, e) -> {
            if (e == null) {
                return o;
            }
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof OverloadedException) {
                throw busy.get();
            }
            throw e instanceof CompletionException ? (CompletionException) e : new CompletionException(e);
        });
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }

    /** True when the connection must be closed after the error (the request framing is lost). */
    public boolean close() {
        return close;
    }
}
