package io.nacgw.nacapi;

/** Whether TLS asks for a client certificate. */
public enum ClientAuthMode {
    /** No client certificates: HTTP Basic only. */
    NONE,
    /** Ask for one; callers without a certificate may still use HTTP Basic (the default: ISE uses Basic). */
    OPTIONAL,
    /** Refuse the handshake without a valid client certificate. */
    REQUIRE
}
