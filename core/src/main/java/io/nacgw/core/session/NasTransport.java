package io.nacgw.core.session;

import java.util.Locale;

/** How a NAS reached nacgw, and so how a CoA/Disconnect for its sessions must go back to it. */
public enum NasTransport {
    /** RADIUS over UDP (RFC 2865): CoA goes to the NAS's CoA port by UDP (RFC 5176). */
    UDP,
    /** RADIUS over TLS (RFC 6614): CoA goes over the TLS connection the NAS opened (RFC 6614 §2.5). */
    RADSEC;

    /** Lower case, as stored and shown. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The transport stored as {@code wire}; null (rows written before transports were recorded) is UDP. */
    public static NasTransport fromWire(String wire) {
        if (wire == null || wire.equals("udp")) {
            return UDP;
        }
        if (wire.equals("radsec")) {
            return RADSEC;
        }
        throw new IllegalArgumentException("unknown NAS transport '" + wire + "'");
    }
}
