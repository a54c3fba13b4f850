package io.nacgw.sync;

/** A sync run cannot go on; the message is meant for an operator and never holds a secret or a token. */
final class SyncFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SyncFailure(String message) {
        super(message);
    }

    SyncFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
