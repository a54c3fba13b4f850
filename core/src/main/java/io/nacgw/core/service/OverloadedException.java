package io.nacgw.core.service;

/** A lookup that needed the store was refused because the bounded loader is full; callers shed the request. */
public final class OverloadedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OverloadedException(String message) {
        super(message, null, false, false);
    }
}
