package io.nacgw.core.net;

import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kernel's receive-buffer drops and queued bytes of our ports, as /proc/net/udp{,6} count them. */
final class UdpSocketsTest {
    private static final String HEADER = "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops";

    @Test
    void parse_sumsTheDropsColumnOfTheGivenPorts_only() {
        List<String> udp = List.of(
                "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops",
                "  12: 0100007F:0714 00000000:0000 07 00000000:00000000 00:00000000 00000000  1000        0 4711 2 0000000000000000 17",
                "  13: 0100007F:0714 00000000:0000 07 00000000:00000000 00:00000000 00000000  1000        0 4712 2 0000000000000000 3",
                "  14: 0100007F:0715 00000000:0000 07 00000000:00000000 00:00000000 00000000  1000        0 4713 2 0000000000000000 5",
                "  15: 00000000:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 4714 2 0000000000000000 99");
        assertEquals(20, UdpSockets.of(udp, Set.of(1812)).drops(), "both SO_REUSEPORT sockets of 1812");
        assertEquals(25, UdpSockets.of(udp, Set.of(1812, 1813)).drops());
        List<String> udp6 = List.of(
                "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops",
                "  40: 00000000000000000000000000000000:0714 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000  1000        0 5000 2 0000000000000000 8");
        assertEquals(8, UdpSockets.of(udp6, Set.of(1812)).drops());
    }

    @Test
    void fullReceiveBuffer_dropsAreSeen() throws Exception {
        try (DatagramSocket sink = new DatagramSocket(null);
             DatagramSocket sender = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            sink.setReceiveBufferSize(4096); // the kernel's minimum: a handful of datagrams
            sink.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = sink.getLocalPort();
            assertEquals(0, UdpSockets.drops(Set.of(port)));
            byte[] data = new byte[1000];
            for (int i = 0; i < 200; i++) { // never read: most cannot be queued
                sender.send(new DatagramPacket(data, data.length, sink.getLocalSocketAddress()));
            }
            long drops = UdpSockets.drops(Set.of(port));
            assertTrue(drops > 100, "dropped by the kernel: " + drops);
        }
    }

    @Test
    void parse_sumsTheRxQueueOfTheGivenPorts_only_andSkipsLinesThatAreNotSockets() {
        List<String> lines = List.of(HEADER,
                " 1: 0100007F:9C40 0100007F:0714 01 00000000:00000A00 00:00000000 00000000     0        0 101 2 0000000000000000 0",
                " 2: 0100007F:9C41 0100007F:0714 01 00000000:00000100 00:00000000 00000000     0        0 102 2 0000000000000000 7",
                " 3: 0100007F:0714 00000000:0000 07 00000000:00ABCDEF 00:00000000 00000000     0        0 103 2 0000000000000000 9",
                " garbage",
                " 4: no-colon here at all x y z w v u t s r",
                " 5: 0100007F:ZZZZ 0100007F:0714 01 00000000:00000100 00:00000000 00000000     0        0 102 2 0000000000000000 7");
        assertEquals(new UdpSockets.Totals(7, 0xA00 + 0x100), UdpSockets.of(lines, Set.of(0x9C40, 0x9C41)));
        assertEquals(new UdpSockets.Totals(0, 0), UdpSockets.of(lines, Set.of(1)));
        assertEquals(new UdpSockets.Totals(0, 0), UdpSockets.of(List.of(HEADER), Set.of(0x9C40)));
    }

    @Test
    void datagramsWaitingUnread_areSeenAsQueuedBytes() throws Exception {
        try (DatagramSocket unread = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
             DatagramSocket sender = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            assertEquals(0, UdpSockets.of(Set.of(unread.getLocalPort())).queuedBytes());
            for (int i = 0; i < 5; i++) {
                sender.send(new DatagramPacket(new byte[100], 100, unread.getLocalSocketAddress()));
            }
            // the kernel accounts each datagram's buffer, more than its 100 bytes of payload
            long queued = UdpSockets.of(Set.of(unread.getLocalPort())).queuedBytes();
            assertTrue(queued >= 500, "queued " + queued);
        }
    }
}
