package io.nacgw.core.store;

/** The store could not do what was asked (database down, constraint, I/O); nothing was acknowledged. */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
