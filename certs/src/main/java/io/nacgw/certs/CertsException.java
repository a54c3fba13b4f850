package io.nacgw.certs;

/** A certificate operation failed; the message names the file or field and is fit for an operator. */
public final class CertsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CertsException(String message) {
        super(message);
    }

    public CertsException(String message, Throwable cause) {
        super(message, cause);
    }
}
