package io.nacgw.core.device;

import io.nacgw.core.id.MacAddress;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.nacgw.core.testing.TestDevices.compliant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class DeviceRecordTest {

    @Test
    void macs_areSortedWithoutRepeats_andBoundedAfterRepeatsGo() {
        List<MacAddress> macs = List.of(MacAddress.of(3), MacAddress.of(1), MacAddress.of(3), MacAddress.of(2), MacAddress.of(1));
        assertEquals(List.of(MacAddress.of(1), MacAddress.of(2), MacAddress.of(3)), compliant(1).macs(macs).build().macs());
        List<MacAddress> sixteenTwice = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            sixteenTwice.add(MacAddress.of(i % DeviceRecord.MAX_MACS));
        }
        assertEquals(DeviceRecord.MAX_MACS, compliant(1).macs(sixteenTwice).build().macs().size());
        List<MacAddress> seventeen = new ArrayList<>(sixteenTwice);
        seventeen.add(MacAddress.of(99));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> compliant(1).macs(seventeen).build());
        assertTrue(e.getMessage().contains("at most 16 MAC addresses, got 17"), e.getMessage());
        assertEquals(List.of(), compliant(1).macs(List.of()).build().macs());
    }

    @Test
    void wireNames_exactOrAnyCase_aliases_andUnknownListsTheNames() {
        assertEquals(ComplianceState.IN_GRACE_PERIOD, ComplianceState.fromWire("inGracePeriod"));
        assertEquals(ComplianceState.IN_GRACE_PERIOD, ComplianceState.fromWire(" INGRACEPERIOD "));
        assertEquals(Platform.IOS, Platform.fromWire("iPadOS"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Platform.fromWire("beos"));
        assertTrue(e.getMessage().startsWith("unknown platform 'beos' (expected one of: "), e.getMessage());
    }
}
