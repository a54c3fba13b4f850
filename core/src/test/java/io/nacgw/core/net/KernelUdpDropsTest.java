package io.nacgw.core.net;

import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kernel's receive-buffer drops of our ports, as /proc/net/udp{,6} count them. */
final class KernelUdpDropsTest {

    @Test
    void parse_sumsTheDropsColumnOfTheGivenPorts_only() {
        List<String> udp = List.of(
                "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops",
                "  12: 0100007F:0714 00000000:0000 07 00000000:00000000 00:00000000 00000000  1000        0 4711 2 0000000000000000 17",
                "  13: 0100007F:0714 00000000:0000 07 00000000:00000000 00:00000000 00000000  1000        0 4712 2 0000000000000000 3",
                "  14: 0100007F:0715 00000000:0000 07 00000000:00000000 00:00000000 00000000  1000        0 4713 2 0000000000000000 5",
                "  15: 00000000:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 4714 2 0000000000000000 99");
        assertEquals(20, KernelUdpDrops.of(udp, Set.of(1812)), "both SO_REUSEPORT sockets of 1812");
        assertEquals(25, KernelUdpDrops.of(udp, Set.of(1812, 1813)));
        List<String> udp6 = List.of(
                "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops",
                "  40: 00000000000000000000000000000000:0714 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000  1000        0 5000 2 0000000000000000 8");
        assertEquals(8, KernelUdpDrops.of(udp6, Set.of(1812)));
    }

    @Test
    void fullReceiveBuffer_dropsAreSeen() throws Exception {
        try (DatagramSocket sink = new DatagramSocket(null);
             DatagramSocket sender = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            sink.setReceiveBufferSize(4096); // the kernel's minimum: a handful of datagrams
            sink.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = sink.getLocalPort();
            assertEquals(0, KernelUdpDrops.of(Set.of(port)));
            byte[] data = new byte[1000];
            for (int i = 0; i < 200; i++) { // never read: most cannot be queued
                sender.send(new DatagramPacket(data, data.length, sink.getLocalSocketAddress()));
            }
            long drops = KernelUdpDrops.of(Set.of(port));
            assertTrue(drops > 100, "dropped by the kernel: " + drops);
        }
    }
}
