package io.nacgw.radius.eap;

/** An EAP-Message that is not a well-formed EAP packet (or EAP-TLS framing that breaks its own rules). */
final class MalformedEapException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedEapException(String message) {
        super(message, null, false, false);
    }
}
