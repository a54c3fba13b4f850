package io.nacgw.core.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Datagrams the kernel dropped because a socket's receive buffer was full, read from {@code /proc/net/udp} and
 * {@code /proc/net/udp6} (the last column, {@code drops}) for the sockets bound to the given local ports. Netty does
 * not expose SO_RXQ_OVFL, and these files are what {@code ss -uamn} and {@code netstat -su} read too. Used by the RADIUS
 * server (its shed load) and the load generator (answers its own sockets failed to take in). Elsewhere than
 * Linux, 0.
 */
public final class KernelUdpDrops {
    private static final List<Path> TABLES = List.of(Path.of("/proc/net/udp"), Path.of("/proc/net/udp6"));

    private KernelUdpDrops() {
    }

    /** The sum over every socket of these ports (all SO_REUSEPORT channels of both address families). */
    public static long of(Set<Integer> ports) {
        long sum = 0;
        for (Path table : TABLES) {
            try {
                sum += of(Files.readAllLines(table), ports);
            } catch (IOException | RuntimeException e) {
                // no such table (no IPv6, not Linux): nothing dropped there
            }
        }
        return sum;
    }

    /** Parses one table: {@code sl local_address rem_address st ... inode ref pointer drops}, a header line first. */
    public static long of(List<String> lines, Set<Integer> ports) {
        long sum = 0;
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).trim().split("\\s+");
            if (f.length < 13) {
                continue;
            }
            String local = f[1];
            int colon = local.lastIndexOf(':');
            if (colon < 0) {
                continue;
            }
            if (ports.contains(Integer.parseInt(local.substring(colon + 1), 16))) {
                sum += Long.parseLong(f[f.length - 1]);
            }
        }
        return sum;
    }
}
