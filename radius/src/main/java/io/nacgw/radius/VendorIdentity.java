package io.nacgw.radius;

import io.nacgw.core.id.IdentifierKind;

import java.util.Objects;

/**
 * A vendor-specific attribute that carries a device identifier, for {@link IdentitySource#VENDOR_ATTRIBUTE}, e.g.
 * Palo Alto's Client-Hostname is not an identifier, but a FortiGate or a custom NAS may send a serial or MAC.
 *
 * @param vendorId  IANA enterprise number
 * @param type      vendor attribute type (1-255)
 * @param kind      how to parse its text
 */
public record VendorIdentity(int vendorId, int type, IdentifierKind kind) {
    public VendorIdentity {
        if (vendorId <= 0) {
            throw new IllegalArgumentException("vendorId must be positive");
        }
        if (type < 1 || type > 255) {
            throw new IllegalArgumentException("vendor attribute type must be 1-255");
        }
        Objects.requireNonNull(kind, "kind");
    }
}
