package io.nacgw.radius;

import java.util.Locale;

/**
 * How nacgw tells the NASes behind one client apart (config {@code radius.clients.NAME.nasIdentity}): sessions are
 * keyed by the NAS identity, and Accounting-On/Off closes only that NAS's sessions.
 */
public enum NasIdentity {
    /**
     * The NAS's own attributes (RFC 2865 §5.4, RFC 2866 §5.1, RFC 5176 §3): NAS-IP-Address, else NAS-IPv6-Address,
     * else NAS-Identifier; the packet's source address only when the NAS sends none of them. Right behind a
     * RADIUS proxy, where every packet comes from the proxy's address. The default.
     */
    ATTRIBUTES,
    /** Always the packet's source address (NAS attributes ignored): for NASes whose attributes are not unique. */
    SOURCE;

    /** Parses {@code attributes} or {@code source}. */
    public static NasIdentity fromName(String name) {
        if (name != null) {
            try {
                return valueOf(name.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                // not one of ours: the message below lists the names
            }
        }
        throw new IllegalArgumentException("unknown nasIdentity '" + name + "' (expected attributes or source)");
    }
}
