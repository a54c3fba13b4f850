package io.nacgw.core.service;

import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.device.ManagementState;
import io.nacgw.core.id.DeviceIdentifier;
import io.nacgw.core.id.MacAddress;
import io.nacgw.core.id.SerialNumber;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static io.nacgw.core.testing.TestDevices.NOW;
import static io.nacgw.core.testing.TestDevices.compliant;
import static io.nacgw.core.testing.TestDevices.id;
import static io.nacgw.core.testing.TestDevices.mac;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void putAll_countsTheResidentDevices_newReplacedAndStale_notTheRefused() {
        DeviceIndex index = new DeviceIndex(0);
        index.putIfNewer(compliant(1).lastModified(NOW).build(), 3);
        index.putIfNewer(compliant(2).lastModified(NOW).build(), 3);
        DeviceRecord stale = compliant(1).osVersion("stale").lastModified(NOW.minusSeconds(1)).build();
        DeviceRecord newer = compliant(2).osVersion("newer").lastModified(NOW.plusSeconds(1)).build();
        assertEquals(3, index.putAllIfNewer(List.of(stale, newer, compliant(3).build(), compliant(4).build()), 3));
        assertEquals(3, index.size());
        assertSame(newer, index.get(id(2)));
        assertNull(index.get(id(4)), "refused: full");
        int[] visited = {0};
        index.forEach(r -> visited[0]++);
        assertEquals(3, visited[0]);
    }

    /**
     * Writers (newer versions, stale versions, remove and re-add) against optimistic readers on a table that starts
     * small so it also resizes under them. Checked: a reader never misses a device that stays resident, never sees
     * a record that does not carry the identifier it asked for, never sees a version go backwards or a stale write,
     * and the final table holds exactly the newest version of every resident device under every identifier.
     */
    @Test
    void concurrentWritersAndOptimisticReaders_keepTheInvariants() throws Exception {
        // 3,000 keys (id and MAC each) in the 4,096 slots the table grows to once churn starts: 73% load, long clusters
        int stable = 300; // devices 0..299 stay resident and get ever newer versions
        int churn = 1_200; // devices 300..1499 are removed and re-added
        int rounds = 100;
        DeviceIndex index = new DeviceIndex(16);
        for (int n = 0; n < stable; n++) {
            index.putIfNewer(version(n, 0), Integer.MAX_VALUE);
        }
        AtomicBoolean writing = new AtomicBoolean(true);
        ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        AtomicLong reads = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(5);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> writers = new ArrayList<>();
        writers.add(pool.submit(() -> { // newer versions of the stable devices
            go.await();
            for (int v = 1; v <= rounds; v++) {
                for (int n = 0; n < stable; n++) {
                    index.putIfNewer(version(n, v), Integer.MAX_VALUE);
                }
            }
            return null;
        }));
        DeviceRecord[] staleRecords = new DeviceRecord[stable];
        for (int n = 0; n < stable; n++) {
            staleRecords[n] = compliant(n).osVersion("stale").lastModified(NOW.minusSeconds(1)).build();
        }
        DeviceRecord[] churnRecords = new DeviceRecord[churn];
        for (int n = 0; n < churn; n++) {
            churnRecords[n] = version(stable + n, 0);
        }
        writers.add(pool.submit(() -> { // stale writes, which must never land
            go.await();
            for (int v = 0; v < rounds; v++) {
                for (int n = 0; n < stable; n++) {
                    DeviceRecord old = staleRecords[n];
                    if (index.putIfNewer(old, Integer.MAX_VALUE) != old) {
                        violations.add("stale write of " + n + " was applied");
                    }
                }
            }
            return null;
        }));
        writers.add(pool.submit(() -> { // churn: add, remove, add again (backward-shift deletes and resizes)
            go.await();
            for (int v = 0; v < 4 * rounds; v++) { // the most rounds: deletes are where a reader could miss
                for (DeviceRecord r : churnRecords) {
                    index.putIfNewer(r, Integer.MAX_VALUE); // re-adds the half removed last round
                }
                for (int n = v % 2; n < churn; n += 2) {
                    index.remove(churnRecords[n].deviceId());
                }
            }
            return null;
        }));
        DeviceIdentifier[] idents = new DeviceIdentifier[2 * (stable + churn)];
        for (int n = 0; n < stable + churn; n++) {
            idents[2 * n] = id(n);
            idents[2 * n + 1] = mac(n);
        }
        List<Future<?>> readers = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            int seed = t;
            readers.add(pool.submit(() -> {
                Random rnd = new Random(seed);
                int[] lastSeen = new int[stable];
                long done = 0;
                go.await();
                while (writing.get() && violations.size() < 10) {
                    int k = rnd.nextInt(4) == 0 ? rnd.nextInt(idents.length) : rnd.nextInt(2 * stable);
                    int n = k / 2;
                    DeviceIdentifier ident = idents[k];
                    DeviceRecord r = index.get(ident);
                    done++;
                    if (r == null) {
                        if (n < stable) {
                            violations.add("resident device " + n + " missed by " + ident);
                        }
                        continue;
                    }
                    if (!r.matches(ident) || !r.deviceId().equals(idents[2 * n])) {
                        violations.add(ident + " returned device " + r.deviceId());
                    } else if (n < stable) {
                        int v = versionOf(r);
                        if (v < lastSeen[n]) {
                            violations.add("device " + n + " went back from version " + lastSeen[n] + " to " + v);
                        }
                        lastSeen[n] = Math.max(lastSeen[n], v);
                    }
                }
                reads.addAndGet(done);
                return null;
            }));
        }
        go.countDown();
        try {
            for (Future<?> f : writers) {
                f.get();
            }
        } finally {
            writing.set(false);
        }
        for (Future<?> f : readers) {
            f.get();
        }
        pool.shutdown();
        assertEquals(List.of(), List.copyOf(violations));
        assertTrue(reads.get() > 0, "the readers ran");

        int resident = 0;
        for (int n = 0; n < stable + churn; n++) {
            DeviceRecord r = index.get(id(n));
            if (n < stable) {
                assertEquals(rounds, versionOf(r), "newest version of " + n);
            }
            assertSame(r, index.get(mac(n)), "same record by MAC and by id, device " + n);
            resident += r == null ? 0 : 1;
        }
        assertEquals(stable + churn / 2, resident, "every stable device and the churn half added last");
        assertEquals(resident, index.size());
        int[] visited = {0};
        index.forEach(r -> visited[0]++);
        assertEquals(resident, visited[0]);
    }

    private static DeviceRecord version(int n, int v) {
        return compliant(n).osVersion("v" + v).lastModified(NOW.plusMillis(v)).build();
    }

    /** The version {@link #version} wrote, or -1 for anything else (a stale write). */
    private static int versionOf(DeviceRecord r) {
        String v = r.osVersion().orElseThrow();
        return v.startsWith("v") ? Integer.parseInt(v.substring(1)) : -1;
    }
}
