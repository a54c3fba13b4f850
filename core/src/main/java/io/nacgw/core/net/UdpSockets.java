package io.nacgw.core.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * What the kernel says of the UDP sockets bound to some local ports, read from {@code /proc/net/udp} and
 * {@code /proc/net/udp6}: datagrams dropped because a receive buffer was full (the last column, {@code drops}) and
 * bytes waiting unread ({@code rx_queue}, the kernel's accounting size, larger than the payload). Netty exposes
 * neither SO_RXQ_OVFL nor the queue depth, and these files are what {@code ss -uamn} and {@code netstat -su} read
 * too. Used by the RADIUS server (its shed load) and the load generator (answers its own sockets dropped or left
 * unread). Elsewhere than Linux, zeros.
 */
public final class UdpSockets {
    private static final List<Path> TABLES = List.of(Path.of("/proc/net/udp"), Path.of("/proc/net/udp6"));
    /** Columns: sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ref pointer drops. */
    private static final int LOCAL = 1;
    private static final int QUEUES = 4;
    private static final int COLUMNS = 13;

    /** Sums over every socket of the ports asked for (all SO_REUSEPORT channels of both address families). */
    public record Totals(long drops, long queuedBytes) {
    }

    private UdpSockets() {
    }

    /** Reads both tables now. */
    public static Totals of(Set<Integer> ports) {
        long drops = 0;
        long queued = 0;
        for (Path table : TABLES) {
            try {
                Totals t = of(Files.readAllLines(table), ports);
                drops += t.drops();
                queued += t.queuedBytes();
            } catch (IOException | RuntimeException e) {
                // no such table (no IPv6, not Linux): nothing there
            }
        }
        return new Totals(drops, queued);
    }

    /** The receive-buffer drops of these ports so far. */
    public static long drops(Set<Integer> ports) {
        return of(ports).drops();
    }

    /**
     * Parses one table, a header line first. Lines are split by hand, not by a regex: a busy host has thousands of
     * sockets and the load generator samples every 200 ms.
     */
    public static Totals of(List<String> lines, Set<Integer> ports) {
        long drops = 0;
        long queued = 0;
        int[] starts = new int[COLUMNS];
        int[] ends = new int[COLUMNS];
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (split(line, starts, ends) < COLUMNS) {
                continue;
            }
            int portColon = line.lastIndexOf(':', ends[LOCAL] - 1);
            int queueColon = line.indexOf(':', starts[QUEUES]);
            if (portColon < starts[LOCAL] || queueColon < 0 || queueColon >= ends[QUEUES]) {
                continue;
            }
            try {
                if (ports.contains(Integer.parseInt(line, portColon + 1, ends[LOCAL], 16))) {
                    queued += Long.parseLong(line, queueColon + 1, ends[QUEUES], 16);
                    drops += Long.parseLong(line, starts[COLUMNS - 1], ends[COLUMNS - 1], 10);
                }
            } catch (NumberFormatException e) {
                // not a socket line
            }
        }
        return new Totals(drops, queued);
    }

    /**
     * Finds the space-separated fields of a line: the first {@code starts.length - 1} in order and, in the last slot,
     * the line's last field. Returns how many fields the line has.
     */
    private static int split(String line, int[] starts, int[] ends) {
        int n = 0;
        int i = 0;
        int len = line.length();
        while (true) {
            while (i < len && line.charAt(i) == ' ') {
                i++;
            }
            if (i >= len) {
                return n;
            }
            int start = i;
            while (i < len && line.charAt(i) != ' ') {
                i++;
            }
            int slot = Math.min(n, starts.length - 1);
            starts[slot] = start;
            ends[slot] = i;
            n++;
        }
    }
}
