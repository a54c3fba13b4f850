package io.nacgw.loadgen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of another process from Linux {@code /proc/PID/stat} (utime + stime), so a run can report the server's
 * CPU over exactly the measured window. Clock ticks are USER_HZ, which Linux fixes at 100 for this interface.
 */
public final class ProcStat {
    static final double TICKS_PER_SECOND = 100.0;

    private ProcStat() {
    }

    /**
     * CPU seconds (user + system) used so far by {@code pid} and its live child processes (nginx's workers under its
     * master), or -1 when it cannot be read (gone, not Linux).
     */
    public static double cpuSeconds(long pid) {
        try {
            double total = parseCpuSeconds(Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII));
            for (long child : children(pid)) {
                try {
                    total += parseCpuSeconds(Files.readString(Path.of("/proc", Long.toString(child), "stat"), StandardCharsets.US_ASCII));
                } catch (IOException gone) {
                    // a worker that exited between the listing and the read
                }
            }
            return total;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Direct children of {@code pid} from /proc/PID/task/TID/children (empty where the kernel does not offer it). */
    static java.util.List<Long> children(long pid) {
        java.util.List<Long> out = new java.util.ArrayList<>();
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    for (String c : Files.readString(t.resolve("children"), StandardCharsets.US_ASCII).trim().split(" +")) {
                        if (!c.isEmpty()) {
                            out.add(Long.parseLong(c));
                        }
                    }
                } catch (IOException | NumberFormatException ignored) {
                    // no children file on this kernel, or the task ended
                }
            }
        } catch (IOException ignored) {
            // the process is gone: the caller's own read fails and reports it
        }
        return out;
    }

    /** Parses a stat line; the command name (field 2) may hold spaces and parentheses, so fields count from the last ')'. */
    static double parseCpuSeconds(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("not a /proc/PID/stat line");
        }
        String[] f = stat.substring(close + 2).trim().split(" +");
        // f[0] is field 3 (state): utime is field 14, stime field 15
        long utime = Long.parseLong(f[11]);
        long stime = Long.parseLong(f[12]);
        return (utime + stime) / TICKS_PER_SECOND;
    }
}
