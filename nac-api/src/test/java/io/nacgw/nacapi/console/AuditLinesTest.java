package io.nacgw.nacapi.console;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

final class AuditLinesTest {

    @Test
    void string_readsTopLevelFields_unescaped() {
        String line = "{\"time\":\"t\",\"nas\":\"sw \\\"1\\\" \\u00e9\\\\\",\"deviceId\":null,\"latencyMicros\":17}";
        assertEquals("t", AuditLines.string(line, "time"));
        assertEquals("sw \"1\" \u00e9\\", AuditLines.string(line, "nas"));
        assertNull(AuditLines.string(line, "deviceId"));
        assertNull(AuditLines.string(line, "missing"));
    }

    @Test
    void string_anEscapedKeyInsideAValue_isNotAField() {
        String line = "{\"method\":\"x \\\"nas\\\":\\\"evil\\\"\",\"nas\":\"real\"}";
        assertEquals("real", AuditLines.string(line, "nas"));
        assertNull(AuditLines.string("{\"nas\":\"unterminated", "nas"));
    }
}
