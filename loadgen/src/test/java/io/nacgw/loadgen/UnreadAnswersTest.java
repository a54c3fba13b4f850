package io.nacgw.loadgen;

import io.nacgw.core.testing.Needs;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class UnreadAnswersTest {
    @Test
    void record_keepsMaximumAndMean() {
        UnreadAnswers q = new UnreadAnswers(Set.of());
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
            UnreadAnswers q = new UnreadAnswers(Set.of(unread.getLocalPort()));
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
