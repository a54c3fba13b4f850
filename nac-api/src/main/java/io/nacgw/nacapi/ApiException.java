package io.nacgw.nacapi;

import java.util.Map;

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
