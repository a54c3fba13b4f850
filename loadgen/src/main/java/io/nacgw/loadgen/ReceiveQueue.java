package io.nacgw.loadgen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Bytes waiting unread in the receive buffers of the generator's own UDP sockets, from the {@code rx_queue} column of
 * {@code /proc/net/udp} and {@code /proc/net/udp6} (the kernel's accounting size, which is larger than the payload).
 * Sampled while a run is measured, it tells whether answers sat at the generator before being read: latency is taken
 * when an answer is read, so an answer that waited there is counted late although the server sent it in time. Java
 * and Netty do not expose kernel receive timestamps (SO_TIMESTAMPNS), so this and the event loop's own delay are what
 * the generator can honestly measure. Elsewhere than Linux: 0.
 */
final class ReceiveQueue {
    private static final List<Path> TABLES = List.of(Path.of("/proc/net/udp"), Path.of("/proc/net/udp6"));

    private final Set<Integer> ports;
    private long samples;
    private long sum;
    private long max;

    ReceiveQueue(Set<Integer> ports) {
        this.ports = Set.copyOf(ports);
    }

    /** Reads the tables once and records the total over the ports; without ports (RadSec) records 0 unread. */
    void sample() {
        if (ports.isEmpty()) {
            record(0);
            return;
        }
        long total = 0;
        for (Path table : TABLES) {
            try {
                total += bytes(Files.readAllLines(table), ports);
            } catch (IOException | RuntimeException e) {
                // no such table (no IPv6, not Linux): nothing queued there
            }
        }
        record(total);
    }

    void record(long bytes) {
        samples++;
        sum += bytes;
        max = Math.max(max, bytes);
    }

    long maxBytes() {
        return max;
    }

    /** Mean over the samples; 0 without any. */
    double meanBytes() {
        return samples == 0 ? 0 : (double) sum / samples;
    }

    /**
     * Sums {@code rx_queue} (the hexadecimal after the colon of {@code tx_queue:rx_queue}, the fifth column) over the
     * sockets bound to {@code ports}; the first line is the header.
     */
    static long bytes(List<String> lines, Set<Integer> ports) {
        long sum = 0;
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            // "  sl: LOCAL_IP:PORT REMOTE_IP:PORT st TX:RX ...", fields split by spaces; no regex: ~1,000 lines a sample
            int local = field(line, 0, 1);
            int queues = field(line, local, 3);
            if (local < 0 || queues < 0) {
                continue;
            }
            int portColon = line.indexOf(':', local);
            int portEnd = line.indexOf(' ', local);
            int queueColon = line.indexOf(':', queues);
            int queueEnd = line.indexOf(' ', queues);
            if (portColon < 0 || portEnd < portColon || queueColon < 0 || queueEnd < queueColon) {
                continue;
            }
            try {
                if (ports.contains(Integer.parseInt(line, portColon + 1, portEnd, 16))) {
                    sum += Long.parseLong(line, queueColon + 1, queueEnd, 16);
                }
            } catch (NumberFormatException e) {
                // not a socket line
            }
        }
        return sum;
    }

    /** The start of the field {@code skip} fields after the one starting at {@code from} (skip over spaces), or -1. */
    private static int field(String line, int from, int skip) {
        int i = from;
        if (i < 0) {
            return -1;
        }
        for (int n = 0; n < skip; n++) {
            while (i < line.length() && line.charAt(i) == ' ') {
                i++;
            }
            while (i < line.length() && line.charAt(i) != ' ') {
                i++;
            }
        }
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return i < line.length() ? i : -1;
    }
}
