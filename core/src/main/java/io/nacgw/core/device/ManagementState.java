package io.nacgw.core.device;

/** Whether the MDM manages the device. A retired device (removed from the MDM) counts as unmanaged for access. */
public enum ManagementState {
    MANAGED, UNMANAGED, RETIRED;

    private static final ManagementState[] VALUES = values();
    private final String wire = WireNames.camel(this);

    public String wireName() {
        return wire;
    }

    public static ManagementState fromWire(String text) {
        return WireNames.parse(VALUES, ManagementState::wireName, "management state", text);
    }
}
