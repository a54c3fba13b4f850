package io.nacgw.core.device;

/** A device's compliance state, exactly Intune's {@code managedDevice.complianceState} values. */
public enum ComplianceState {
    UNKNOWN, COMPLIANT, NONCOMPLIANT, CONFLICT, ERROR, IN_GRACE_PERIOD, CONFIG_MANAGER;

    private static final ComplianceState[] VALUES = values();
    private final String wire = WireNames.camel(this);

    /** Intune's spelling, e.g. {@code inGracePeriod}. */
    public String wireName() {
        return wire;
    }

    /** Parses Intune's spelling, case-insensitively. */
    public static ComplianceState fromWire(String text) {
        return WireNames.parse(VALUES, ComplianceState::wireName, "compliance state", text,
                "non-compliant=noncompliant", "in_grace_period=inGracePeriod", "config_manager=configManager");
    }
}
