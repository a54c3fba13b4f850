package io.nacgw.gateway;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Reading the kernel's socket tables the way {@code /proc/net/{tcp,udp}[6]} prints them. */
final class PreflightTest {
    @TempDir
    Path dir;

    @Test
    void procAddress_littleEndianWords() throws Exception {
        assertArrayEquals(InetAddress.getByName("127.0.0.1").getAddress(), Preflight.procAddress("0100007F"));
        assertArrayEquals(InetAddress.getByName("::1").getAddress(),
                Preflight.procAddress("00000000000000000000000001000000"));
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 0, 0, 5},
                Preflight.procAddress("0000000000000000FFFF00000500000A"));
    }

    @Test
    void inUse_tcpListenersOnly_wildcardAndMappedAddressesOverlap() throws Exception {
        Files.writeString(dir.resolve("tcp"), """
                  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
                   0: 0100007F:0714 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1
                   1: 0100007F:0715 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 2 1
                """);
        Files.writeString(dir.resolve("tcp6"), """
                  sl  local_address                         remote_address                        st
                   0: 00000000000000000000000000000000:20FB 00000000000000000000000000000000:0000 0A
                """);
        Files.writeString(dir.resolve("udp"), """
                  sl  local_address rem_address   st
                 5: 0500000A:0714 00000000:0000 07
                """);
        Preflight p = new Preflight(null, null, dir);
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        assertEquals(Optional.of(true), p.inUse(false, lo, 0x714));
        assertEquals(Optional.of(false), p.inUse(false, lo, 0x715)); // established, not listening
        assertEquals(Optional.of(true), p.inUse(false, lo, 0x20FB)); // [::]:8443 holds every address
        assertEquals(Optional.of(true), p.inUse(true, InetAddress.getByName("0.0.0.0"), 0x714));
        assertEquals(Optional.of(false), p.inUse(true, lo, 0x714)); // 10.0.0.5 only
        assertEquals(Optional.of(true), p.inUse(true, InetAddress.getByName("::ffff:10.0.0.5"), 0x714));
        assertEquals(Optional.empty(), new Preflight(null, null, dir.resolve("none")).inUse(false, lo, 1));
    }
}
