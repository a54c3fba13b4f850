package io.nacgw.loadgen;

import io.nacgw.core.device.ComplianceState;
import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.device.ManagementState;
import io.nacgw.core.id.MacAddress;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class SyntheticDevicesTest {
    private static final Instant AT = Instant.parse("2026-11-23T12:00:00Z");

    @Test
    void sameSeed_sameDevices_otherSeed_otherDevices() {
        SyntheticDevices a = new SyntheticDevices(7, 100, SyntheticDevices.defaultMix(), "SYN-", AT);
        SyntheticDevices b = new SyntheticDevices(7, 100, SyntheticDevices.defaultMix(), "SYN-", AT);
        SyntheticDevices c = new SyntheticDevices(8, 100, SyntheticDevices.defaultMix(), "SYN-", AT);
        for (int i = 0; i < 100; i++) {
            assertEquals(a.device(i), b.device(i));
            assertNotEquals(a.device(i).deviceId(), c.device(i).deviceId());
        }
    }

    @Test
    void classesMatchRecords_mixIsRespected_identifiersUnique() {
        int n = 20_000;
        SyntheticDevices s = new SyntheticDevices(3, n, SyntheticDevices.defaultMix(), "SYN-", AT);
        Map<DeviceClass, Integer> counts = new EnumMap<>(DeviceClass.class);
        Set<MacAddress> macs = new HashSet<>();
        for (int i = 0; i < n; i++) {
            DeviceRecord d = s.device(i);
            DeviceClass c = s.classOf(i);
            counts.merge(c, 1, Integer::sum);
            switch (c) {
                case COMPLIANT: assertEquals(ComplianceState.COMPLIANT, d.complianceState()); break;
                case NONCOMPLIANT: assertEquals(ComplianceState.NONCOMPLIANT, d.complianceState()); break;
                case GRACE: assertEquals(ComplianceState.IN_GRACE_PERIOD, d.complianceState()); break;
                default: assertEquals(ManagementState.UNMANAGED, d.managementState());
            }
            assertEquals(s.primaryMac(i), d.macs().get(0));
            assertTrue(d.macs().size() >= 1 && d.macs().size() <= 3);
            for (MacAddress m : d.macs()) {
                assertTrue(macs.add(m), "duplicate MAC " + m);
            }
            assertTrue(!d.matches(s.unknownMac(i)));
        }
        assertEquals(0.8, counts.get(DeviceClass.COMPLIANT) / (double) n, 0.02);
        assertEquals(0.1, counts.get(DeviceClass.NONCOMPLIANT) / (double) n, 0.02);
    }

    @Test
    void badMix_isRejected() {
        assertThrows(IllegalArgumentException.class, () -> SyntheticDevices.parseMix("compliant=abc"));
        assertThrows(IllegalArgumentException.class, () -> SyntheticDevices.parseMix("happy=1"));
        assertThrows(IllegalArgumentException.class,
                () -> new SyntheticDevices(1, 1, SyntheticDevices.parseMix("compliant=0.5"), "SYN-", AT));
    }
}
