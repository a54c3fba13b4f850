package io.nacgw.loadgen.radius;

/** An answer that fails a check; carries the error class the report counts it under. */
public final class ReplyException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient ReplyError error;

    public ReplyException(ReplyError error, String message) {
        super(message, null, false, false); // thrown per bad packet under load: no stack trace
        this.error = error;
    }

    public ReplyError error() {
        return error;
    }
}
