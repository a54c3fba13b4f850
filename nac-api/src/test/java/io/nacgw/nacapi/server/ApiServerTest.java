package io.nacgw.nacapi.server;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

final class ApiServerTest {
    @Test
    void connectionCap_withinTheFileLimit_isKept_beyondIt_isLoweredToLeaveDescriptorsForTheRest() {
        assertEquals(10_000, ApiServer.connectionCap(10_000, 65_536));
        assertEquals(10_000, ApiServer.connectionCap(10_000, 10_000 + ApiServer.RESERVED_DESCRIPTORS));
        assertEquals(1024 - ApiServer.RESERVED_DESCRIPTORS, ApiServer.connectionCap(10_000, 1024),
                "ulimit -n 1024: the store, audit log and operations port keep their descriptors");
        assertEquals(16, ApiServer.connectionCap(10_000, 200), "never below 16, even when the limit leaves less");
    }
}
