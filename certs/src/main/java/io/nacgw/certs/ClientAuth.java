package io.nacgw.certs;

/** Whether a server asks TLS clients for a certificate. A certificate that is sent is always verified. */
public enum ClientAuth {
    /** No certificate requested. */
    NONE,
    /** Requested; a client without one is let in (and has no role), a client with a bad one is refused. */
    OPTIONAL,
    /** Required; a client without a valid certificate is refused. */
    REQUIRE
}
