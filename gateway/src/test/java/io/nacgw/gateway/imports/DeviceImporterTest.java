package io.nacgw.gateway.imports;

import io.nacgw.core.device.ComplianceState;
import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.id.MacAddress;
import io.nacgw.core.store.ComplianceStore;
import io.nacgw.core.testing.TestDevices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static io.nacgw.core.testing.TestDevices.NOW;
import static io.nacgw.core.testing.TestDevices.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class DeviceImporterTest {
    @TempDir
    Path dir;
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    private static String json(DeviceRecord r) {
        return io.nacgw.nacapi.json.DeviceJson.toJson(r);
    }

    @Test
    void jsonl_goodAndBadLines_badOnesReportedWithLineNumbers() throws Exception {
        DeviceRecord a = TestDevices.compliant(1).build();
        DeviceRecord b = TestDevices.compliant(2).complianceState(ComplianceState.NONCOMPLIANT).build();
        Path f = dir.resolve("d.jsonl");
        Files.writeString(f, json(a) + "\n\n{not json\n" + json(b) + "\n{\"deviceId\":\"" + id(3) + "\",\"macs\":[\"zz\"]}\n"
                + "{\"deviceId\":\"" + id(4) + "\",\"colour\":\"red\"}\n");
        try (ComplianceStore store = TestDevices.memoryStore()) {
            List<String> errors = new ArrayList<>();
            DeviceImporter.Result r = new DeviceImporter(store::upsertAll, 1, clock)
                    .importFile(f, DeviceImporter.Format.JSONL, false, errors::add, p -> { });
            assertEquals(new DeviceImporter.Result(5, 2, 0, 0, 3, false), r);
            assertEquals(3, errors.size());
            assertTrue(errors.get(0).startsWith("line 3: not valid JSON"), errors.get(0));
            assertTrue(errors.get(1).startsWith("line 5: invalid MAC address 'zz'"), errors.get(1));
            assertTrue(errors.get(2).startsWith("line 6: unknown field 'colour'"), errors.get(2));
            assertEquals(a, store.get(id(1)).orElseThrow());
            assertEquals(b, store.get(id(2)).orElseThrow());
        }
    }

    @Test
    void strict_badLineImportsNothing() throws Exception {
        Path f = dir.resolve("d.jsonl");
        Files.writeString(f, json(TestDevices.compliant(1).build()) + "\n{\"deviceId\":\"nope\"}\n");
        try (ComplianceStore store = TestDevices.memoryStore()) {
            List<String> errors = new ArrayList<>();
            DeviceImporter.Result r = new DeviceImporter(store::upsertAll, 100, clock)
                    .importFile(f, DeviceImporter.Format.JSONL, true, errors::add, p -> { });
            assertTrue(r.aborted());
            assertEquals(1, r.bad());
            assertEquals(0, store.count());
            assertTrue(errors.get(0).startsWith("line 2: invalid Intune device id 'nope'"), errors.get(0));
        }
    }

    @Test
    void reimport_isStale_newerIsUpdated() throws Exception {
        Path f = dir.resolve("d.jsonl");
        Files.writeString(f, json(TestDevices.compliant(1).build()) + "\n");
        try (ComplianceStore store = TestDevices.memoryStore()) {
            DeviceImporter imp = new DeviceImporter(store::upsertAll, 10, clock);
            imp.importFile(f, DeviceImporter.Format.JSONL, false, e -> { }, p -> { });
            assertEquals(1, imp.importFile(f, DeviceImporter.Format.JSONL, false, e -> { }, p -> { }).stale());
            Files.writeString(f, json(TestDevices.compliant(1).lastModified(NOW.plusSeconds(9)).build()) + "\n");
            assertEquals(1, imp.importFile(f, DeviceImporter.Format.JSONL, false, e -> { }, p -> { }).updated());
        }
    }

    @Test
    void csv_quotedFieldsAndSeveralMacs_missingLastModifiedIsImportTime() throws Exception {
        Path f = dir.resolve("d.csv");
        Files.writeString(f, "\uFEFFdeviceId,deviceName,managementState,complianceState,macs,platform\r\n"
                + id(1) + ",\"Alice's \"\"Mac\"\", 14\"\"\",managed,compliant,\"AA-BB-CC-DD-EE-01;aabb.ccdd.ee02\",macos\r\n"
                + id(2) + ",two,managed\r\n"
                + id(3) + ",three,managed,sideways,,windows\r\n");
        try (ComplianceStore store = TestDevices.memoryStore()) {
            List<String> errors = new ArrayList<>();
            DeviceImporter.Result r = new DeviceImporter(store::upsertAll, 10, clock)
                    .importFile(f, DeviceImporter.Format.of(f), false, errors::add, p -> { });
            assertEquals(1, r.inserted());
            assertEquals(2, r.bad());
            DeviceRecord d = store.get(id(1)).orElseThrow();
            assertEquals("Alice's \"Mac\", 14\"", d.deviceName().orElseThrow());
            assertEquals(List.of(MacAddress.parse("aabbccddee01"), MacAddress.parse("aabbccddee02")), d.macs());
            assertEquals(NOW, d.lastModified());
            assertTrue(errors.get(0).startsWith("line 3: 3 fields, the header has 6"), errors.get(0));
            assertTrue(errors.get(1).startsWith("line 4: unknown compliance state 'sideways'"), errors.get(1));
        }
    }

    @Test
    void csv_unknownColumnOrNoDeviceId_failsWholeFile() throws Exception {
        Path f = dir.resolve("d.csv");
        Files.writeString(f, "deviceId,colour\n");
        try (ComplianceStore store = TestDevices.memoryStore()) {
            DeviceImporter imp = new DeviceImporter(store::upsertAll, 10, clock);
            IOException e = assertThrows(IOException.class, () -> imp.importFile(f, DeviceImporter.Format.CSV, false, x -> { }, p -> { }));
            assertTrue(e.getMessage().contains("unknown column 'colour'"), e.getMessage());
            Files.writeString(f, "deviceName\nx\n");
            e = assertThrows(IOException.class, () -> imp.importFile(f, DeviceImporter.Format.CSV, false, x -> { }, p -> { }));
            assertTrue(e.getMessage().contains("no deviceId column"), e.getMessage());
            Files.writeString(f, "deviceId\n\"unterminated\n");
            e = assertThrows(IOException.class, () -> imp.importFile(f, DeviceImporter.Format.CSV, false, x -> { }, p -> { }));
            assertTrue(e.getMessage().contains("not closed"), e.getMessage());
        }
    }

    @Test
    void json_roundTripsEveryField() throws Exception {
        DeviceRecord full = TestDevices.compliant(5).graceExpiry(NOW).serial(io.nacgw.core.id.SerialNumber.parse("X1"))
                .imei(io.nacgw.core.id.Imei.parse("490154203237518")).meid(io.nacgw.core.id.Meid.parse("A10000009296F2"))
                .udid(io.nacgw.core.id.Udid.parse("00008030-001A2D3E3C41802E"))
                .entraId(io.nacgw.core.id.DeviceGuid.entra("6a0b9f3e-0c1d-4e2f-8a9b-0c1d2e3f4a5b")).build();
        var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json(full));
        assertEquals(full, io.nacgw.nacapi.json.DeviceJson.fromTree(node));
        assertFalse(json(full).contains("null"));
    }
}
