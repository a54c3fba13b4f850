package io.nacgw.core.service;

import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.device.ManagementState;
import io.nacgw.core.id.MacAddress;
import io.nacgw.core.id.SerialNumber;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.nacgw.core.testing.TestDevices.NOW;
import static io.nacgw.core.testing.TestDevices.compliant;
import static io.nacgw.core.testing.TestDevices.id;
import static io.nacgw.core.testing.TestDevices.mac;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

final class DeviceIndexTest {

    @Test
    void randomPutsAndRemoves_agreeWithAModel() {
        DeviceIndex index = new DeviceIndex(0);
        Map<Integer, DeviceRecord> model = new HashMap<>();
        Random rnd = new Random(42);
        for (int step = 0; step < 60_000; step++) {
            int n = rnd.nextInt(3_000);
            if (rnd.nextInt(4) == 0) {
                assertEquals(model.remove(n), index.remove(id(n)), "remove " + n);
            } else {
                DeviceRecord r = compliant(n).macs(List.of(mac(n), MacAddress.of(0x0B0000000000L | rnd.nextInt(100_000))))
                        .serial(SerialNumber.parse("S" + n)).lastModified(NOW.plusMillis(step)).build();
                index.putIfNewer(r, Integer.MAX_VALUE);
                model.put(n, r);
            }
            if (step % 997 == 0) {
                for (int k = 0; k < 3_000; k++) {
                    DeviceRecord expected = model.get(k);
                    assertSame(expected, index.get(id(k)), "id " + k + " at step " + step);
                    assertSame(expected, index.get(mac(k)), "mac " + k);
                    assertSame(expected, index.get(SerialNumber.parse("S" + k)), "serial " + k);
                }
                assertEquals(model.size(), index.size());
            }
        }
        int[] visited = {0};
        index.forEach(r -> visited[0]++);
        assertEquals(model.size(), visited[0]);
    }

    @Test
    void olderRecord_doesNotReplaceNewer() {
        DeviceIndex index = new DeviceIndex(10);
        DeviceRecord newer = compliant(1).lastModified(NOW).build();
        DeviceRecord older = compliant(1).osVersion("old").lastModified(NOW.minusSeconds(1)).build();
        assertNull(index.putIfNewer(newer, 10));
        assertSame(older, index.putIfNewer(older, 10), "stale put returns the argument");
        assertSame(newer, index.get(id(1)));
    }

    @Test
    void macSharedWithRetiredDevice_resolvesToTheManagedOne() {
        DeviceIndex index = new DeviceIndex(10);
        DeviceRecord retired = compliant(1).managementState(ManagementState.RETIRED).lastModified(NOW.plusSeconds(9)).build();
        DeviceRecord current = compliant(2).macs(List.of(mac(1))).build();
        index.putIfNewer(retired, 10);
        index.putIfNewer(current, 10);
        assertSame(current, index.get(mac(1)));
        index.remove(id(2));
        assertSame(retired, index.get(mac(1)));
    }

    @Test
    void full_refusesNewDevices_butUpdatesResidentOnes() {
        DeviceIndex index = new DeviceIndex(1);
        index.putIfNewer(compliant(1).build(), 1);
        assertNull(index.putIfNewer(compliant(2).build(), 1));
        assertNull(index.get(id(2)));
        DeviceRecord v2 = compliant(1).lastModified(NOW).build();
        index.putIfNewer(v2, 1);
        assertSame(v2, index.get(id(1)));
    }
}
