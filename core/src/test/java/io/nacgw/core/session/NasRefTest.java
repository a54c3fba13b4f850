package io.nacgw.core.session;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

final class NasRefTest {
    @Test
    void addressId_usesRfc5952TextAndUnmapsIpv4() throws Exception {
        assertEquals("ip:192.0.2.1", NasRef.addressId(InetAddress.getByName("192.0.2.1")));
        assertEquals("ip:192.0.2.1", NasRef.addressId(InetAddress.getByAddress(new byte[]{
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, (byte) 192, 0, 2, 1})));
        assertEquals("ipv6:2001:db8::1", NasRef.addressId(InetAddress.getByName("2001:DB8:0:0:0:0:0:1")));
        assertEquals("ipv6:::1", NasRef.addressId(InetAddress.getByName("::1")));
        assertEquals("2001:db8::1:0:0:1", NasRef.addressText(InetAddress.getByName("2001:db8:0:0:1:0:0:1")));
        assertEquals("2001:db8:0:1:1:1:1:1", NasRef.addressText(InetAddress.getByName("2001:db8:0:1:1:1:1:1")));
        assertEquals("fe80::", NasRef.addressText(InetAddress.getByName("fe80::")));
    }

    @Test
    void canonicalAddress_leavesNamesAlone() {
        assertEquals("sw-floor2", NasRef.canonicalAddress("sw-floor2"));
        assertEquals("cafe.beef.a.b", NasRef.canonicalAddress("cafe.beef.a.b"));
        assertEquals("2001:db8::7", NasRef.canonicalAddress("2001:DB8::0:7"));
        assertEquals("zz:zz", NasRef.canonicalAddress("zz:zz"));
    }

    @Test
    void constructor_rejectsMissingParts() {
        assertThrows(IllegalArgumentException.class, () -> new NasRef("", "c", "1.2.3.4", "1.2.3.4"));
        assertThrows(IllegalArgumentException.class, () -> new NasRef("ip:1.2.3.4", "", "1.2.3.4", "1.2.3.4"));
    }
}
