package io.nacgw.nacapi;

import io.nacgw.core.testing.TestStores;
import io.nacgw.core.device.ComplianceState;
import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.service.ComplianceService;
import io.nacgw.core.service.IndexSettings;
import io.nacgw.core.store.ComplianceStore;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keyset pages agree whether they come from memory or (index over its bound) from the store. */
final class DeviceListingTest {

    @Test
    void memoryAndStore_giveTheSamePages_inUnsignedIdOrder() {
        try (ComplianceStore store = ComplianceStore.open(TestStores.fresh(2))) {
            List<DeviceRecord> all = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                // ids with the top bit set sort last unsigned but first signed: the order must be unsigned
                UUID id = new UUID((i % 2 == 0 ? 0x8000_0000_0000_0000L : 0L) + i, i);
                all.add(TestGateway.device(id, i % 3 == 0 ? ComplianceState.NONCOMPLIANT : ComplianceState.COMPLIANT));
            }
            store.upsertAll(all);
            try (ComplianceService full = ComplianceService.start(store, IndexSettings.DEFAULTS);
                 ComplianceService partial = ComplianceService.start(store, IndexSettings.DEFAULTS.withMaxDevices(3))) {
                assertTrue(full.complete());
                assertFalse(partial.complete());
                List<List<String>> fromMemory = pages(new DeviceListing(full));
                List<List<String>> fromStore = pages(new DeviceListing(partial));
                assertEquals(fromMemory, fromStore);
                assertEquals(3, fromMemory.size()); // 9 non-compliant devices, 4 per page
                List<String> flat = new ArrayList<>();
                fromMemory.forEach(flat::addAll);
                assertEquals(9, flat.size());
                assertTrue(flat.get(0).startsWith("00000000"), flat.toString());
                assertTrue(flat.get(flat.size() - 1).startsWith("80000000"), flat.toString());
            }
        }
    }

    private static List<List<String>> pages(DeviceListing listing) {
        List<List<String>> out = new ArrayList<>();
        DeviceListing.Cursor after = null;
        while (true) {
            DeviceListing.Page p = listing.page(d -> d.complianceState() == ComplianceState.NONCOMPLIANT, after, 4);
            List<String> ids = new ArrayList<>();
            p.devices().forEach(d -> ids.add(d.deviceId().canonical()));
            out.add(ids);
            if (!p.more()) {
                return out;
            }
            after = DeviceListing.Cursor.of(p.devices().get(p.devices().size() - 1));
        }
    }
}
