package io.nacgw.nacapi.json;

import io.nacgw.core.device.DeviceRecord;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class DeviceJsonTest {
    static final String FULL = "{\"deviceId\":\"1759c0fd-7b3c-4d2a-9f5e-0123456789ab\","
            + "\"entraId\":\"2759c0fd-7b3c-4d2a-9f5e-0123456789ab\",\"deviceName\":\"LAPTOP \\\"7\\\"\","
            + "\"userPrincipalName\":\"carol@example.com\",\"platform\":\"windows\",\"osVersion\":\"10.0.22631\","
            + "\"model\":\"XPS 13\",\"manufacturer\":\"Dell\",\"ownership\":\"corporate\",\"managementState\":\"managed\","
            + "\"complianceState\":\"inGracePeriod\",\"graceExpiry\":\"2026-12-01T00:00:00Z\",\"policyAssigned\":false,"
            + "\"threatLevel\":\"low\",\"jailbroken\":false,\"encrypted\":true,\"lastCheckIn\":\"2026-11-23T09:00:00Z\","
            + "\"lastModified\":\"2026-11-23T09:00:01.5Z\",\"macs\":[\"00:11:22:33:44:55\",\"aa:bb:cc:dd:ee:ff\"],"
            + "\"serial\":\"PF3ABC12\",\"imei\":\"490154203237518\",\"meid\":\"A0000000002329\",\"udid\":\"00008030-001A35E11A88003A\"}";

    @Test
    void parse_thenWrite_roundTripsEveryField() {
        DeviceRecord d = DeviceJson.parse(FULL);
        assertEquals("inGracePeriod", d.complianceState().wireName());
        assertEquals(2, d.macs().size());
        String out = DeviceJson.toJson(d);
        assertEquals(d, DeviceJson.parse(out));
        for (String f : DeviceJson.FIELDS) {
            assertTrue(out.contains("\"" + f + "\":"), f + " missing from " + out);
        }
    }

    @Test
    void parse_acceptsMinimalRecord_withDefaults() {
        DeviceRecord d = DeviceJson.parse("{\"deviceId\":\"1759c0fd-7b3c-4d2a-9f5e-0123456789ab\","
                + "\"lastModified\":\"2026-11-23T09:00:00Z\",\"serial\":null}");
        assertEquals("unmanaged", d.managementState().wireName());
        assertTrue(d.policyAssigned());
    }

    @Test
    void parse_namesTheOffendingField() {
        String id = "\"deviceId\":\"1759c0fd-7b3c-4d2a-9f5e-0123456789ab\"";
        assertMessage("{\"lastModified\":\"2026-11-23T09:00:00Z\"}", "deviceId is required");
        assertMessage("{" + id + "}", "lastModified is required");
        assertMessage("{" + id + ",\"lastModified\":\"2026-11-23T09:00:00Z\",\"colour\":1}", "unknown field 'colour'");
        assertMessage("{" + id + ",\"lastModified\":\"2026-11-23T09:00:00Z\",\"encrypted\":\"yes\"}", "encrypted must be true or false");
        assertMessage("{" + id + ",\"lastModified\":\"soon\"}", "lastModified must be an ISO-8601 instant");
        assertMessage("{" + id + ",\"lastModified\":\"2026-11-23T09:00:00Z\",\"platform\":\"amiga\"}", "platform");
        assertMessage("{" + id + ",\"lastModified\":\"2026-11-23T09:00:00Z\",\"macs\":\"aa\"}", "macs must be an array");
        assertMessage("{" + id + ",\"lastModified\":\"2026-11-23T09:00:00Z\"} {}", "malformed JSON");
    }

    private static void assertMessage(String json, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeviceJson.parse(json));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
