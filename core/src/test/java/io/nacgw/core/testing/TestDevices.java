package io.nacgw.core.testing;

import io.nacgw.core.device.ComplianceState;
import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.device.ManagementState;
import io.nacgw.core.device.Ownership;
import io.nacgw.core.device.Platform;
import io.nacgw.core.id.DeviceGuid;
import io.nacgw.core.id.IdentifierKind;
import io.nacgw.core.id.MacAddress;
import io.nacgw.core.store.ComplianceStore;

import java.time.Instant;
import java.util.UUID;

/** Sample devices and throw-away stores for tests (shipped in the core test-jar for other modules). */
public final class TestDevices {
    /** A fixed "now" that tests use as the clock. */
    public static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    private TestDevices() {
    }

    /** The Intune id of test device number {@code n}. */
    public static DeviceGuid id(int n) {
        return DeviceGuid.of(IdentifierKind.INTUNE_ID, new UUID(0x1759c0fd7b3c4d2aL, n));
    }

    /** The MAC of test device number {@code n}. */
    public static MacAddress mac(int n) {
        return MacAddress.of(0x02_00_00_00_00_00L | n);
    }

    /** A managed, compliant, corporate Windows laptop that checked in an hour before {@link #NOW}. */
    public static DeviceRecord.Builder compliant(int n) {
        return DeviceRecord.builder().deviceId(id(n)).deviceName("LAPTOP-" + n).userPrincipalName("user" + n + "@example.com")
                .platform(Platform.WINDOWS).osVersion("10.0.22631.4460").model("Latitude 7440").manufacturer("Dell Inc.")
                .ownership(Ownership.CORPORATE).managementState(ManagementState.MANAGED)
                .complianceState(ComplianceState.COMPLIANT).encrypted(true)
                .lastCheckIn(NOW.minusSeconds(3600)).lastModified(NOW.minusSeconds(3600)).addMac(mac(n));
    }

    /** A fresh, empty store on the embedded engine (see {@link TestStores}). */
    public static ComplianceStore memoryStore() {
        return TestStores.freshStore();
    }
}
