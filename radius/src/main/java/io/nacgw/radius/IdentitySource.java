package io.nacgw.radius;

import java.util.List;
import java.util.Locale;

/** Where a request's device identifier may be found, tried in the NAS client's configured order. */
public enum IdentitySource {
    /** Cisco-AVPair {@code mdm-tlv=device-uid=...} (Secure Client / ASA). */
    CISCO_DEVICE_UID,
    /** Cisco-AVPair {@code mdm-tlv=device-mac=...}. */
    CISCO_DEVICE_MAC,
    /** Calling-Station-Id when it holds a MAC (text in any format, or 6 raw bytes). */
    CALLING_STATION_ID,
    /** User-Name when it holds a MAC. */
    USER_NAME,
    /** The NAS client's configured vendor attribute ({@link NasClient#vendorIdentity()}). */
    VENDOR_ATTRIBUTE;

    /** The default order: the strongest identifiers first. */
    public static final List<IdentitySource> DEFAULT_ORDER =
            List.of(CISCO_DEVICE_UID, CISCO_DEVICE_MAC, CALLING_STATION_ID, USER_NAME);

    /** Parses config names such as {@code cisco-device-uid} or {@code calling-station-id}. */
    public static IdentitySource fromName(String name) {
        if (name != null) {
            try {
                return valueOf(name.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                // not one of ours: the message below lists the names
            }
        }
        throw new IllegalArgumentException("unknown identity source '" + name + "' (expected cisco-device-uid, "
                + "cisco-device-mac, calling-station-id, user-name or vendor-attribute)");
    }
}
