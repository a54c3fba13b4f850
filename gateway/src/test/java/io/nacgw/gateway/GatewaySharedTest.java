package io.nacgw.gateway;

import io.nacgw.core.device.ComplianceState;
import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.service.DeviceChange;
import io.nacgw.core.store.StoreSettings;
import io.nacgw.core.testing.Postgres;
import io.nacgw.core.testing.TestDevices;
import io.nacgw.gateway.config.ConfigLoader;
import io.nacgw.gateway.config.NacgwConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shared mode: two gateways on one PostgreSQL schema see each other's committed device changes. */
final class GatewaySharedTest {
    @RegisterExtension
    final Postgres pg = new Postgres();
    @TempDir
    Path dirA;
    @TempDir
    Path dirB;
    private final List<Gateway> started = new ArrayList<>();

    @AfterEach
    void stop() {
        for (Gateway g : started) {
            g.close();
        }
    }

    private static NacgwConfig config(StoreSettings store, Path dir) {
        Properties p = new Properties();
        p.setProperty("nacgw.radius.enabled", "false");
        p.setProperty("nacgw.api.enabled", "false");
        p.setProperty("nacgw.metrics.enabled", "false");
        p.setProperty("nacgw.store.url", store.jdbcUrl());
        p.setProperty("nacgw.store.user", store.user());
        p.setProperty("nacgw.store.catchUpInterval", "1s");
        return new ConfigLoader().load(null, Map.of(), p).withDataDir(dir);
    }

    private Gateway start(StoreSettings store, Path dir) {
        Gateway g = Gateway.start(config(store, dir), Clock.systemUTC());
        started.add(g);
        return g;
    }

    private static DeviceRecord device(int n, ComplianceState state, Instant modified) {
        return TestDevices.compliant(n).lastModified(modified).complianceState(state).build();
    }

    /** Devices 1 to {@code count}, every seventh noncompliant. */
    private static List<DeviceRecord> devices(int count) {
        List<DeviceRecord> out = new ArrayList<>(count);
        for (int n = 1; n <= count; n++) {
            out.add(device(n, n % 7 == 0 ? ComplianceState.NONCOMPLIANT : ComplianceState.COMPLIANT, TestDevices.NOW));
        }
        return out;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void upsertAndDeleteOnA_reachB_withAChangeEventForCoa() throws Exception {
        StoreSettings store = pg.freshSchema();
        Gateway a = start(store, dirA);
        Gateway b = start(store, dirB);
        List<DeviceChange> onB = new CopyOnWriteArrayList<>();
        b.compliance().addListener(onB::add);
        List<DeviceChange> onA = new CopyOnWriteArrayList<>();
        a.compliance().addListener(onA::add);
        Instant t = TestDevices.NOW;

        a.compliance().upsert(device(1, ComplianceState.COMPLIANT, t));
        await(() -> b.compliance().findResident(TestDevices.mac(1)) != null, "device 1 on B");
        a.compliance().upsert(device(1, ComplianceState.NONCOMPLIANT, t.plusSeconds(1)));
        await(() -> b.compliance().findResident(TestDevices.mac(1)).complianceState() == ComplianceState.NONCOMPLIANT,
                "the noncompliant version on B");
        await(() -> onB.size() == 2, "two change events on B");
        assertNull(onB.get(0).before());
        assertEquals(ComplianceState.COMPLIANT, onB.get(1).before().complianceState(), "CoA compares before and after");
        assertEquals(ComplianceState.NONCOMPLIANT, onB.get(1).after().complianceState());

        assertTrue(a.compliance().delete(TestDevices.id(1)));
        await(() -> b.compliance().findResident(TestDevices.mac(1)) == null, "device 1 gone on B");
        await(() -> onB.size() == 3, "a deletion event on B");
        assertNull(onB.get(2).after());
        // A's own changes come back through the log without a second event there
        // read through its third change (one read may cover several changes of one device, applied once)
        await(() -> a.changeLog().stats().lastSequence() >= 3, "A read its own changes");
        assertEquals(3, onA.size(), "A emitted each of its changes once");
    }

    @Test
    void bulkOf10000OnA_allOnB() throws Exception {
        StoreSettings store = pg.freshSchema();
        Gateway a = start(store, dirA);
        Gateway b = start(store, dirB);
        List<DeviceRecord> bulk = devices(10_000);
        a.compliance().upsertAll(bulk);
        await(() -> b.compliance().residentCount() == 10_000, "10,000 devices on B");
        for (int n = 1; n <= 10_000; n++) {
            DeviceRecord r = b.compliance().findResident(TestDevices.mac(n));
            assertEquals(bulk.get(n - 1).complianceState(), r.complianceState(), "device " + n);
        }
    }

    @Test
    void nodeDownDuring1000Changes_catchesUpOnRestart() throws Exception {
        StoreSettings store = pg.freshSchema();
        Gateway a = start(store, dirA);
        Gateway b = start(store, dirB);
        a.compliance().upsertAll(devices(500));
        await(() -> b.compliance().residentCount() == 500, "500 on B");
        b.close();
        started.remove(b);
        for (int n = 1; n <= 1_000; n++) { // 500 updates, 500 new devices, one at a time
            a.compliance().upsert(device(n, ComplianceState.NONCOMPLIANT, TestDevices.NOW.plusSeconds(1)));
        }
        Gateway b2 = start(store, dirB);
        List<DeviceChange> later = new CopyOnWriteArrayList<>();
        b2.compliance().addListener(later::add);
        assertEquals(1_000, b2.compliance().residentCount());
        for (int n = 1; n <= 1_000; n++) {
            assertEquals(ComplianceState.NONCOMPLIANT, b2.compliance().findResident(TestDevices.mac(n)).complianceState());
        }
        // and it follows from there
        a.compliance().upsert(device(1, ComplianceState.COMPLIANT, TestDevices.NOW.plusSeconds(2)));
        await(() -> later.size() == 1, "the next change on the restarted node");
        assertEquals(ComplianceState.COMPLIANT, b2.compliance().findResident(TestDevices.mac(1)).complianceState());
    }

    /** Propagation latency, commit on A to the change event on B, at about 50 changes/s (figures are logged). */
    @Test
    void propagationLatency_measured() throws Exception {
        StoreSettings store = pg.freshSchema();
        Gateway a = start(store, dirA);
        Gateway b = start(store, dirB);
        int count = Integer.getInteger("nacgw.shared.latencyChanges", 300);
        Map<Integer, Long> seenOnB = new ConcurrentHashMap<>();
        b.compliance().addListener(c -> seenOnB.put((int) c.after().lastModifiedEpochMilli() % 1_000_000,
                System.nanoTime()));
        long[] committed = new long[count];
        for (int i = 0; i < count; i++) {
            a.compliance().upsert(device(i + 1, ComplianceState.COMPLIANT, Instant.ofEpochMilli(i)));
            committed[i] = System.nanoTime();
            Thread.sleep(20);
        }
        await(() -> seenOnB.size() == count, "every change on B");
        long[] micros = new long[count];
        for (int i = 0; i < count; i++) {
            micros[i] = Math.max(0, (seenOnB.get(i) - committed[i]) / 1_000);
        }
        Arrays.sort(micros);
        System.out.printf("shared propagation over %d changes at ~50/s: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                count, micros[count / 2] / 1e3, micros[(int) (count * 0.99)] / 1e3, micros[count - 1] / 1e3);
    }
}
