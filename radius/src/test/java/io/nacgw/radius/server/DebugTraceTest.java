package io.nacgw.radius.server;

import io.nacgw.core.id.MacAddress;
import io.nacgw.core.testing.MutableClock;
import io.nacgw.radius.codec.Attribute;
import io.nacgw.radius.codec.AttributeType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bounds of a debug session: one at a time, limited in time and events; values that must never show. */
final class DebugTraceTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T08:00:00Z"));
    private final DebugTrace trace = new DebugTrace(clock);
    private static final MacAddress MAC = MacAddress.parse("02:00:00:00:00:01");

    @Test
    void start_validatesTheFilterAndBounds_andAllowsOneSessionAtATime() {
        assertThrows(IllegalArgumentException.class, () -> trace.start(null, null, Duration.ofSeconds(5), 5));
        assertThrows(IllegalArgumentException.class, () -> trace.start(MAC, "sw1", Duration.ofSeconds(5), 5));
        assertThrows(IllegalArgumentException.class, () -> trace.start(MAC, null, Duration.ZERO, 5));
        assertThrows(IllegalArgumentException.class, () -> trace.start(MAC, null, Duration.ofMinutes(11), 5));
        assertThrows(IllegalArgumentException.class, () -> trace.start(MAC, null, Duration.ofSeconds(5), 0));
        assertThrows(IllegalArgumentException.class, () -> trace.start(MAC, null, Duration.ofSeconds(5), 10_001));
        long id = trace.start(MAC, null, Duration.ofSeconds(5), 5);
        assertTrue(trace.active());
        String busy = assertThrows(IllegalStateException.class, () -> trace.start(null, "sw1", Duration.ofSeconds(5), 5))
                .getMessage();
        assertTrue(busy.contains("mac 02:00:00:00:00:01"), busy);
        clock.advance(Duration.ofSeconds(5));
        assertFalse(trace.active(), "over at its deadline");
        assertTrue(trace.poll(id).ended());
        long next = trace.start(null, "sw1", Duration.ofSeconds(5), 5);
        assertTrue(next != id);
        assertTrue(trace.poll(id).ended(), "an old id sees nothing");
    }

    @Test
    void value_masksPasswordsKeysAndEap_andShowsTheRest() {
        assertEquals("<masked, 16 bytes>", DebugTrace.value(Attribute.of(AttributeType.USER_PASSWORD, new byte[16])));
        assertEquals("<masked, 17 bytes>", DebugTrace.value(Attribute.of(AttributeType.CHAP_PASSWORD, new byte[17])));
        assertEquals("<masked, 16 bytes>", DebugTrace.value(Attribute.of(AttributeType.MESSAGE_AUTHENTICATOR, new byte[16])));
        assertEquals("<masked, 40 bytes>", DebugTrace.value(Attribute.of(AttributeType.EAP_MESSAGE, new byte[40])));
        assertEquals("<masked, 34 bytes>", DebugTrace.value(Attribute.vendor(AttributeType.VENDOR_MICROSOFT, 16, new byte[34])));
        assertEquals("\"sw1\"", DebugTrace.value(Attribute.text(AttributeType.NAS_IDENTIFIER, "sw1")));
        assertEquals("0x0000000f", DebugTrace.value(Attribute.integer(AttributeType.NAS_PORT_TYPE, 15)));
    }
}
