package io.nacgw.core.device;

/**
 * Whether the MDM manages the device. A retired device (removed from the MDM) counts as unmanaged for access.
 * {@link #REGISTRATION_HELD}: enrolled, but its registration is not in effect (Intune's
 * {@code deviceRegistrationState} revoked, approvalPending, certificateReset or notRegisteredPendingEnrollment);
 * each network profile decides whether that counts as unmanaged (the default) or managed.
 */
public enum ManagementState {
    MANAGED, UNMANAGED, RETIRED, REGISTRATION_HELD;

    private static final ManagementState[] VALUES = values();
    private final String wire = WireNames.camel(this);

    public String wireName() {
        return wire;
    }

    public static ManagementState fromWire(String text) {
        return WireNames.parse(VALUES, ManagementState::wireName, "management state", text);
    }
}
