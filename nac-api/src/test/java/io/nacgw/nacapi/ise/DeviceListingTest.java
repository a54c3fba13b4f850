package io.nacgw.nacapi.ise;

import io.nacgw.nacapi.TestGateway;
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
import java.util.function.ToIntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keyset pages by store sequence agree whether they come from memory or (index over its bound) from the store. */
final class DeviceListingTest {

    @Test
    void memoryAndStore_giveTheSamePages_inStoreSequenceOrder() {
        try (ComplianceStore store = ComplianceStore.open(TestStores.fresh(2))) {
            List<DeviceRecord> all = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                // ids in descending order: the listing follows the order devices were stored, not their ids
                UUID id = new UUID(1000 - i, i);
                all.add(TestGateway.device(id, i % 3 == 0 ? ComplianceState.NONCOMPLIANT : ComplianceState.COMPLIANT,
                        i % 2 == 0 ? new String[] {"02:00:00:00:00:" + String.format("%02x", i)}
                                : new String[] {"02:00:00:00:01:" + String.format("%02x", i), "02:00:00:00:02:" + String.format("%02x", i)}));
            }
            for (DeviceRecord d : all) {
                store.upsert(d);
            }
            try (ComplianceService full = ComplianceService.start(store, IndexSettings.DEFAULTS);
                 ComplianceService partial = ComplianceService.start(store, IndexSettings.DEFAULTS.withMaxDevices(3))) {
                assertTrue(full.complete());
                assertFalse(partial.complete());
                List<List<String>> fromMemory = pages(new DeviceListing(full), d -> 1);
                List<List<String>> fromStore = pages(new DeviceListing(partial), d -> 1);
                assertEquals(fromMemory, fromStore);
                assertEquals(3, fromMemory.size()); // 9 non-compliant devices, 4 per page
                List<String> flat = new ArrayList<>();
                fromMemory.forEach(flat::addAll);
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < 25; i += 3) {
                    expected.add(all.get(i).deviceId().canonical());
                }
                assertEquals(expected, flat);

                // weighted by MACs (one entry each): whole devices, at most 4 entries per page
                List<List<String>> byMac = pages(new DeviceListing(full), d -> d.macs().size());
                assertEquals(byMac, pages(new DeviceListing(partial), d -> d.macs().size()));
                List<String> flatByMac = new ArrayList<>();
                for (List<String> page : byMac) {
                    int entries = 0;
                    for (String id : page) {
                        entries += UUID.fromString(id).getLeastSignificantBits() % 2 == 0 ? 1 : 2;
                    }
                    assertTrue(entries <= 4, page.toString());
                    flatByMac.addAll(page);
                }
                assertEquals(expected, flatByMac);
            }
        }
    }

    @Test
    void oneDeviceWithMoreEntriesThanAPage_isListedAlone() {
        try (ComplianceStore store = ComplianceStore.open(TestStores.fresh(2));
             ComplianceService svc = ComplianceService.start(store, IndexSettings.DEFAULTS)) {
            svc.upsert(TestGateway.device(new UUID(1, 1), ComplianceState.NONCOMPLIANT, "02:00:00:00:00:01",
                    "02:00:00:00:00:02", "02:00:00:00:00:03"));
            svc.upsert(TestGateway.device(new UUID(1, 2), ComplianceState.NONCOMPLIANT, "02:00:00:00:00:04"));
            List<List<String>> pages = pages(new DeviceListing(svc), d -> d.macs().size(), 2);
            assertEquals(List.of(List.of(new UUID(1, 1).toString()), List.of(new UUID(1, 2).toString())), pages);
        }
    }

    private static List<List<String>> pages(DeviceListing listing, ToIntFunction<DeviceRecord> entries) {
        return pages(listing, entries, 4);
    }

    private static List<List<String>> pages(DeviceListing listing, ToIntFunction<DeviceRecord> entries, int limit) {
        List<List<String>> out = new ArrayList<>();
        long after = 0;
        while (true) {
            DeviceListing.Page p = listing.page(d -> d.complianceState() == ComplianceState.NONCOMPLIANT, after, limit,
                    entries);
            List<String> ids = new ArrayList<>();
            p.devices().forEach(d -> ids.add(d.deviceId().canonical()));
            out.add(ids);
            if (!p.more()) {
                return out;
            }
            after = p.last();
        }
    }
}
