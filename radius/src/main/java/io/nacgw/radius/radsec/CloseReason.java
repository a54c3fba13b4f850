package io.nacgw.radius.radsec;

import java.util.Locale;

/** Why nacgw closed an established RadSec connection (a NAS closing its own is not counted here). */
public enum CloseReason {
    /** No packet either way for {@code radius.radsec.idleTimeout}. */
    IDLE,
    /** A frame whose RADIUS Length field is below 20 or above 4096 (garbage, or another protocol). */
    BAD_LENGTH,
    /**
     * A packet the UDP server would silently discard (malformed attributes, a code not served, a failed
     * authenticator): RFC 6613 §2.6.4 makes that "discard and close".
     */
    PROTOCOL_VIOLATION,
    /** The NAS's {@code radius.clients} entry was removed by a reload. */
    CLIENT_REMOVED,
    /** The NAS's certificate is no longer trusted (revoked, expired) after a reload of the CRL or CAs. */
    CERTIFICATE_UNTRUSTED,
    /** A read or write error on the connection (reset, TLS alert, bad TLS record). */
    CONNECTION_ERROR;

    /** snake_case for metrics and logs. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
