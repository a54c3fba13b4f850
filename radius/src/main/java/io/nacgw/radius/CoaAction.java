package io.nacgw.radius;

import java.util.Locale;

/**
 * What nacgw asks a NAS to do with a session whose decision changed (RFC 5176), per NAS client
 * ({@code radius.clients.NAME.coaAction}).
 */
public enum CoaAction {
    /** Cisco CoA-Request {@code subscriber:command=reauthenticate} (+ {@code reauthenticate-type=last}). */
    REAUTHENTICATE("reauthenticate"),
    /** Disconnect-Request: the NAS ends the session and the endpoint authenticates again. */
    DISCONNECT("disconnect"),
    /** Cisco CoA-Request {@code subscriber:command=bounce-host-port}: the port goes down briefly (DHCP is redone). */
    BOUNCE_PORT("bounce-port");

    private final String wireName;

    CoaAction(String wireName) {
        this.wireName = wireName;
    }

    /** The configuration spelling. */
    public String wireName() {
        return wireName;
    }

    /** The default for a vendor: Cisco re-authenticates, every other NAS gets a Disconnect-Request. */
    public static CoaAction defaultFor(VendorProfile vendor) {
        return vendor == VendorProfile.CISCO ? REAUTHENTICATE : DISCONNECT;
    }

    /** True when a NAS of this vendor understands the action (the CoA commands are Cisco's). */
    public boolean supportedBy(VendorProfile vendor) {
        return this == DISCONNECT || vendor == VendorProfile.CISCO;
    }

    /** Parses {@code reauthenticate}, {@code disconnect} or {@code bounce-port}. */
    public static CoaAction fromName(String name) {
        String n = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        for (CoaAction a : values()) {
            if (a.wireName.equals(n)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown CoA action '" + name
                + "' (expected reauthenticate, disconnect or bounce-port)");
    }
}
