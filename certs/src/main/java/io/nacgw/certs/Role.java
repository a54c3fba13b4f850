package io.nacgw.certs;

import java.util.Locale;
import java.util.Optional;

/**
 * What a nacgw client certificate allows: {@code PARTNER} for a NAC appliance querying compliance, {@code ADMIN}
 * for an operator, {@code NAS} for a switch, controller or VPN concentrator speaking RadSec (RADIUS over TLS; no
 * access to the HTTPS API). Carried in the certificate as the subject-alternative-name URI {@link #uri()}.
 */
public enum Role {
    PARTNER,
    ADMIN,
    NAS;

    /** The URI prefix of every role SAN; the lower-case role name follows it. */
    public static final String URI_PREFIX = "urn:nacgw:role:";

    /** The SAN URI naming this role, e.g. {@code urn:nacgw:role:partner}. */
    public String uri() {
        return URI_PREFIX + name().toLowerCase(Locale.ROOT);
    }

    /** The role named by a SAN URI such as {@code urn:nacgw:role:admin}; empty for any other URI. */
    public static Optional<Role> fromUri(String uri) {
        if (uri == null || !uri.regionMatches(true, 0, URI_PREFIX, 0, URI_PREFIX.length())) {
            return Optional.empty();
        }
        String rest = uri.substring(URI_PREFIX.length());
        for (Role r : values()) {
            if (r.name().equalsIgnoreCase(rest)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** Parses a role as written on the command line: {@code partner} or {@code admin}, any case. */
    public static Role fromName(String name) {
        for (Role r : values()) {
            if (r.name().equalsIgnoreCase(name == null ? "" : name.strip())) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role '" + Texts.printable(name) + "' (expected partner, admin or nas)");
    }
}
