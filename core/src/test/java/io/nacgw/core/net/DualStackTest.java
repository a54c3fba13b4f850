package io.nacgw.core.net;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

final class DualStackTest {
    @Test
    void bindAddress_anyWithoutIpv6_fallsBackToIpv4Any() {
        assertEquals("0.0.0.0", DualStack.bindAddress("::", () -> false));
        assertEquals("0.0.0.0", DualStack.bindAddress("[::]", () -> false));
    }

    @Test
    void bindAddress_anyWithIpv6_staysDualStack() {
        assertEquals("::", DualStack.bindAddress("::", () -> true));
    }

    @Test
    void bindAddress_specificAddress_isNeverChanged() {
        assertEquals("127.0.0.1", DualStack.bindAddress("127.0.0.1", () -> false));
        assertEquals("::1", DualStack.bindAddress("::1", () -> false));
        assertEquals("0.0.0.0", DualStack.bindAddress("0.0.0.0", () -> true));
    }
}
