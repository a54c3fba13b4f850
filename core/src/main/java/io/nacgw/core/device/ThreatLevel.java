package io.nacgw.core.device;

/**
 * Mobile Threat Defense level of a device, in increasing severity; {@link #UNKNOWN} means no MTD report.
 */
public enum ThreatLevel {
    SECURED, LOW, MEDIUM, HIGH, UNKNOWN;

    private static final ThreatLevel[] VALUES = values();
    private final String wire = name().toLowerCase(java.util.Locale.ROOT);

    public String wireName() {
        return wire;
    }

    /** True when this level is known and more severe than {@code max}. */
    public boolean exceeds(ThreatLevel max) {
        return this != UNKNOWN && max != UNKNOWN && ordinal() > max.ordinal();
    }

    public static ThreatLevel fromWire(String text) {
        return WireNames.parse(VALUES, ThreatLevel::wireName, "threat level", text, "clear=secured");
    }
}
