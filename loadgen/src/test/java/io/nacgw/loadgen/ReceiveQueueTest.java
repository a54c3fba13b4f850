package io.nacgw.loadgen;

import io.nacgw.core.testing.Needs;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class ReceiveQueueTest {
    private static final String HEADER = "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops";

    @Test
    void bytes_sumsRxQueueOfTheGivenPortsOnly() {
        List<String> lines = List.of(HEADER,
                " 1: 0100007F:9C40 0100007F:0714 01 00000000:00000A00 00:00000000 00000000     0        0 101 2 0000000000000000 0",
                " 2: 0100007F:9C41 0100007F:0714 01 00000000:00000100 00:00000000 00000000     0        0 102 2 0000000000000000 7",
                " 3: 0100007F:0714 00000000:0000 07 00000000:00ABCDEF 00:00000000 00000000     0        0 103 2 0000000000000000 9",
                " garbage",
                " 4: no-colon here at all x");
        assertEquals(0xA00 + 0x100, ReceiveQueue.bytes(lines, Set.of(0x9C40, 0x9C41)));
        assertEquals(0, ReceiveQueue.bytes(lines, Set.of(1)));
        assertEquals(0, ReceiveQueue.bytes(List.of(HEADER), Set.of(0x9C40)));
    }

    @Test
    void record_keepsMaximumAndMean() {
        ReceiveQueue q = new ReceiveQueue(Set.of());
        assertEquals(0, q.meanBytes());
        q.record(0);
        q.record(3000);
        q.record(1500);
        assertEquals(3000, q.maxBytes());
        assertEquals(1500, q.meanBytes(), 1e-9);
    }

    @Test
    void sample_seesDatagramsWaitingUnreadInASocket() throws Exception {
        Needs.that(Files.isReadable(Path.of("/proc/net/udp")), "Linux /proc/net/udp");
        try (DatagramSocket unread = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             DatagramSocket sender = new DatagramSocket()) {
            ReceiveQueue q = new ReceiveQueue(Set.of(unread.getLocalPort()));
            q.sample();
            assertEquals(0, q.maxBytes());
            for (int i = 0; i < 5; i++) {
                sender.send(new DatagramPacket(new byte[100], 100, unread.getLocalSocketAddress()));
            }
            q.sample();
            // the kernel accounts each datagram's buffer, more than its 100 bytes of payload
            assertTrue(q.maxBytes() >= 500, "queued " + q.maxBytes());
        }
    }
}
