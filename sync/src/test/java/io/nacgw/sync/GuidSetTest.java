package io.nacgw.sync;

import io.nacgw.core.id.DeviceGuid;
import io.nacgw.core.id.IdentifierKind;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class GuidSetTest {

    private static DeviceGuid g(long msb, long lsb) {
        return DeviceGuid.of(IdentifierKind.INTUNE_ID, new UUID(msb, lsb));
    }

    @Test
    void add_manyIds_growsAndFindsEveryOne() {
        GuidSet s = new GuidSet(4);
        for (int i = 0; i < 50_000; i++) {
            assertTrue(s.add(g(i, i * 31L)));
        }
        assertEquals(50_000, s.size());
        for (int i = 0; i < 50_000; i++) {
            assertTrue(s.contains(g(i, i * 31L)));
            assertFalse(s.contains(g(i, i * 31L + 1)));
        }
        assertFalse(s.add(g(7, 217)));
        assertEquals(50_000, s.size());
    }

    @Test
    void add_nilGuid_isAValidMember() {
        GuidSet s = new GuidSet(16);
        assertFalse(s.contains(g(0, 0)));
        assertTrue(s.add(g(0, 0)));
        assertFalse(s.add(g(0, 0)));
        assertTrue(s.contains(g(0, 0)));
        assertEquals(1, s.size());
    }
}
