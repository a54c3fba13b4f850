package io.nacgw.core.device;

/** Who owns the device; Graph's {@code managedDeviceOwnerType} {@code company} maps to {@code corporate}. */
public enum Ownership {
    CORPORATE, PERSONAL, UNKNOWN;

    private static final Ownership[] VALUES = values();
    private final String wire = name().toLowerCase(java.util.Locale.ROOT);

    public String wireName() {
        return wire;
    }

    public static Ownership fromWire(String text) {
        return WireNames.parse(VALUES, Ownership::wireName, "ownership", text, "company=corporate");
    }
}
