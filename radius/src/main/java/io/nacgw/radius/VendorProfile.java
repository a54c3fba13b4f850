package io.nacgw.radius;

import java.util.Locale;

/** Which vendor attributes a NAS understands in replies. */
public enum VendorProfile {
    /** Standard attributes only (VLAN, Filter-Id, Class, Session-Timeout, Reply-Message). */
    GENERIC,
    /** Adds Cisco-AVPair {@code url-redirect}/{@code url-redirect-acl} (ISE-style quarantine redirect). */
    CISCO,
    /** Adds Aruba-User-Role for the profile's role. */
    ARUBA;

    /** Parses {@code generic}, {@code cisco} or {@code aruba}. */
    public static VendorProfile fromName(String name) {
        if (name != null) {
            try {
                return valueOf(name.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                // not one of ours: the message below lists the names
            }
        }
        throw new IllegalArgumentException("unknown vendor profile '" + name + "' (expected generic, cisco or aruba)");
    }
}
